import { Opcode, PROTOCOL_VERSION, type WirePartitionMap, decodeFrame, encodeFrame, partitionMapFromWire } from '@shoal/client/protocol';
import WebSocket from 'ws';
import type { LocalCluster, NodeStatus } from '../harness/index.js';
import { sleep } from './with-timeout.js';

/** `cluster.rebalancing` of `/status` (the harness types only part of it). */
export interface Rebalancing {
  readonly syncing: number;
  readonly copying: number;
  readonly completed: number;
  readonly started: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

interface ClusterPart {
  readonly epoch: number;
  readonly leader: string | null;
  readonly members: readonly { readonly id: string }[];
  readonly lostPartitions?: number;
  readonly partitions: Readonly<Record<string, { readonly primaries: number; readonly backups: number }>>;
  readonly rebalancing: Rebalancing;
}

function clusterPart(status: NodeStatus): ClusterPart {
  const part = status.cluster as ClusterPart | undefined;
  if (part?.rebalancing === undefined) throw new Error(`GET /status of ${status.id} has no cluster.rebalancing`);
  return part;
}

export function rebalancingOf(status: NodeStatus): Rebalancing {
  return clusterPart(status).rebalancing;
}

/** The highest Raft term any live node is at: its growth counts the elections in between. */
export async function highestTerm(cluster: LocalCluster): Promise<number> {
  const statuses = await statusesOf(cluster);
  return Math.max(...[...statuses.values()].map((s) => (s.cluster as { term?: number } | undefined)?.term ?? 0));
}

/** The `entries` this node holds of `cache` (primary and backup copies alike). */
export function entriesOf(status: NodeStatus, cache: string): number {
  const caches = (status.caches ?? []) as readonly { name: string; entries: number }[];
  return caches.find((c) => c.name === cache)?.entries ?? 0;
}

/** Every live node's status, by id. */
export async function statusesOf(cluster: LocalCluster): Promise<Map<string, NodeStatus>> {
  const ids = cluster.ids();
  const statuses = await Promise.all(ids.map((id) => cluster.status(id)));
  return new Map(ids.map((id, i) => [id, statuses[i]!]));
}

/**
 * A node's partition map, read over a bare protocol connection: the SDK routes
 * by it but does not expose it, and the failover measurement must know which
 * keys the victim was primary of.
 */
export async function fetchPartitionMap(endpoint: string, timeoutMs = 5_000): Promise<WirePartitionMap> {
  const ws = new WebSocket(`ws://${endpoint}/`, { perMessageDeflate: false });
  const timer = setTimeout(() => ws.terminate(), timeoutMs);
  try {
    return await new Promise<WirePartitionMap>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('close', () => reject(new Error(`${endpoint} closed before answering PartitionMap`)));
      ws.once('open', () => ws.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, authToken: null, clientName: 'shoal-bench-probe' })));
      ws.on('message', (data: Buffer) => {
        const frame = decodeFrame(data);
        if (frame.kind === 'welcome') ws.send(encodeFrame({ kind: 'requests', requests: [[1, Opcode.PartitionMap]] }));
        else if (frame.kind === 'responses' && frame.responses[0]?.[1] === 0) resolve(partitionMapFromWire(frame.responses[0][2]));
        else reject(new Error(`${endpoint} answered PartitionMap with ${JSON.stringify(frame).slice(0, 200)}`));
      });
    });
  } finally {
    clearTimeout(timer);
    ws.terminate();
  }
}

/** The node id that is primary of each partition of `cache` (undefined while lost). */
export function primariesOf(map: WirePartitionMap, cache: string): (string | undefined)[] {
  const route = map.caches[cache];
  if (route === undefined) throw new Error(`the partition map has no cache '${cache}'`);
  return route.primaries.map((index) => (index < 0 ? undefined : map.members[index]?.[0]));
}

/** Whether every node agrees on `members` members and one epoch, and nothing is filling, copying or lost. */
function quietEpoch(statuses: ReadonlyMap<string, NodeStatus>, members: number): number | undefined {
  const parts = [...statuses.values()].map(clusterPart);
  const epoch = parts[0]?.epoch;
  const quiet = parts.every(
    (p) =>
      p.epoch === epoch &&
      p.leader !== null &&
      p.members.length === members &&
      (p.lostPartitions ?? 0) === 0 &&
      p.rebalancing.syncing === 0 &&
      p.rebalancing.copying === 0 &&
      [...statuses.keys()].every((id) => (p.partitions[id]?.primaries ?? 0) + (p.partitions[id]?.backups ?? 0) > 0),
  );
  return quiet ? epoch : undefined;
}

/**
 * Waits until the cluster has `members` members and nothing left to move, and
 * returns the `performance.now()` of the first poll that saw it so.
 * Stricter than chaos/settled.ts's waitForRebalancing, which passes when no
 * copy is running at the moment it looks: right after a join (before the
 * leader planned anything) and between two waves of copies that is true too.
 * Here the quiet state must also hold, at one epoch (no further assignment),
 * for `stableMs`, which spans several leader ticks (a quarter heartbeat each).
 */
export async function waitForSettled(cluster: LocalCluster, members: number, timeoutMs = 120_000, stableMs = 600): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const outsiders = new OutsiderWatch();
  let since: { at: number; epoch: number } | undefined;
  for (;;) {
    const polledAt = performance.now();
    const statuses = await statusesOf(cluster).catch(() => undefined);
    if (statuses !== undefined) outsiders.check(statuses, polledAt);
    const epoch = statuses === undefined ? undefined : quietEpoch(statuses, members);
    if (epoch === undefined) since = undefined;
    else if (since?.epoch !== epoch) since = { at: polledAt, epoch };
    else if (polledAt - since.at >= stableMs) return since.at;
    if (polledAt > deadline) throw new Error(`the cluster did not settle at ${members} members within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/**
 * Fails the wait when a running node stays outside the members: a node the
 * leader declared dead while it was alive does not rejoin, so waiting longer
 * would only hide that.
 */
class OutsiderWatch {
  private readonly since = new Map<string, number>();

  constructor(private readonly limitMs = 30_000) {}

  check(statuses: ReadonlyMap<string, NodeStatus>, now: number): void {
    // The leader's own view: it is the one that admits and removes members.
    const leaderId = [...statuses.values()].map((s) => clusterPart(s).leader).find((id) => id !== null && statuses.has(id));
    if (leaderId === undefined || leaderId === null) return;
    const leader = clusterPart(statuses.get(leaderId)!);
    const members = new Set(leader.members.map((m) => m.id));
    for (const id of statuses.keys()) {
      if (members.has(id)) this.since.delete(id);
      else if (!this.since.has(id)) this.since.set(id, now);
      else if (now - this.since.get(id)! > this.limitMs) {
        throw new Error(`${id} is running but has not been a member for ${this.limitMs / 1000} s (members: ${[...members].join(', ')}): declared dead while alive, and it does not rejoin`);
      }
    }
  }
}
