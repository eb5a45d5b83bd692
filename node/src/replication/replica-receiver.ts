import type { CacheRegistry } from '../storage/cache-registry.js';
import type { PartitionStore } from '../storage/partition-store.js';
import type { DedupLog } from './dedup-log.js';
import { applyEffects, effectsFromWire, EffectTag } from './effects.js';
import { ReplicaPartition } from './replica-partition.js';
import { partitionKey, type ReplicateMessage, type ReplicationMessage, type SyncChunkMessage, type SyncEndMessage, type SyncStartMessage } from './replication-messages.js';

interface ReceiverPorts {
  send(node: string, message: ReplicationMessage): boolean;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * The replica side of replication: applies a primary's writes in order and
 * its copies, refuses a deposed primary (a lower tenure), and asks for a new
 * copy when a write arrives out of order.
 */
export class ReplicaReceiver {
  constructor(
    private readonly replicas: Map<string, ReplicaPartition>,
    private readonly ports: ReceiverPorts,
    private readonly stats: { bytesReceived: number },
    private readonly dedupOf: (store: PartitionStore) => DedupLog,
    /** The tenure of the partition's primary in this node's map: a primary below it was deposed. */
    private readonly mapTenure: (cache: string, partition: number) => number,
  ) {}

  onMessage(from: string, message: ReplicationMessage, caches: CacheRegistry): void {
    const store = caches.find(message.cache)?.partitions[message.partition];
    // Not ready for this stream (the cache is not created here yet): the primary must copy again later.
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
