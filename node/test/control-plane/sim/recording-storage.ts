import type { LogEntry } from '../../../src/control-plane/raft/log-entry.js';
import { type HardState, MemoryRaftStorage, type RaftStorage } from '../../../src/control-plane/raft/persistent-state.js';

/**
 * The production in-memory storage, noting which part of the log changed
 * since the checker last looked, so log matching is checked after every step
 * without rescanning whole logs, and reporting every truncation.
 */
export class RecordingStorage<C> implements RaftStorage<C> {
  /** Lowest index written or truncated since `takeDirtyFrom()`. */
  private dirtyFrom = Infinity;
  private readonly inner = new MemoryRaftStorage<C>();

  constructor(private readonly onTruncate: (from: number, removed: LogEntry<C>[]) => void) {}

  readHardState(): HardState {
    return this.inner.readHardState();
  }

  writeHardState(state: HardState): void {
    this.inner.writeHardState(state);
  }

  lastIndex(): number {
    return this.inner.lastIndex();
  }

  entryAt(index: number): LogEntry<C> | undefined {
    return this.inner.entryAt(index);
  }

  append(entries: readonly LogEntry<C>[]): void {
    this.dirtyFrom = Math.min(this.dirtyFrom, this.inner.lastIndex() + 1);
    this.inner.append(entries);
  }

  truncateFrom(index: number): void {
    const removed: LogEntry<C>[] = [];
    for (let i = index; i <= this.inner.lastIndex(); i++) {
      const entry = this.inner.entryAt(i);
      if (entry !== undefined) removed.push(entry);
    }
    this.dirtyFrom = Math.min(this.dirtyFrom, index);
    this.inner.truncateFrom(index);
    this.onTruncate(index, removed);
  }

  takeDirtyFrom(): number {
    const from = this.dirtyFrom;
    this.dirtyFrom = Infinity;
    return from;
  }
}
