import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalNode } from './local-node.js';
import { type ClusterView, type NodeStatus, agreedView, describeViews, fetchStatus } from './cluster-status.js';
import type { FaultProxy } from './fault-proxy.js';

export interface LocalClusterOptions {
  /** How many nodes to start: the first founds the cluster, each next one joins through those already running. */
  readonly nodes: number;
  /** Put each node behind a FaultProxy and make it advertise the proxy (needed for `partition`). */
  readonly proxies?: boolean;
  readonly host?: string;
  readonly clusterSecret?: string;
  readonly heartbeatMs?: number;
  readonly failureTimeoutMs?: number;
  /** Further `shoal node` flags for every node, e.g. `['--log-level', 'debug']`. */
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Leave the log directory after `stop()` (also when SHOAL_KEEP_LOGS is set, or after `dumpLogs()`). */
  readonly keepLogs?: boolean;
}

export interface WaitForMembersOptions {
  /** The nodes that must agree; every live node by default (e.g. only the majority side of a partition). */
  readonly among?: readonly string[];
  readonly timeoutMs?: number;
}

/**
 * N real `shoal node` processes on loopback forming one cluster, with faults
 * to inject: kill, stop, restart (as a new identity, as a restarted node
 * comes back), partitions through per-node proxies. Node ids are n1, n2, ...
 * in start order and never reused. Every node's output goes to
 * `<logDir>/<id>.log`; `dumpLogs()` gives the tails for a failing test.
 * @example const cluster = await LocalCluster.start({ nodes: 3 }); await cluster.waitForMembers(3); ...; await cluster.stop()
 */
export class LocalCluster {
  private readonly members = new Map<string, LocalNode>();
  private lastNumber = 0;
  private stopping: Promise<void> | undefined;
  private keepLogs: boolean;
  private logsRemoved = false;
  /** If the test runner exits without stop(), its children must not outlive it. */
  private readonly killOnExit = () => {
    for (const node of this.members.values()) if (node.alive) node.process.child.kill('SIGKILL');
  };

  private constructor(
    readonly logDir: string,
    private readonly options: LocalClusterOptions,
  ) {
    this.keepLogs = options.keepLogs ?? process.env.SHOAL_KEEP_LOGS !== undefined;
    process.on('exit', this.killOnExit);
  }

