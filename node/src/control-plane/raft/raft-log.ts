import type { LogEntry } from './log-entry.js';
import type { Configuration } from './membership.js';
import type { RaftStorage } from './persistent-state.js';

/** A follower was told to drop an entry it knows is committed: Raft's safety argument has been broken somewhere. */
export class CommittedEntryConflictError extends Error {
  readonly code = 'COMMITTED_ENTRY_CONFLICT';

  override get name(): string {
    return this.constructor.name;
  }

  constructor(index: number, commitIndex: number) {
    super(`asked to replace entry ${index}, but entries up to ${commitIndex} are committed`);
  }
}

/**
 * The log over its storage, plus the index of every configuration entry: the
 * configuration in force is the latest one in the log, committed or not
 * (dissertation §4.1), and it must be found again after a conflict truncates it.
 */
export class RaftLog<C> {
  private readonly configurationIndexes: number[] = [];

  constructor(
    private readonly storage: RaftStorage<C>,
    private readonly initialConfiguration: Configuration,
  ) {
    for (let index = 1; index <= storage.lastIndex(); index++) {
      if (storage.entryAt(index)?.kind === 'configuration') this.configurationIndexes.push(index);
    }
  }

  lastIndex(): number {
    return this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex()) ?? 0;
  }

  /** The term of the entry at `index`; 0 for the empty prefix, undefined past the end. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    return this.storage.entryAt(index)?.term;
  }

  entryAt(index: number): LogEntry<C> | undefined {
    return this.storage.entryAt(index);
  }

  /** Entries from `from` on, at most `maxCount`. */
  slice(from: number, maxCount: number): LogEntry<C>[] {
    const entries: LogEntry<C>[] = [];
    const last = Math.min(this.lastIndex(), from + maxCount - 1);
    for (let index = from; index <= last; index++) entries.push(this.requireEntry(index));
    return entries;
  }

  /** AppendEntries' consistency check: we hold an entry at `index` with `term`. */
  matches(index: number, term: number): boolean {
    return this.termAt(index) === term;
  }

  /** RequestVote's check (§5.4.1): a log ending at (lastTerm, lastIndex) is at least as up-to-date as ours. */
  isCandidateUpToDate(lastTerm: number, lastIndex: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** A leader's append of its own new entry; returns its index. */
  appendNew(entry: LogEntry<C>): number {
    this.storage.append([entry]);
    const index = this.lastIndex();
    if (entry.kind === 'configuration') this.configurationIndexes.push(index);
    return index;
  }

  /**
   * A follower's merge of the entries after a matching `prevIndex`. Only a
   * real conflict (same index, different term) truncates: a stale or
   * duplicated AppendEntries carrying a prefix of what we hold must not drop
   * the entries after it, which we may already have acknowledged.
   * Returns the index of the last entry the message vouched for.
   */
  mergeFromLeader(prevIndex: number, entries: readonly LogEntry<C>[], commitIndex: number): number {
    for (let offset = 0; offset < entries.length; offset++) {
      const index = prevIndex + 1 + offset;
      const ours = this.termAt(index);
      if (ours === entries[offset]?.term) continue;
      if (ours !== undefined) this.truncateFrom(index, commitIndex);
      this.appendAll(entries.slice(offset));
      break;
    }
    return prevIndex + entries.length;
  }

  /** Where a leader should retry after our log failed its check at `prevIndex`: skips a whole conflicting term at once (§5.3's optimisation). */
  retryHint(prevIndex: number, commitIndex: number): number {
    if (prevIndex > this.lastIndex()) return this.lastIndex() + 1;
    const conflictingTerm = this.termAt(prevIndex);
    let index = prevIndex;
    while (index - 1 > commitIndex && this.termAt(index - 1) === conflictingTerm) index--;
    return Math.max(index, 1);
  }

  latestConfiguration(): Configuration {
    return this.configurationAt(this.lastIndex());
  }

  /** Index of the latest configuration entry, 0 when the log holds none. */
  latestConfigurationIndex(): number {
    return this.configurationIndexes.at(-1) ?? 0;
  }

  /** The configuration in force at `index`: the latest configuration entry at or before it. */
  configurationAt(index: number): Configuration {
    for (let i = this.configurationIndexes.length - 1; i >= 0; i--) {
      const configurationIndex = this.configurationIndexes[i] ?? 0;
      if (configurationIndex > index) continue;
      const entry = this.storage.entryAt(configurationIndex);
      if (entry?.kind === 'configuration') return entry.configuration;
    }
    return this.initialConfiguration;
  }

  private appendAll(entries: readonly LogEntry<C>[]): void {
    const first = this.lastIndex() + 1;
    this.storage.append(entries);
    entries.forEach((entry, offset) => {
      if (entry.kind === 'configuration') this.configurationIndexes.push(first + offset);
    });
  }

  private truncateFrom(index: number, commitIndex: number): void {
    if (index <= commitIndex) throw new CommittedEntryConflictError(index, commitIndex);
    this.storage.truncateFrom(index);
    while ((this.configurationIndexes.at(-1) ?? 0) >= index) this.configurationIndexes.pop();
  }

  private requireEntry(index: number): LogEntry<C> {
    const entry = this.storage.entryAt(index);
    if (entry === undefined) throw new RangeError(`no log entry at ${index}`);
    return entry;
  }
}
