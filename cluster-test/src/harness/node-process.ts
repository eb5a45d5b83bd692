import { type ChildProcess, spawn } from 'node:child_process';
import { type WriteStream, createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/** The built CLI; `npm run build` makes it. */
export const CLI_PATH = fileURLToPath(new URL('../../../node/dist/cli/main.js', import.meta.url));

export interface NodeProcessOptions {
  readonly host?: string;
  readonly port?: number;
  /** Extra `shoal node` flags, e.g. `['--auth-token', 's3cret']`. */
  readonly args?: readonly string[];
  /** Extra flags for node itself, e.g. `['--expose-gc']`. */
  readonly nodeArgs?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Also append everything the process writes to this file (its full log, where `logs` keeps a tail). */
  readonly logFile?: string;
}

/**
 * A real `shoal node` child process on loopback.
 * @example const node = await NodeProcess.start(); ...; await node.stop()
 */
export class NodeProcess {
  private output = '';
  private readonly exited: Promise<number | null>;
  private readonly logStream: WriteStream | undefined;
  /** Resolves once the log file has everything and is closed (at once without a log file). */
  private readonly logWritten: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
    readonly logFile?: string,
  ) {
    this.logStream = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
    // A log file that cannot be written must not take the test runner down; the tail in memory still has it all.
    this.logStream?.on('error', (err) => (this.output += `\n[harness: cannot write ${logFile}: ${err.message}]\n`));
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.logWritten = this.closeLogAfterOutput();
  }

  /** Starts a node and waits until `/healthz` answers. */
  static async start(options: NodeProcessOptions = {}): Promise<NodeProcess> {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? (await freePort(host));
    const args = [...(options.nodeArgs ?? []), CLI_PATH, 'node', '--host', host, '--port', String(port), ...(options.args ?? [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const node = new NodeProcess(child, host, port, options.logFile);
    await node.waitHealthy(options.startTimeoutMs ?? 15_000);
    return node;
  }

  /** `host:port` for `Shoal.connect`. */
  get endpoint(): string {
    return `${this.host}:${this.port}`;
  }

  get url(): string {
    return `http://${this.endpoint}`;
  }

  /** What the process wrote to stdout and stderr (its pino logs). */
  get logs(): string {
    return this.output;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then waits for the exit code (SIGKILL after the timeout). */
  async stop(timeoutMs = 5_000): Promise<number | null> {
    if (!this.alive) {
      await this.logWritten;
      return this.child.exitCode;
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    await this.logWritten;
    return code;
  }

  /** `kill -9`. */
  async kill(): Promise<void> {
    if (this.alive) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await this.logWritten;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) {
        await this.logWritten;
        throw new Error(`shoal node exited with ${this.child.exitCode} before it was healthy:\n${this.output}`);
      }
      try {
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.kill();
    throw new Error(`shoal node did not become healthy within ${timeoutMs} ms:\n${this.output}`);
  }

  private record(chunk: Buffer): void {
    this.logStream?.write(chunk);
    // Keep the tail only: a long test must not hold every log line.
    this.output = (this.output + chunk.toString()).slice(-200_000);
  }

  /**
   * Ends the log file after the child's last output: 'close' (not 'exit')
   * comes after its pipes are drained, so nothing is cut off, and waiting for
   * the file to close leaves no open handle behind stop() and kill().
   */
  private async closeLogAfterOutput(): Promise<void> {
    const stream = this.logStream;
    if (stream === undefined) return;
    await new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    await new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.end(() => resolve());
    });
  }
}