  /** Starts the nodes one after the other; resolves when each answers `/healthz` (use `waitForMembers` for the cluster). */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new RangeError(`nodes must be a positive integer, not ${options.nodes}`);
    const cluster = new LocalCluster(mkdtempSync(join(tmpdir(), 'shoal-cluster-')), options);
    try {
      for (let i = 0; i < options.nodes; i++) await cluster.addNode();
    } catch (err) {
      const logs = cluster.dumpLogs();
      await cluster.stop();
      throw new Error(`the local cluster did not start: ${(err as Error).message}\n${logs}`, { cause: err });
    }
    return cluster;
  }

  /** The ids of the nodes whose process runs, in start order. */
  ids(): string[] {
    return [...this.members.values()].filter((node) => node.alive).map((node) => node.id);
  }

  /** A node by id, live or not. */
  node(id: string): LocalNode {
    const node = this.members.get(id);
    if (!node) throw new Error(`no node ${id} in this cluster (nodes: ${[...this.members.keys()].join(', ')})`);
    return node;
  }

  /** The advertised addresses of the live nodes, for `Shoal.connect({ endpoints })`. */
  endpoints(): string[] {
    return this.ids().map((id) => this.node(id).address);
  }

  /** The node's `GET /status`, read from its own port (not through its proxy). */
  status(id: string): Promise<NodeStatus> {
    return fetchStatus(this.node(id).listenAddress);
  }

  /**
   * Polls `/status` until every node of `among` (the live ones by default)
   * reports `count` members, the same member ids, the same epoch and the same
   * leader; the view they share. Fails at once if one of them dies.
   */
  async waitForMembers(count: number, options: WaitForMembersOptions = {}): Promise<ClusterView> {
    const ids = options.among ?? this.ids();
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = ids.filter((id) => !this.node(id).alive);
      if (dead.length > 0) {
        const tails = dead.map((id) => this.node(id).logTail(40)).join('\n');
        throw new Error(`waiting for ${count} members: ${dead.join(', ')} exited\n${tails}`);
      }
      const seen = await this.pollStatuses(ids);
      const statuses = new Map([...seen].flatMap(([id, s]) => (s instanceof Error ? [] : [[id, s] as const])));
      const view = statuses.size === ids.length ? agreedView(statuses, count) : undefined;
      if (view) return view;
      if (Date.now() > deadline) throw new Error(`${ids.join(', ')} did not agree on ${count} members within ${timeoutMs} ms:\n${describeViews(seen)}`);
      await sleep(100);
    }
  }

  /** Starts a node under a new id that joins through every live node (founds a new cluster if none is left); its id. */
  async addNode(): Promise<string> {
    if (this.stopping) throw new Error('the local cluster is stopped');
    const id = `n${++this.lastNumber}`;
    const node = await LocalNode.start({
      id,
      host: this.options.host ?? '127.0.0.1',
      seeds: this.endpoints(),
      proxied: this.options.proxies ?? false,
      flags: this.nodeFlags(),
      logDir: this.logDir,
      startTimeoutMs: this.options.startTimeoutMs ?? 15_000,
    });
    this.members.set(id, node);
    return id;
  }

  /** SIGKILL. */
  async kill(id: string): Promise<void> {
    await this.node(id).kill();
  }

  /** SIGKILL of several nodes at the same moment. */
  async killMany(ids: readonly string[]): Promise<void> {
    const nodes = ids.map((id) => this.node(id));
    await Promise.all(nodes.map((node) => node.kill()));
  }

  /** Kills the node and starts a fresh one in its place: a restarted node keeps nothing, so it joins under a new id, which this returns. */
  async restart(id: string): Promise<string> {
    await this.kill(id);
    return this.addNode();
  }

  /** Cuts every peer link between the two groups, both ways, at their proxies; clients still reach both. */
  partition(groupA: readonly string[], groupB: readonly string[]): void {
    for (const id of groupA) this.proxyOf(id).block(groupB);
    for (const id of groupB) this.proxyOf(id).block(groupA);
  }

  /** Cuts the node off from every other node (its clients still reach it). */
  isolate(id: string): void {
    this.partition(
      [id],
      [...this.members.keys()].filter((other) => other !== id),
    );
  }

  /** Lifts every block on every proxy. */
  heal(): void {
    for (const node of this.members.values()) node.proxy?.heal();
  }

  /** SIGTERM to one node (SIGKILL after `timeoutMs`); its exit code. Without an id: stops the whole cluster. */
  stop(): Promise<void>;
  stop(id: string, timeoutMs?: number): Promise<number | null>;
  async stop(id?: string, timeoutMs = 5_000): Promise<number | null | void> {
    if (id !== undefined) return this.node(id).stop(timeoutMs);
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /**
   * The last `lines` lines of every node's log, dead ones included, for a
   * failing test to print. Calling it keeps the log directory after `stop()`.
   */
  dumpLogs(lines = 60): string {
    this.keepLogs = true;
    const tails = [...this.members.values()].map((node) => node.logTail(lines));
    const where = this.logsRemoved ? 'the log files are removed' : `full logs in ${this.logDir}`;
    return [`----- shoal local cluster: last ${lines} log lines per node (${where}) -----`, ...tails, ''].join('\n');
  }

  private async stopAll(): Promise<void> {
    // All at once and briefly: nodes leaving one by one would wait on peers that are going too.
    await Promise.all([...this.members.values()].map((node) => node.stop(3_000)));
    process.off('exit', this.killOnExit);
    if (this.keepLogs) return;
    rmSync(this.logDir, { recursive: true, force: true });
    this.logsRemoved = true;
  }

  private async pollStatuses(ids: readonly string[]): Promise<Map<string, NodeStatus | Error>> {
    const results = await Promise.all(ids.map((id) => this.status(id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
    return new Map(ids.map((id, i) => [id, results[i]!]));
  }

  private proxyOf(id: string): FaultProxy {
    const proxy = this.node(id).proxy;
    if (!proxy) throw new Error('partitions need proxies: start the cluster with { proxies: true }');
    return proxy;
  }

  /** Only the flags asked for, so a node without clustering still starts a one-node cluster. */
  private nodeFlags(): string[] {
    const { clusterSecret, heartbeatMs, failureTimeoutMs, args = [] } = this.options;
    return [
      ...(clusterSecret === undefined ? [] : ['--cluster-secret', clusterSecret]),
      ...(heartbeatMs === undefined ? [] : ['--heartbeat-ms', String(heartbeatMs)]),
      ...(failureTimeoutMs === undefined ? [] : ['--failure-timeout-ms', String(failureTimeoutMs)]),
      ...args,
    ];
  }
}
