/**
 * The versions of one partition's keys written through ApplyChanges, and its
 * tombstones. A partition creates one only when a versioned change first
 * reaches it, so caches that never see CDC pay nothing per entry.
 *
 * A key in `versions` with a live entry in the partition is a versioned entry;
 * one without is a tombstone: removed by a change, kept so that a replayed
 * older put cannot bring the row back. Keys and versions are latin1 strings of
 * their bytes, like the partition's entries (the key string is the same
 * instance the partition's entry map holds).
 */
export class VersionedEntries {
  /** Key → version, for versioned entries and tombstones alike. */
  readonly versions = new Map<string, string>();
  /** How many of `versions` have no entry. */
  tombstones = 0;

  /** The stored version of `key` (an entry's or a tombstone's), if any. */
  versionOf(key: string): string | undefined {
    return this.versions.get(key);
  }

  /**
   * Records `version` for `key`, which had an entry before the change
   * (`hadEntry`) and has one after it (`hasEntry`).
   */
  record(key: string, version: string, hadEntry: boolean, hasEntry: boolean): void {
    const wasTombstone = !hadEntry && this.versions.has(key);
    this.versions.set(key, version);
    this.tombstones += (hasEntry ? 0 : 1) - (wasTombstone ? 1 : 0);
  }

  /** Forgets `key`'s version (a plain write took the key over); `hadEntry`: whether it had a live entry. */
  forget(key: string, hadEntry: boolean): void {
    if (this.versions.delete(key) && !hadEntry) this.tombstones--;
  }

  get size(): number {
    return this.versions.size;
  }
}
