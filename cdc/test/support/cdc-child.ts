import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CLI_PATH, freePort } from '../../../cluster-test/src/harness/index.js';
import { Metrics, parsePrometheus } from '../../../cluster-test/test/support/helpers.js';

/** `shoal cdc` as a child process, the way an operator runs it, with its output kept (the last 200 kB). */
export class CdcChild {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly metricsPort: number,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-200_000)));
    child.stderr?.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-200_000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `shoal cdc ARGS` with its metrics on a free port and a progress line every 200 ms. */
  static async start(args: readonly string[], stdin: 'pipe' | 'ignore' = 'ignore'): Promise<CdcChild> {
    const metricsPort = await freePort();
    const child = spawn(process.execPath, [CLI_PATH, 'cdc', ...args, '--metrics', `127.0.0.1:${metricsPort}`, '--progress-interval', '200'], { stdio: [stdin, 'pipe', 'pipe'] });
    return new CdcChild(child, metricsPort);
  }

  get logs(): string {
    return this.output;
  }

  /** Its `/metrics`, parsed. */
  async metrics(): Promise<Metrics> {
    const response = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`);
    const text = await response.text();
    return new Metrics(text, parsePrometheus(text));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last `lines` lines of its output. */
  logTail(lines: number): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** The exit code, or a rejection naming `what` after `timeoutMs` (the process is left running). */
  async exitWithin(timeoutMs: number, what: string): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`shoal cdc did not exit within ${timeoutMs} ms (${what})`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The line the file source's checkpoint names (0 before the first commit). */
export function checkpointLine(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { line: number }).line;
  } catch {
    return 0; // the write is atomic (a rename), so never half a file; but be safe
  }
}
