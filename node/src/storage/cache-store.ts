import { partitionOf } from '@shoal/client/protocol';
import type { CacheDefinition } from './cache-definition.js';
import { TableIndexes } from './table-indexes.js';
import { PartitionStore } from './partition-store.js';

/** Counters an operator of a lookup cache watches. */
export interface CacheStats {
  gets: number;
  hits: number;
  misses: number;
  puts: number;
  removals: number;
  /** Versioned changes (ApplyChanges) skipped as older than the key's stored version. */
  stale: number;
}

/** One cache on this node: its partitions and its counters. */
export class CacheStore {
  readonly partitions: readonly PartitionStore[];
  readonly stats: CacheStats = { gets: 0, hits: 0, misses: 0, puts: 0, removals: 0, stale: 0 };

  private current: CacheDefinition;

  constructor(definition: CacheDefinition) {
    this.current = definition;
    this.partitions = Array.from({ length: definition.partitions }, (_, index) => new PartitionStore(definition.name, index));
    this.buildIndexes();
  }

  get definition(): CacheDefinition {
    return this.current;
  }

  /** Takes a new definition of the same cache (an index added or dropped) and rebuilds the indexes. */
  redefine(definition: CacheDefinition): void {
    this.current = definition;
    this.buildIndexes();
  }

  /** The table's secondary indexes on this node, when it is a table with some. */
  indexes: TableIndexes | undefined;

  private buildIndexes(): void {
    const table = this.current.table;
    for (const partition of this.partitions) partition.observer = undefined;
    this.indexes = table !== undefined && table.indexes.length > 0 ? new TableIndexes(table, this.partitions) : undefined;
  }

  get name(): string {
    return this.definition.name;
  }

  /** The partition holding the key with these canonical bytes. */
  partitionFor(keyBytes: Uint8Array): PartitionStore {
    return this.partitions[partitionOf(keyBytes, this.partitions.length)]!;
  }

  get size(): number {
    let total = 0;
    for (const partition of this.partitions) total += partition.size;
    return total;
  }

  get bytes(): number {
    let total = 0;
    for (const partition of this.partitions) total += partition.bytes;
    return total;
  }

  /** Removed keys kept with their version by versioned removes. */
  get tombstones(): number {
    let total = 0;
    for (const partition of this.partitions) total += partition.tombstones;
    return total;
  }

  /** Removes every entry, version and tombstone; returns how many entries there were. */
  clear(): number {
    let removed = 0;
    for (const partition of this.partitions) {
      removed += partition.size;
      partition.clear();
    }
    return removed;
  }
}
