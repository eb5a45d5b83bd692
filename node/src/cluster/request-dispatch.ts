import {
  NotPrimaryError,
  type Opcode,
  PartitionLostError,
  UnavailableError,
  type WireRequest,
  partitionOf,
} from '@shoal/client/protocol';
import type { HandlerContext, HandlerTable } from '../handlers/handler.js';
import { arg } from '../handlers/request-args.js';
import { type Effect, effectJournal } from '../replication/effects.js';
import { type RequestScope, scopeReaders } from '../replication/request-scope.js';
import { checkCacheName, parseCacheDefinition } from '../storage/cache-definition.js';
import type { CacheStore } from '../storage/cache-store.js';
import type { PartitionStore } from '../storage/partition-store.js';
import type { ClusterNode } from './cluster-node.js';
import { isLost } from './partition-assignment.js';

type KeysScope = Extract<RequestScope, { kind: 'keys' }>;
type CacheScope = Extract<RequestScope, { kind: 'cache' }>;
type PartitionsScope = Extract<RequestScope, { kind: 'partitions' }>;

/**
 * Runs a client request in the cluster: checks this node leads every
 * partition the request touches (and holds its write lease), runs the
 * handler while journaling its effects, forwards those to the replicas, and
 * answers once every copy that counts has them. A retried write (same client
 * and request id) gets its first answer again.
 */
export class RequestDispatch {
  constructor(
    private readonly handlers: HandlerTable,
    private readonly context: HandlerContext,
    private readonly cluster: ClusterNode,
  ) {}

  run(opcode: Opcode, request: WireRequest, clientId: string | undefined, caughtUp = false): unknown {
    const scope = scopeReaders[opcode](request);
    // A cache this node has not heard of may be one it has not applied yet: catch up once before saying it does not exist.
    if (!caughtUp && 'cache' in scope && !this.context.caches.find(scope.cache)) {
      return this.cluster.catchUp().then(() => this.run(opcode, request, clientId, true));
    }
    switch (scope.kind) {
      case 'none':
        return this.handlers[opcode](request, this.context);
      case 'control':
        return this.control(scope.operation, request);
      case 'keys':
        return this.keyed(scope, opcode, request, clientId);
      case 'cache':
        return this.wholeCache(scope, opcode, request);
      case 'partitions':
        return this.partitionsRead(scope, opcode, request);
    }
  }

  /** Whether this node may answer a read of the partition as its primary right now. */
  servesAsPrimary(cache: CacheStore, partition: number): boolean {
    if (!this.cluster.leaseHolds()) return false;
    try {
      this.checkPartition(cache, partition, true);
      return true;
    } catch {
      return false;
    }
  }

  /** A read of whole partitions (a SQL map phase): this node must lead every one, and answers once what it read is on every copy. */
  private partitionsRead(scope: PartitionsScope, opcode: Opcode, request: WireRequest): unknown {
    const cache = this.context.caches.find(scope.cache);
    if (!cache) return this.handlers[opcode](request, this.context);
    this.requireLease();
    for (const partition of scope.partitions) {
      if (partition >= cache.partitions.length) continue;
      this.checkPartition(cache, partition, true);
    }
    const stores = scope.partitions.filter((p) => p < cache.partitions.length).map((p) => cache.partitions[p]!);
    return this.afterReplication(this.handlers[opcode](request, this.context), stores);
  }

  private control(operation: 'create-cache' | 'destroy-cache', request: WireRequest): Promise<unknown> {
    if (operation === 'create-cache') {
      const definition = parseCacheDefinition(arg(request, 0), arg(request, 1), this.context.caches.partitionCount);
      return this.cluster.propose({ kind: 'create-cache', definition });
    }
    const name = arg(request, 0);
    checkCacheName(name);
    return this.cluster.propose({ kind: 'destroy-cache', name });
  }

  private keyed(scope: KeysScope, opcode: Opcode, request: WireRequest, clientId: string | undefined): unknown {
    const cache = this.context.caches.find(scope.cache);
    // Unknown caches and bad names: the handler gives the right error.
    if (!cache) return this.handlers[opcode](request, this.context);
    const stores = this.checkLeads(cache, scope.keys, scope.write);
    if (!scope.write) return this.afterReplication(this.handlers[opcode](request, this.context), stores);
    const writeId = scope.deduplicated && clientId !== undefined ? `${clientId}/${request[0] as number}` : undefined;
    if (writeId !== undefined) {
      const earlier = this.cluster.dataPlane.dedupOf(stores[0]!).answerOf(writeId);
      if (earlier.found) return this.afterReplication(earlier.answer, stores);
    }
    return this.write(cache, opcode, request, writeId, stores[0]);
  }

