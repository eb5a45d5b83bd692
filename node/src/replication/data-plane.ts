import { NotPrimaryError } from '@shoal/client/protocol';
import type { Logger } from 'pino';
import type { AssignmentDelta } from '../cluster/cluster-state.js';
import type { PartitionStore } from '../storage/partition-store.js';
import type { CacheRegistry } from '../storage/cache-registry.js';
import { DedupLog } from './dedup-log.js';
import { type Effect, effectsToWire } from './effects.js';
import { type CopyJob, keysToCopy, PartitionCopier } from './partition-copier.js';
import { PrimaryPartition } from './primary-partition.js';
import { ReplicaPartition } from './replica-partition.js';
import { partitionKey, type ReplicationMessage } from './replication-messages.js';
import { ReplicaReceiver } from './replica-receiver.js';

export interface DataPlanePorts {
  send(node: string, message: ReplicationMessage): boolean;
  bufferedBytes(node: string): number;
  /** False while no link to `node` is up: a copy to it waits for the link (and `onLinkUp`). */
  isConnected(node: string): boolean;
  /** The tenure of the partition's primary in this node's map (0 when unknown). */
  mapTenure(cache: string, partition: number): number;
  /** A filling copy is whole: the control plane makes it an owner. */
  copyCompleted(cache: string, partition: number, node: string, tenure: number): void;
}

/** What `/status` and metrics show of data movement. */
export interface RebalanceStats {
  copiesStarted: number;
  copiesCompleted: number;
  bytesSent: number;
  bytesReceived: number;
}

/** A replica's complaints about a copy younger than this are about that copy's own start: ignore them. */
const GAP_RESTART_MS = 200;

const keyOf = partitionKey;

/**
 * This node's part of replication: the partitions it leads (numbering and
 * forwarding writes, copying to new replicas) and those it holds copies of.
 * It follows the partition map as the control plane applies it.
 */
export class DataPlane {
  readonly primaries = new Map<string, PrimaryPartition>();
  readonly replicas = new Map<string, ReplicaPartition>();
  readonly stats: RebalanceStats = { copiesStarted: 0, copiesCompleted: 0, bytesSent: 0, bytesReceived: 0 };
  private readonly dedupLogs = new WeakMap<PartitionStore, DedupLog>();
  private readonly copier: PartitionCopier;
  private readonly receiver: ReplicaReceiver;
  private nextSyncId = 1;

  constructor(
    private readonly selfId: string,
    private readonly caches: CacheRegistry,
    private readonly ports: DataPlanePorts,
    private readonly log: Logger,
  ) {
    this.copier = new PartitionCopier({
      stillWanted: (job) => this.primaryFor(job.store)?.progress.get(job.target)?.syncId === job.syncId,
      sendChunk: (job, entries) => this.sendToReplica(job.store, job.target, { kind: 'sync-chunk', syncId: job.syncId, entries }),
      finish: (job) => {
        this.sendToReplica(job.store, job.target, { kind: 'sync-end', syncId: job.syncId, dedup: this.dedupOf(job.store).entries() });
        // From here the replica owes one answer; the stall sweep counts from the end, not the start, of a long copy.
        const progress = this.primaryFor(job.store)?.progress.get(job.target);
        if (progress?.syncId === job.syncId) progress.copyStartedAt = performance.now();
      },
      bufferedBytes: (node) => this.ports.bufferedBytes(node),
      bytesSent: (count) => {
        this.stats.bytesSent += count;
      },
    });
    this.receiver = new ReplicaReceiver(this.replicas, ports, this.stats, (store) => this.dedupOf(store), ports.mapTenure);
  }

  dedupOf(store: PartitionStore): DedupLog {
    let dedup = this.dedupLogs.get(store);
    if (!dedup) this.dedupLogs.set(store, (dedup = new DedupLog()));
    return dedup;
  }

  primaryFor(store: PartitionStore): PrimaryPartition | undefined {
    return store.leader as PrimaryPartition | undefined;
  }

  /** Numbers a write's effects and sends them to every copy; returns the seq to wait for. */
  replicate(store: PartitionStore, effects: readonly Effect[], dedup: readonly [string, unknown] | null): number {
    const primary = this.primaryFor(store);
    if (!primary) throw new NotPrimaryError(`partition ${store.index} of '${store.cacheName}' is not led by this node`);
    const seq = ++primary.seq;
    const targets = primary.targets();
    if (targets.length === 0) return seq;
    const wire = effectsToWire(effects);
    for (const target of targets) {
      const sent = this.ports.send(target, { kind: 'replicate', cache: store.cacheName, partition: store.index, tenure: primary.tenure, seq, effects: wire, dedup });
      // A lost message leaves a hole the replica cannot fill by itself; the copy restarts when the link is back.
      if (!sent) primary.markIncomplete(target);
    }
    return seq;
  }

  /** Follows the map: roles gained and lost, copies to start, data to drop. */
  onAssignments(deltas: readonly AssignmentDelta[]): void {
    for (const delta of deltas) this.follow(delta);
  }

  /** A cache was created here: replication that reached this node before the creation did runs now. */
  onCacheCreated(name: string): void {
    this.receiver.onCacheCreated(name, this.caches);
  }

  onCacheDestroyed(name: string): void {
    this.receiver.onCacheDestroyed(name);
  }

  /** A link to `peer` changed path: whatever it had in flight may be lost, so its copies start over. */
  onLinkUp(peer: string): void {
    for (const primary of this.primaries.values()) {
      if (primary.progress.has(peer)) {
        primary.markIncomplete(peer);
        this.startCopy(primary, peer);
      }
    }
  }

