import type { PartitionStore } from '../storage/partition-store.js';
import type { DedupLog } from './dedup-log.js';

/** A copy being filled: keys the primary has not mentioned yet, dropped when the copy ends. */
interface Filling {
  readonly syncId: number;
  readonly unconfirmed: Set<string>;
}

/**
 * A partition this node holds a copy of: which primary tenure it follows,
 * the last write it applied, and, while a copy is coming in, the keys still
 * unconfirmed. A replica applies writes strictly in order; anything out of
 * order means a message was lost, and it asks for a new copy.
 */
export class ReplicaPartition {
  /** The highest tenure this replica has seen; anything older is a deposed primary. */
  tenure = 0;
  lastSeq = -1;
  filling: Filling | undefined;
  /** True once a copy in `tenure` ended: only then does this replica acknowledge writes. */
  whole = false;

  constructor(
    readonly store: PartitionStore,
    readonly dedup: DedupLog,
  ) {}

  /** A new copy from the primary of `tenure`, with live writes from `seq + 1`. */
  startFilling(tenure: number, syncId: number, seq: number): void {
    this.tenure = tenure;
    this.lastSeq = seq;
    this.whole = false;
    const unconfirmed = new Set(this.store.entries.keys());
    for (const key of this.store.versions?.keys() ?? []) unconfirmed.add(key);
    this.filling = { syncId, unconfirmed };
  }

  confirm(key: string): void {
    this.filling?.unconfirmed.delete(key);
  }

  /** The copy is whole: drop what the primary no longer has. */
  finishFilling(syncId: number): boolean {
    const filling = this.filling;
    if (!filling || filling.syncId !== syncId) return false;
    for (const key of filling.unconfirmed) this.store.drop(key);
    this.filling = undefined;
    this.whole = true;
    return true;
  }
}
