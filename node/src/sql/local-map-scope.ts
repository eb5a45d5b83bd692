import { type Key, SqlError, UnavailableError, decodeKey, encodeKey, partitionOf } from '@shoal/client/protocol';
import type { IndexRange, MapScope, StoredRow } from '@shoal/sql';
import type { CacheRegistry } from '../storage/cache-registry.js';
import type { CacheStore } from '../storage/cache-store.js';
import type { PartitionStore } from '../storage/partition-store.js';
import { readColumnsInto, readStoredRow } from '../storage/flat-row-reader.js';

/** A stored entry read as a row; the key and value are decoded only if the engine asks for them. */
class EntryRow implements StoredRow {
  private decodedKey: Key | undefined;
  private decodedValue: unknown;

  constructor(
    private readonly keyBytes: string,
    private readonly stored: string,
  ) {}

  get key(): Key {
    return (this.decodedKey ??= decodeKey(Buffer.from(this.keyBytes, 'latin1')));
  }

  get value(): unknown {
    return (this.decodedValue ??= readStoredRow(this.stored));
  }

  readColumns(positions: ReadonlyMap<string, number>, target: unknown[], offset: number): boolean {
    return readColumnsInto(this.stored, positions, target, offset);
  }
}

/**
 * What one map request reads here: the partitions of `table` it covers
 * (checked to be led by this node before it runs), and whole replicated
 * tables this node holds an in-sync copy of.
 */
export class LocalMapScope implements MapScope {
  private readonly store: CacheStore;
  private readonly coveredSet: ReadonlySet<number>;

  constructor(
    private readonly caches: CacheRegistry,
    private readonly table: string,
    private readonly partitions: readonly number[],
    /** True when this node holds an in-sync copy of every partition of the cache. */
    private readonly holdsWhole: (cache: string) => boolean,
  ) {
    this.store = caches.require(table);
    this.coveredSet = new Set(partitions);
  }

  *scan(table: string): Iterable<StoredRow> {
    for (const partition of this.covered(table)) {
      for (const [key, value] of partition.entries) yield new EntryRow(key, value);
    }
  }

  get(table: string, key: Key): StoredRow | undefined {
    this.covered(table);
    const keyBytes = encodeKey(key);
    const partition = partitionOf(keyBytes, this.store.partitions.length);
    if (!this.coveredSet.has(partition)) return undefined;
    const latin1 = Buffer.from(keyBytes).toString('latin1');
    const value = this.store.partitions[partition]!.get(latin1);
    return value === undefined ? undefined : new EntryRow(latin1, value);
  }

  indexRange(table: string, index: string, range: IndexRange): Iterable<StoredRow> | undefined {
    this.covered(table);
    const secondary = this.store.indexes?.get(index);
    return secondary === undefined ? undefined : this.rowsInRange(secondary.range(range));
  }

  *replicated(table: string): Iterable<StoredRow> {
    const store = this.caches.require(table);
    if (store.definition.mode !== 'replicated') throw new SqlError(`table "${table}" is not replicated`);
    if (!this.holdsWhole(table)) throw new UnavailableError(`this node's copy of replicated table "${table}" is still filling`);
    for (const partition of store.partitions) for (const [key, value] of partition.entries) yield new EntryRow(key, value);
  }

  /** The index spans every partition held here: keep the entries of covered partitions. */
  private *rowsInRange(keys: Iterable<string>): Iterable<StoredRow> {
    const partitions = this.store.partitions;
    for (const key of keys) {
      const partition = partitionOf(Buffer.from(key, 'latin1'), partitions.length);
      if (!this.coveredSet.has(partition)) continue;
      const value = partitions[partition]!.get(key);
      if (value !== undefined) yield new EntryRow(key, value);
    }
  }

  private covered(table: string): PartitionStore[] {
    if (table !== this.table) throw new SqlError(`a map request over "${this.table}" cannot read table "${table}"`);
    return this.partitions.map((p) => this.store.partitions[p]!);
  }
}
