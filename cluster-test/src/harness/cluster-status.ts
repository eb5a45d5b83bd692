/** A member as `GET /status` lists it under `cluster.members`. */
export interface ClusterMember {
  readonly id: string;
  readonly address: string;
  readonly voter: boolean;
}

/** The `cluster` part of `GET /status` (the node's cluster contract). */
export interface ClusterStatus {
  readonly nodeId: string;
  readonly leader: string | null;
  readonly epoch: number;
  readonly role: 'leader' | 'follower' | 'pre-candidate' | 'candidate' | 'joining';
  readonly term: number;
  readonly members: readonly ClusterMember[];
  readonly partitions: Readonly<Record<string, { readonly primaries: number; readonly backups: number }>>;
  readonly rebalancing: { readonly syncing: number; readonly completed: number; readonly bytesSent: number; readonly bytesReceived: number };
}

/** `GET /status`: what the harness reads of it; the rest passes through untyped. */
export interface NodeStatus {
  readonly id: string;
  readonly address: string;
  readonly role: string;
  readonly cluster?: ClusterStatus;
  readonly [field: string]: unknown;
}

/** What every polled node agreed on in `waitForMembers`. */
export interface ClusterView {
  readonly leader: string;
  readonly epoch: number;
  readonly members: readonly ClusterMember[];
  /** Each polled node's own status, by node id. */
  readonly statuses: ReadonlyMap<string, NodeStatus>;
}

/** `GET http://<address>/status`, failing after `timeoutMs`. */
export async function fetchStatus(address: string, timeoutMs = 2_000): Promise<NodeStatus> {
  const response = await fetch(`http://${address}/status`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET /status of ${address} answered HTTP ${response.status}`);
  return (await response.json()) as NodeStatus;
}

/**
 * The view all `statuses` share, when each reports `members` members, the
 * same member ids, the same epoch and the same leader, which is one of them;
 * otherwise undefined.
 */
export function agreedView(statuses: ReadonlyMap<string, NodeStatus>, members: number): ClusterView | undefined {
  const clusters = [...statuses.values()].map((s) => s.cluster);
  const first = clusters[0];
  if (first === undefined || first.leader === null) return undefined;
  const ids = memberIds(first);
  const agrees = (c: ClusterStatus | undefined) =>
    c !== undefined && c.members.length === members && c.epoch === first.epoch && c.leader === first.leader && memberIds(c) === ids;
  if (!clusters.every(agrees) || !first.members.some((m) => m.id === first.leader)) return undefined;
  // Formed means voting too: a cluster whose new members are still learners dies with its leader.
  const voters = Math.min(members, 5);
  if (!clusters.every((c) => c!.members.filter((m) => m.voter).length === voters)) return undefined;
  return { leader: first.leader, epoch: first.epoch, members: first.members, statuses };
}

/** One line per node, for a timeout message: what each one believed last. */
export function describeViews(statuses: ReadonlyMap<string, NodeStatus | Error>): string {
  return [...statuses]
    .map(([id, status]) => {
      if (status instanceof Error) return `  ${id}: ${status.message}`;
      const c = status.cluster;
      if (c === undefined) return `  ${id}: no cluster in /status`;
      return `  ${id}: ${c.role}, leader ${c.leader ?? '-'}, epoch ${c.epoch}, term ${c.term}, members [${memberIds(c)}]`;
    })
    .join('\n');
}

function memberIds(cluster: ClusterStatus): string {
  return cluster.members
    .map((m) => m.id)
    .sort()
    .join(',');
}
