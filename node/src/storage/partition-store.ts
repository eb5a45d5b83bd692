import { EffectTag, recordEffect } from '../replication/effects.js';
import { VersionedEntries } from './versioned-entries.js';

/** Told of every change to a partition's entries (the partition's secondary indexes). */
export interface EntryObserver {
  changed(key: string, previous: string | undefined, next: string | undefined): void;
  /** The partition is about to drop every entry (they are still there). */
  clearing(): void;
}

/** What a request needs of the partition's replication state: is it fenced, and when is a write safe. */
export interface PartitionLeader {
  readonly fenced: boolean;
  readonly seq: number;
  waitFor(seq: number): Promise<void> | undefined;
}

/**
 * The entries of one partition of one cache, keyed by the key's canonical bytes (latin1).
 *
 * Keys written through ApplyChanges also have a version, kept apart in a
 * `VersionedEntries` made on the first versioned write, so a plain entry costs
 * exactly its `Map` slot. A plain write (`set`, `delete`) forgets the key's
 * version: versions describe only what versioned changes wrote.
 */
export class PartitionStore {
  /** Which cache and partition this is: replication names partitions this way. */
  constructor(
    readonly cacheName: string,
    readonly index: number,
  ) {}

  readonly entries = new Map<string, string>();
  /** Set while this node leads the partition (by the data plane): the hot path reaches its replication state without a lookup. */
  leader: PartitionLeader | undefined;
  /** Set while the cache is a table with indexes: they follow every write. */
  observer: EntryObserver | undefined;
  /** Bytes of keys and values held (versions and tombstones not included). */
  bytes = 0;
  private versioned: VersionedEntries | undefined;

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Stores `value`; returns the previous value. Forgets the key's version, tombstone included. */
  set(key: string, value: string): string | undefined {
    const previous = this.write(key, value);
    if (this.versioned !== undefined) this.forget(this.versioned, key, previous !== undefined);
    recordEffect(this, [EffectTag.Set, key, value]);
    return previous;
  }

  /** Removes `key`; returns the value it had. Forgets the version of an entry it removes (a tombstone stays). */
  delete(key: string): string | undefined {
    const previous = this.erase(key);
    if (previous !== undefined && this.versioned !== undefined) this.forget(this.versioned, key, true);
    if (previous !== undefined) recordEffect(this, [EffectTag.Delete, key]);
    return previous;
  }

  /** Drops every entry, version and tombstone. */
  clear(): void {
    this.observer?.clearing();
    this.entries.clear();
    this.bytes = 0;
    this.versioned = undefined;
    recordEffect(this, [EffectTag.Clear]);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stored version of `key`, a live entry's or a tombstone's; undefined for a plain or absent key. */
  versionOf(key: string): string | undefined {
    return this.versioned?.versionOf(key);
  }

  /** Stores `value` with `version` (replacing any tombstone); returns the previous value. The caller decided it is not stale. */
  putVersioned(key: string, value: string, version: string): string | undefined {
    const previous = this.write(key, value);
    (this.versioned ??= new VersionedEntries()).record(key, version, previous !== undefined, true);
    recordEffect(this, [EffectTag.PutVersioned, key, value, version]);
    return previous;
  }

  /** Removes `key`, leaving a tombstone with `version`; returns the value it had. The caller decided it is not stale. */
  removeVersioned(key: string, version: string): string | undefined {
    const previous = this.erase(key);
    (this.versioned ??= new VersionedEntries()).record(key, version, previous !== undefined, false);
    recordEffect(this, [EffectTag.RemoveVersioned, key, version]);
    return previous;
  }

  /** Forgets `key` entirely: entry, version and tombstone. A replica drops this way what its primary no longer has. */
  drop(key: string): void {
    const previous = this.erase(key);
    if (this.versioned !== undefined) this.forget(this.versioned, key, previous !== undefined);
  }

  /** Versions of versioned entries and tombstones, for copying the partition to a replica. */
  get versions(): ReadonlyMap<string, string> | undefined {
    return this.versioned?.versions;
  }

  /** Removed keys kept with their version. */
  get tombstones(): number {
    return this.versioned?.tombstones ?? 0;
  }

  /** Keys with a version: versioned entries plus tombstones. */
  get versionedKeys(): number {
    return this.versioned?.size ?? 0;
  }

  private write(key: string, value: string): string | undefined {
    const previous = this.entries.get(key);
    this.entries.set(key, value);
    this.observer?.changed(key, previous, value);
    this.bytes += previous === undefined ? key.length + value.length : value.length - previous.length;
    return previous;
  }

  private erase(key: string): string | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.observer?.changed(key, previous, undefined);
      this.bytes -= key.length + previous.length;
    }
    return previous;
  }

  private forget(versioned: VersionedEntries, key: string, hadEntry: boolean): void {
    versioned.forget(key, hadEntry);
    // The last versioned key is gone: give the map back.
    if (versioned.size === 0) this.versioned = undefined;
  }
}
