import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../cluster-test/src/harness/index.js';
import { ensureDebianBinary } from '../../../cluster-test/src/harness/debian-binary.js';

/** A broker process the test started on a free loopback port. */
export class BrokerProcess {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    private readonly dataDir: string | null,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-20_000)));
    child.stderr?.on('data', (c: Buffer) => (this.output = (this.output + c.toString()).slice(-20_000)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** `nats-server -js` with its JetStream store in a temporary directory. */
  static async nats(): Promise<BrokerProcess> {
    const binary = ensureDebianBinary('nats-server', 'nats-server');
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'shoal-nats-'));
    const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new BrokerProcess('nats-server', child, port, dataDir).ready();
  }

  /** `redis-server` in memory only. */
  static async redis(): Promise<BrokerProcess> {
    const binary = ensureDebianBinary('redis-server', 'redis-server');
    const port = await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new BrokerProcess('redis-server', child, port, null).ready();
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.dataDir !== null) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async ready(): Promise<this> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output}`);
      if (await accepts(this.port)) return this;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stop();
    throw new Error(`${this.name} did not listen on ${this.port} within 10 s:\n${this.output}`);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