  onMessage(from: string, message: ReplicationMessage): void {
    const key = keyOf(message.cache, message.partition);
    switch (message.kind) {
      case 'replicate-ack':
        return this.primaries.get(key)?.onAck(from, message.seq);
      case 'replicate-refused':
        return this.onRefused(from, key, message.reason, message.tenure);
      case 'sync-done':
        return this.onCopyDone(from, key, message.syncId, message.seq, message.tenure);
      default:
        return this.receiver.onMessage(from, message, this.caches);
    }
  }

  /**
   * Starts again any copy that has not ended within `staleAfterMs` and is not
   * still queued: its end, or its start, was lost on a link that changed.
   */
  restartStalledCopies(staleAfterMs: number): void {
    const now = performance.now();
    for (const primary of this.primaries.values()) {
      for (const [target, progress] of primary.progress) {
        if (progress.complete || now - progress.copyStartedAt < staleAfterMs || !this.ports.isConnected(target)) continue;
        if (this.copier.isQueued(primary.store, target)) continue;
        this.log.info({ cache: primary.store.cacheName, partition: primary.store.index, replica: target }, 'copy did not finish: starting it again');
        this.startCopy(primary, target);
      }
    }
  }

  /** Fails every write and read held for replicas: this node lost its lease, and the client should go elsewhere. */
  failHeld(error: Error): void {
    for (const primary of this.primaries.values()) if (primary.waiting > 0) primary.fail(error);
  }

  get copying(): number {
    return this.copier.pending;
  }

  stop(): void {
    this.copier.stop();
    for (const primary of this.primaries.values()) primary.fail(new NotPrimaryError('node stopping'));
  }

  private follow({ cache, partition, after }: AssignmentDelta): void {
    const key = keyOf(cache, partition);
    const store = this.caches.find(cache)?.partitions[partition];
    const current = this.primaries.get(key);
    const leads = after !== undefined && after.owners[0] === this.selfId;
    if (current && (!leads || current.tenure !== after!.tenure)) {
      current.fail(new NotPrimaryError(`partition ${partition} of '${cache}' has a new primary`));
      this.primaries.delete(key);
      if (current.store.leader === current) current.store.leader = undefined;
    }
    const holds = after !== undefined && (after.owners.includes(this.selfId) || after.syncing.includes(this.selfId));
    if (!store || !after || !holds) {
      this.replicas.delete(key);
      if (store && !holds) store.clear();
      return;
    }
    if (leads) return this.lead(key, store, after.tenure, after.owners.slice(1), after.syncing);
    let replica = this.replicas.get(key);
    if (!replica) this.replicas.set(key, (replica = new ReplicaPartition(store, this.dedupOf(store))));
    if (after.tenure > replica.tenure) {
      replica.tenure = after.tenure;
      replica.whole = false;
    }
  }

  private lead(key: string, store: PartitionStore, tenure: number, owners: readonly string[], syncing: readonly string[]): void {
    this.replicas.delete(key);
    let primary = this.primaries.get(key);
    if (!primary) {
      this.primaries.set(key, (primary = new PrimaryPartition(store, tenure, this.dedupOf(store))));
      store.leader = primary;
    }
    for (const target of primary.setTargets(owners, syncing)) this.startCopy(primary, target);
  }

  private startCopy(primary: PrimaryPartition, target: string): void {
    const progress = primary.progress.get(target);
    if (!progress) return;
    progress.syncId = this.nextSyncId++;
    progress.complete = false;
    progress.copyStartedAt = performance.now();
    // No link: the copy starts when one comes up (`onLinkUp`), not into the void.
    if (!this.ports.isConnected(target)) return;
    this.stats.copiesStarted++;
    const { store } = primary;
    this.sendToReplica(store, target, { kind: 'sync-start', syncId: progress.syncId, seq: primary.seq });
    const job: CopyJob = { store, target, syncId: progress.syncId, keys: keysToCopy(store), position: 0 };
    this.copier.enqueue(job);
  }

  private onCopyDone(from: string, key: string, syncId: number, seq: number, tenure: number): void {
    const primary = this.primaries.get(key);
    if (!primary || primary.tenure !== tenure || !primary.onSyncDone(from, syncId, seq)) return;
    this.stats.copiesCompleted++;
    if (!primary.isOwner(from)) this.ports.copyCompleted(primary.store.cacheName, primary.store.index, from, tenure);
  }

  private onRefused(from: string, key: string, reason: 'stale' | 'gap', tenure: number): void {
    const primary = this.primaries.get(key);
    if (!primary || primary.tenure !== tenure) return;
    if (reason === 'gap') {
      // Once per copy: the replica refuses every message of a stream it lost track of.
      if (primary.progress.get(from)?.complete === false && performance.now() - (primary.progress.get(from)?.copyStartedAt ?? 0) < GAP_RESTART_MS) return;
      primary.markIncomplete(from);
      return this.startCopy(primary, from);
    }
    this.log.warn({ cache: primary.store.cacheName, partition: primary.store.index, replica: from }, 'a replica follows a newer primary: this one is fenced');
    primary.fenced = true;
    primary.fail(new NotPrimaryError('a newer primary leads this partition'));
  }

  private sendToReplica(store: PartitionStore, target: string, body: { kind: 'sync-start' | 'sync-chunk' | 'sync-end'; [field: string]: unknown }): void {
    const primary = this.primaryFor(store);
    if (!primary) return;
    const message = { ...body, cache: store.cacheName, partition: store.index, tenure: primary.tenure } as ReplicationMessage;
    if (!this.ports.send(target, message)) primary.markIncomplete(target);
  }
}