  private wholeCache(scope: CacheScope, opcode: Opcode, request: WireRequest): unknown {
    const cache = this.context.caches.find(scope.cache);
    if (!cache) return this.handlers[opcode](request, this.context);
    this.requireLease();
    if (scope.cursor !== undefined && scope.cursor >= 0 && scope.cursor < cache.partitions.length) {
      this.checkPartition(cache, scope.cursor, true);
    }
    return scope.write ? this.write(cache, opcode, request, undefined, undefined) : this.handlers[opcode](request, this.context);
  }

  /** The stores of the keys' partitions, after checking this node may serve them. */
  private checkLeads(cache: CacheStore, keys: readonly Uint8Array[], write: boolean): PartitionStore[] {
    this.requireLease();
    const stores = new Set<PartitionStore>();
    const readAnyCopy = !write && cache.definition.mode === 'replicated';
    for (const key of keys) {
      const partition = partitionOf(key, cache.partitions.length);
      this.checkPartition(cache, partition, !readAnyCopy);
      stores.add(cache.partitions[partition]!);
    }
    return [...stores];
  }

  private checkPartition(cache: CacheStore, partition: number, mustLead: boolean): void {
    const assignment = this.cluster.state.assignment(cache.name, partition);
    if (assignment === undefined) throw new UnavailableError(`partition ${partition} of '${cache.name}' is not placed yet`);
    if (isLost(assignment)) throw new PartitionLostError(`partition ${partition} of '${cache.name}' lost every copy`);
    const self = this.cluster.options.id;
    if (mustLead ? assignment.owners[0] !== self : !assignment.owners.includes(self)) {
      throw new NotPrimaryError(`this node does not lead partition ${partition} of '${cache.name}' (map epoch ${this.cluster.state.epoch})`);
    }
    if (mustLead && this.cluster.dataPlane.primaryFor(cache.partitions[partition]!)?.fenced) {
      throw new NotPrimaryError(`partition ${partition} of '${cache.name}' has a newer primary`);
    }
  }

  private requireLease(): void {
    if (this.cluster.leaseHolds()) return;
    throw new UnavailableError(this.cluster.writeRefusal() ?? 'this node is renewing its control-plane lease');
  }

  private write(cache: CacheStore, opcode: Opcode, request: WireRequest, writeId: string | undefined, store: PartitionStore | undefined): unknown {
    const journal = new Map<PartitionStore, Effect[]>();
    effectJournal.active = journal;
    let result: unknown;
    try {
      result = this.handlers[opcode](request, this.context);
    } finally {
      effectJournal.active = undefined;
    }
    const dedup = writeId === undefined ? null : ([writeId, result] as const);
    if (writeId !== undefined && store !== undefined) this.cluster.dataPlane.dedupOf(store).remember(writeId, result);
    const waits: Promise<void>[] = [];
    for (const [touched, effects] of journal) {
      const seq = this.cluster.dataPlane.replicate(touched, effects, touched === store ? dedup : null);
      if (cache.definition.writeSync === 'primary') continue;
      const wait = this.cluster.dataPlane.primaryFor(touched)?.waitFor(seq);
      if (wait) waits.push(wait);
    }
    if (cache.definition.writeSync === 'full' && store !== undefined && journal.size === 0) return this.afterReplication(result, [store]);
    return waits.length === 0 ? result : Promise.all(waits).then(() => result);
  }

  /** A read answers only once what it saw is on every copy: a value it returns can never be lost by a failover. */
  afterReplication(result: unknown, stores: readonly PartitionStore[]): unknown {
    const waits: Promise<void>[] = [];
    for (const store of stores) {
      const primary = this.cluster.dataPlane.primaryFor(store);
      const wait = primary?.waitFor(primary.seq);
      if (wait) waits.push(wait);
    }
    return waits.length === 0 ? result : Promise.all(waits).then(() => result);
  }
}
