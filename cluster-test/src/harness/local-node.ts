import { join } from 'node:path';
import { FaultProxy } from './fault-proxy.js';
import { freePort } from './free-port.js';
import { NodeProcess } from './node-process.js';

export interface LocalNodeSpec {
  readonly id: string;
  readonly host: string;
  /** Advertised addresses to join through; none founds a cluster. */
  readonly seeds: readonly string[];
  /** Put a FaultProxy in front and advertise it, so links to this node can be cut. */
  readonly proxied: boolean;
  /** Further `shoal node` flags (cluster secret, timings, log level). */
  readonly flags: readonly string[];
  readonly logDir: string;
  readonly startTimeoutMs: number;
}

/**
 * One member of a LocalCluster: its `shoal node` process, the proxy in
 * front of it if any, and its log file.
 */
export class LocalNode {
  private constructor(
    readonly id: string,
    readonly process: NodeProcess,
    readonly proxy: FaultProxy | undefined,
    readonly logFile: string,
  ) {}

  /** Starts the proxy (so the node can advertise it), then the node; resolves when `/healthz` answers. */
  static async start(spec: LocalNodeSpec): Promise<LocalNode> {
    const port = await freePort(spec.host);
    const proxy = spec.proxied ? await FaultProxy.start({ target: `${spec.host}:${port}`, host: spec.host }) : undefined;
    const logFile = join(spec.logDir, `${spec.id}.log`);
    const args = [
      '--id',
      spec.id,
      ...(spec.seeds.length > 0 ? ['--seeds', spec.seeds.join(',')] : []),
      ...(proxy ? ['--advertise', proxy.address] : []),
      ...spec.flags,
    ];
    try {
      const node = await NodeProcess.start({ host: spec.host, port, args, logFile, startTimeoutMs: spec.startTimeoutMs });
      return new LocalNode(spec.id, node, proxy, logFile);
    } catch (err) {
      await proxy?.stop();
      throw err;
    }
  }

  /** The address peers and clients use: the proxy's when there is one. */
  get address(): string {
    return this.proxy?.address ?? this.process.endpoint;
  }

  /** Where the node itself listens; the harness reads `/status` here so faults never hide a node from it. */
  get listenAddress(): string {
    return this.process.endpoint;
  }

  get alive(): boolean {
    return this.process.alive;
  }

  /** SIGKILL; its proxy closes too, so peers see a refused port as with a dead machine. */
  async kill(): Promise<void> {
    await this.process.kill();
    await this.proxy?.stop();
  }

  /** SIGTERM (SIGKILL after `timeoutMs`), then the proxy; the exit code. */
  async stop(timeoutMs: number): Promise<number | null> {
    const code = await this.process.stop(timeoutMs);
    await this.proxy?.stop();
    return code;
  }

  /** The last `lines` lines the node wrote, under a header naming it and its state. */
  logTail(lines: number): string {
    const child = this.process.child;
    const state = this.alive ? `alive, pid ${child.pid}` : `exited (code ${child.exitCode}, signal ${child.signalCode})`;
    const via = this.proxy ? ` via proxy ${this.proxy.address}` : '';
    const tail = this.process.logs.trimEnd().split('\n').slice(-lines).join('\n');
    return `===== ${this.id} at ${this.listenAddress}${via}, ${state}; ${this.logFile} =====\n${tail}`;
  }
}
