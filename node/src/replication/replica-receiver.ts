import type { CacheRegistry } from '../storage/cache-registry.js';
import type { PartitionStore } from '../storage/partition-store.js';
import type { DedupLog } from './dedup-log.js';
import { applyEffects, effectsFromWire, EffectTag } from './effects.js';
import { ReplicaPartition } from './replica-partition.js';
import { partitionKey, type ReplicateMessage, type ReplicationMessage, type SyncChunkMessage, type SyncEndMessage, type SyncStartMessage } from './replication-messages.js';

interface ReceiverPorts {
  send(node: string, message: ReplicationMessage): boolean;
}

/** Most messages held for caches this node has not created yet; past it they are refused (the primary copies again later). */
const MAX_EARLY_MESSAGES = 10_000;

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * The replica side of replication: applies a primary's writes in order and
 * its copies, refuses a deposed primary (a lower tenure), and asks for a new
 * copy when a write arrives out of order.
 */
export class ReplicaReceiver {
  /** Messages for a cache whose creation this node has not applied yet, in arrival order, by cache. */
  private readonly early = new Map<string, { readonly from: string; readonly message: ReplicationMessage }[]>();
  private earlyCount = 0;

  constructor(
    private readonly replicas: Map<string, ReplicaPartition>,
    private readonly ports: ReceiverPorts,
    private readonly stats: { bytesReceived: number },
    private readonly dedupOf: (store: PartitionStore) => DedupLog,
    /** The tenure of the partition's primary in this node's map: a primary below it was deposed. */
    private readonly mapTenure: (cache: string, partition: number) => number,
  ) {}

  onMessage(from: string, message: ReplicationMessage, caches: CacheRegistry): void {
    const cache = caches.find(message.cache);
    // A primary writes to a new cache as soon as it applied its creation; this node may apply it a heartbeat later.
    if (!cache && this.hold(from, message)) return;
    const store = cache?.partitions[message.partition];
    // Not ready for this stream: the primary must copy again later.
    if (!store) return void this.refuse(from, message, 'gap');
    // A deposed primary (one cut off while the others moved on) must not get anything acknowledged,
    // even by a node that never held a copy under it or that leads the partition now.
    if (message.tenure < this.mapTenure(message.cache, message.partition)) return void this.refuse(from, message, 'stale');
    const key = partitionKey(message.cache, message.partition);
    let replica = this.replicas.get(key);
    // The map here may lag the primary's: a message from a newer tenure is how this node learns it holds a copy.
    if (!replica && message.kind === 'sync-start') this.replicas.set(key, (replica = new ReplicaPartition(store, this.dedupOf(store))));
    if (!replica) return void this.refuse(from, message, 'gap');
    if (message.tenure < replica.tenure) return void this.refuse(from, message, 'stale');
    switch (message.kind) {
      case 'sync-start':
        return this.onStart(replica, message);
      case 'sync-chunk':
        return this.onChunk(replica, message);
      case 'sync-end':
        return this.onEnd(from, replica, message);
      case 'replicate':
        return this.onReplicate(from, replica, message);
      default:
        return;
    }
  }

  /** The cache now exists here (its partitions placed): what came before runs, in order. */
  onCacheCreated(name: string, caches: CacheRegistry): void {
    const held = this.early.get(name);
    if (held === undefined) return;
    this.early.delete(name);
    this.earlyCount -= held.length;
    for (const { from, message } of held) this.onMessage(from, message, caches);
  }

  /** The cache is gone (or will never come): what was held for it is refused. */
  onCacheDestroyed(name: string): void {
    const held = this.early.get(name);
    if (held === undefined) return;
    this.early.delete(name);
    this.earlyCount -= held.length;
    for (const { from, message } of held) this.refuse(from, message, 'gap');
  }

  private hold(from: string, message: ReplicationMessage): boolean {
    if (this.earlyCount >= MAX_EARLY_MESSAGES) return false;
    const held = this.early.get(message.cache);
    if (held === undefined) this.early.set(message.cache, [{ from, message }]);
    else held.push({ from, message });
    this.earlyCount++;
    return true;
  }

  private onStart(replica: ReplicaPartition, message: SyncStartMessage): void {
    replica.startFilling(message.tenure, message.syncId, message.seq);
  }

  private onChunk(replica: ReplicaPartition, message: SyncChunkMessage): void {
    if (replica.filling?.syncId !== message.syncId || message.tenure !== replica.tenure) return;
    const { entries } = message;
    for (let i = 0; i + 2 < entries.length; i += 3) {
      const key = latin1(entries[i] as Uint8Array);
      const value = entries[i + 1] instanceof Uint8Array ? latin1(entries[i + 1] as Uint8Array) : undefined;
      const version = entries[i + 2] instanceof Uint8Array ? latin1(entries[i + 2] as Uint8Array) : undefined;
      this.stats.bytesReceived += key.length + (value?.length ?? 0);
      replica.confirm(key);
      if (version !== undefined) {
        if (value === undefined) replica.store.removeVersioned(key, version);
        else replica.store.putVersioned(key, value, version);
      } else if (value !== undefined) replica.store.set(key, value);
    }
  }

  private onEnd(from: string, replica: ReplicaPartition, message: SyncEndMessage): void {
    if (message.tenure !== replica.tenure || !replica.finishFilling(message.syncId)) {
      // The end of a copy whose start never came (or was replaced): ask for a new one.
      if (replica.filling === undefined || replica.filling.syncId < message.syncId) this.refuse(from, message, 'gap');
      return;
    }
    for (const entry of message.dedup) if (Array.isArray(entry) && typeof entry[0] === 'string') replica.dedup.remember(entry[0], entry[1]);
    this.ports.send(from, { kind: 'sync-done', cache: message.cache, partition: message.partition, tenure: message.tenure, syncId: message.syncId, seq: replica.lastSeq });
  }

  private onReplicate(from: string, replica: ReplicaPartition, message: ReplicateMessage): void {
    if (message.tenure > replica.tenure || message.seq !== replica.lastSeq + 1) {
      // A hole: ask once for a new copy and ignore the rest of this stream until it starts.
      if (replica.lastSeq !== -Infinity) this.refuse(from, message, 'gap');
      replica.lastSeq = -Infinity;
      return;
    }
    const effects = effectsFromWire(message.effects);
    applyEffects(replica.store, effects);
    for (const effect of effects) if (effect[0] !== EffectTag.Clear) replica.confirm(effect[1]);
    if (effects.some((effect) => effect[0] === EffectTag.Clear)) replica.filling?.unconfirmed.clear();
    if (message.dedup) replica.dedup.remember(message.dedup[0], message.dedup[1]);
    replica.lastSeq = message.seq;
    if (replica.whole) this.ports.send(from, { kind: 'replicate-ack', cache: message.cache, partition: message.partition, tenure: message.tenure, seq: message.seq });
  }

  private refuse(from: string, message: ReplicationMessage, reason: 'stale' | 'gap'): void {
    this.ports.send(from, { kind: 'replicate-refused', cache: message.cache, partition: message.partition, tenure: message.tenure, reason });
  }
}
