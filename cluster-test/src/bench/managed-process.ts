import { type ChildProcess, spawn } from 'node:child_process';
import { OutputTail } from './output-tail.js';
import { sleep } from './with-timeout.js';

const running = new Set<ManagedProcess>();
let hooksInstalled = false;

/** A child process the benchmark started; it is killed when the benchmark exits, however it exits. */
export class ManagedProcess {
  readonly output = new OutputTail();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    onLine?: (line: string) => void,
  ) {
    installExitHooks();
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this);
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk, onLine));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk, onLine));
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.output.push(`[spawn error] ${err.message}\n`);
        this.exitInfo ??= { code: null, signal: null };
        running.delete(this);
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        running.delete(this);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** A description of how the process ended, or undefined while it runs. */
  get exitDescription(): string | undefined {
    if (!this.exitInfo) return undefined;
    const { code, signal } = this.exitInfo;
    return signal ? `killed by ${signal}` : `exited with code ${code}`;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      process.stderr.write(`bench: ${this.name} (pid ${this.pid}) ignored SIGTERM for ${graceMs} ms; sending SIGKILL\n`);
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Kills at once, synchronously (for process exit). */
  killNow(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal} received; stopping child processes\n`);
      stopAll().finally(() => process.exit(130));
    });
  }
}
