import type { LogEntry } from './log-entry.js';
import type { NodeId } from './membership.js';

/** What a node must remember about elections across a restart, or it could vote twice in a term. */
export interface HardState {
  readonly currentTerm: number;
  readonly votedFor: NodeId | undefined;
}

/**
 * Raft's persistent state: currentTerm, votedFor and the log. Every call
 * returns once the write is durable, because the node answers peers right
 * after (a vote or an acknowledgement must never outlive a crash that forgot
 * it). Indexes are 1-based, as in the paper; index 0 is the empty prefix.
 */
export interface RaftStorage<C> {
  readHardState(): HardState;
  writeHardState(state: HardState): void;
  lastIndex(): number;
  entryAt(index: number): LogEntry<C> | undefined;
  /** Appends after the last entry. */
  append(entries: readonly LogEntry<C>[]): void;
  /** Drops the entry at `index` and every later one. */
  truncateFrom(index: number): void;
}

/**
 * Storage in the process's memory. A Shoal node keeps nothing across a
 * restart (it rejoins under a new identity), so this is the production
 * storage too; the simulation keeps one across a simulated crash to model a
 * node that restarts with its persistent state.
 */
export class MemoryRaftStorage<C> implements RaftStorage<C> {
  private hardState: HardState = { currentTerm: 0, votedFor: undefined };
  private readonly entries: LogEntry<C>[] = [];

  readHardState(): HardState {
    return this.hardState;
  }

  writeHardState(state: HardState): void {
    this.hardState = state;
  }

  lastIndex(): number {
    return this.entries.length;
  }

  entryAt(index: number): LogEntry<C> | undefined {
    return index >= 1 ? this.entries[index - 1] : undefined;
  }

  append(entries: readonly LogEntry<C>[]): void {
    for (const entry of entries) this.entries.push(entry);
  }

  truncateFrom(index: number): void {
    if (index < 1) throw new RangeError(`cannot truncate from index ${index}`);
    this.entries.length = Math.min(this.entries.length, index - 1);
  }
}
