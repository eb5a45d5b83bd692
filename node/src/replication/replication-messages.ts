/**
 * Data-plane messages between a partition's primary and its replicas. Each
 * names the partition and the primary's `tenure` (the control-plane index
 * that made it primary): a replica refuses a lower tenure than it has seen,
 * so a deposed primary can never have a write acknowledged.
 */
interface PartitionAddress {
  readonly cache: string;
  readonly partition: number;
  readonly tenure: number;
}

/** primary → replica: one write's effects, `seq` consecutive per tenure; `dedup` is `[writeId, answer]`. */
export interface ReplicateMessage extends PartitionAddress {
  readonly kind: 'replicate';
  readonly seq: number;
  readonly effects: unknown[];
  readonly dedup: readonly [string, unknown] | null;
}

/** replica → primary: everything up to `seq` is applied. */
export interface ReplicateAckMessage extends PartitionAddress {
  readonly kind: 'replicate-ack';
  readonly seq: number;
}

/** replica → primary: `stale` (a newer primary exists) or `gap` (a message was lost: copy me again). */
export interface ReplicateRefusedMessage extends PartitionAddress {
  readonly kind: 'replicate-refused';
  readonly reason: 'stale' | 'gap';
}

/** primary → replica: a copy starts; live writes from `seq + 1` follow it on the same link. */
export interface SyncStartMessage extends PartitionAddress {
  readonly kind: 'sync-start';
  readonly syncId: number;
  readonly seq: number;
}

/** primary → replica: `[key, value | null, version | null]` triples, flattened; a null value with a version is a tombstone. */
export interface SyncChunkMessage extends PartitionAddress {
  readonly kind: 'sync-chunk';
  readonly syncId: number;
  readonly entries: unknown[];
}

/** primary → replica: the copy is whole; keys it never mentioned are gone. Carries the dedup log. */
export interface SyncEndMessage extends PartitionAddress {
  readonly kind: 'sync-end';
  readonly syncId: number;
  readonly dedup: [string, unknown][];
}

/** replica → primary: the copy is applied, with every write up to `seq`. */
export interface SyncDoneMessage extends PartitionAddress {
  readonly kind: 'sync-done';
  readonly syncId: number;
  readonly seq: number;
}

export type ReplicationMessage =
  | ReplicateMessage
  | ReplicateAckMessage
  | ReplicateRefusedMessage
  | SyncStartMessage
  | SyncChunkMessage
  | SyncEndMessage
  | SyncDoneMessage;

const KINDS = new Set(['replicate', 'replicate-ack', 'replicate-refused', 'sync-start', 'sync-chunk', 'sync-end', 'sync-done']);

export function isReplicationMessage(message: unknown): message is ReplicationMessage {
  if (message === null || typeof message !== 'object') return false;
  const { kind, cache, partition, tenure } = message as Record<string, unknown>;
  return typeof kind === 'string' && KINDS.has(kind) && typeof cache === 'string' && Number.isInteger(partition) && Number.isInteger(tenure);
}

/** The key a node keeps a partition's replication state under. */
export const partitionKey = (cache: string, partition: number): string => `${cache}\u0000${partition}`;
