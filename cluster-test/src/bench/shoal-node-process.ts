import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/free-port.js';
import { ManagedProcess } from './managed-process.js';
import { REPO_ROOT } from './repo-root.js';
import { waitUntil } from './wait-until.js';

/** What `GET /status?gc=1` reports of the node's memory (from `process.memoryUsage()`). */
export interface NodeMemory {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** One Shoal node running as a child process, and the warnings and errors it logged. */
export class ShoalNodeProcess {
  private constructor(
    readonly port: number,
    readonly process: ManagedProcess,
    /** Log lines at level warn or above (pino level ≥ 40), and anything that is not JSON. */
    readonly problems: readonly string[],
  ) {}

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts `node --expose-gc node/dist/cli/main.js node` on a free port and waits for `/healthz`. */
  static async start(timeoutMs = 20_000): Promise<ShoalNodeProcess> {
    const main = join(REPO_ROOT, 'node', 'dist', 'cli', 'main.js');
    if (!existsSync(main)) throw new Error(`the Shoal node is not built: ${main} is missing (run 'npm run build')`);
    const port = await freePort();
    const problems: string[] = [];
    const args = ['--expose-gc', main, 'node', '--host', '127.0.0.1', '--port', String(port)];
    const child = new ManagedProcess('shoal node', process.execPath, args, (line) => noteProblem(line, problems));
    const node = new ShoalNodeProcess(port, child, problems);
    await waitUntil({
      what: `Shoal node on port ${port}`,
      timeoutMs,
      probe: async () => (await fetch(`http://${node.endpoint}/healthz`)).status === 200,
      abort: () => child.exitDescription,
      failure: (reason) =>
        new Error(`Shoal node did not start (${reason}): ${process.execPath} ${args.join(' ')}\n--- its last output ---\n${child.output.last()}`),
    });
    return node;
  }

  /** Asks the node to collect garbage, then reads its memory use. */
  async memory(): Promise<NodeMemory> {
    const response = await fetch(`http://${this.endpoint}/status?gc=1`);
    if (response.status !== 200) throw new Error(`GET /status?gc=1 answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { memory?: Partial<NodeMemory> };
    const m = body.memory;
    if (typeof m?.heapUsed !== 'number' || typeof m.external !== 'number') {
      throw new Error(`GET /status?gc=1 has no memory.heapUsed / memory.external: ${JSON.stringify(body).slice(0, 300)}`);
    }
    return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers ?? 0 };
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

function noteProblem(line: string, problems: string[]): void {
  try {
    const entry = JSON.parse(line) as { level?: number };
    if (typeof entry.level === 'number' && entry.level >= 40) problems.push(line);
  } catch {
    problems.push(line);
  }
}
