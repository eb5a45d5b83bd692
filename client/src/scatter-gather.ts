import type { Connection } from './connection.js';
import type { PartitionTable, Placement } from './partition-table.js';
import type { Opcode } from './protocol/opcodes.js';
import type { CallRetries, RetryBackoff } from './retry-policy.js';
import { type Router, decisiveFailure, partitionLost } from './router.js';

/** One multi-item operation: items routed by their key (or partition), sent in requests of at most `chunk` items. */
export interface ScatterRequest {
  readonly cache: string;
  readonly opcode: Opcode;
  /** How many items there are. */
  readonly count: number;
  /** Where the map sends item `item`. */
  readonly place: (table: PartitionTable, item: number) => Placement;
  /** Most items per request. */
  readonly chunk: number;
  /** The arguments of a request carrying these items (indices into `keys`). */
  readonly args: (items: readonly number[]) => unknown[];
  /** Takes the result of a request that carried these items. */
  readonly collect: (items: readonly number[], result: unknown) => void;
}

/** A group's target: a member's connection, or a lost partition (its number, for the error). */
type Target = Connection | { readonly lost: number };

/**
 * Sends a multi-key operation: items grouped by the primary of their key,
 * each group chunked, every request in parallel. A request that fails with a
 * retryable error is retried alone, its items grouped again under the
 * refreshed map, each part keeping the request's id (a partition's items
 * always travel together, so the node still sees each write once).
 */
export async function scatter(router: Router, request: ScatterRequest): Promise<void> {
  if (request.count === 0) return;
  const call = router.beginCall();
  if (!router.table.knows(request.cache)) await router.ensureRouted(request.cache);
  const all = Array.from({ length: request.count }, (_, i) => i);
  const deliveries: Promise<void>[] = [];
  for (const [target, items] of groupByTarget(router, request, all)) {
    for (let start = 0; start < items.length; start += request.chunk) {
      const chunk = start === 0 && items.length <= request.chunk ? items : items.slice(start, start + request.chunk);
      deliveries.push(deliver(router, call, request, chunk, target));
    }
  }
  // The first final failure rejects the call; other chunks end on their own (their ids are their own).
  await Promise.all(deliveries);
}

/** Delivers one chunk under one request id, in rounds, until every item was answered or the call fails. */
async function deliver(router: Router, call: CallRetries, request: ScatterRequest, chunk: readonly number[], first: Target): Promise<void> {
  const id = router.nextId();
  let groups = new Map<Target, readonly number[]>([[first, chunk]]);
  let backoff: RetryBackoff | undefined;
  for (;;) {
    // Every part of a round settles before the next: the id is never pending twice on one connection.
    const outcomes = await Promise.allSettled([...groups].map(([target, items]) => sendGroup(call, request, target, items, id)));
    const failure = decisiveFailure(outcomes);
    if (failure === undefined) return;
    backoff = await call.afterFailure(failure.error, backoff);
    const failed = [...groups.values()].filter((_, i) => outcomes[i]!.status === 'rejected').flat();
    groups = groupByTarget(router, request, failed);
  }
}

async function sendGroup(call: CallRetries, request: ScatterRequest, target: Target, items: readonly number[], id: number): Promise<void> {
  if ('lost' in target) throw partitionLost(request.cache, target.lost);
  const result = await target.request(request.opcode, request.args(items), items.length, { id, deadline: call.deadline });
  request.collect(items, result);
}

/** Items grouped by where the map sends their key; one lost group per lost partition. */
function groupByTarget(router: Router, request: ScatterRequest, items: readonly number[]): Map<Target, number[]> {
  const groups = new Map<Target, number[]>();
  const byAddress = new Map<string, Target>();
  const lost = new Map<number, Target>();
  for (const item of items) {
    const placement = request.place(router.table, item);
    let target: Target;
    if (placement.kind === 'lost') target = memo(lost, placement.partition, () => ({ lost: placement.partition }));
    else if (placement.kind === 'member') target = memo(byAddress, placement.address, () => router.connectionFor(placement, request.cache));
    else target = router.connections.home;
    const group = groups.get(target);
    if (group === undefined) groups.set(target, [item]);
    else group.push(item);
  }
  return groups;
}

/** Items routed by their key's canonical bytes. */
export function routedByKey(cache: string, keys: readonly Uint8Array[]): Pick<ScatterRequest, 'count' | 'place'> {
  return { count: keys.length, place: (table, item) => table.primaryFor(cache, keys[item]!) };
}

/** Items that are partition numbers, each routed to its partition's primary. */
export function routedByPartition(cache: string, partitions: readonly number[]): Pick<ScatterRequest, 'count' | 'place'> {
  return { count: partitions.length, place: (table, item) => table.primaryOfPartition(cache, partitions[item]!) };
}

function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
