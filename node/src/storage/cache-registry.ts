import { ATOMIC_LONGS_CACHE, CacheConfigConflictError, CacheNotFoundError } from '@shoal/client/protocol';
import { type CacheDefinition, INTERNAL_CACHE_PREFIX, sameDefinition } from './cache-definition.js';
import { CacheStore } from './cache-store.js';

export { ATOMIC_LONGS_CACHE };

/** Backups of the atomic-longs cache: counters are few and small, and one lost cannot be rebuilt. */
export const ATOMIC_LONG_BACKUPS = 2;

/** Every cache on this node, by name. */
export class CacheRegistry {
  private readonly caches = new Map<string, CacheStore>();

  constructor(private readonly defaultPartitions: number) {
    this.caches.set(ATOMIC_LONGS_CACHE, new CacheStore({ name: ATOMIC_LONGS_CACHE, mode: 'partitioned', backups: ATOMIC_LONG_BACKUPS, partitions: defaultPartitions, writeSync: 'full' }));
  }

  /** Creates the cache; false if it exists with the same definition, `CACHE_CONFIG_CONFLICT` if with another. */
  create(definition: CacheDefinition): boolean {
    const existing = this.caches.get(definition.name);
    if (existing) {
      if (sameDefinition(existing.definition, definition)) return false;
      throw new CacheConfigConflictError(`cache '${definition.name}' exists with ${JSON.stringify(existing.definition)}`);
    }
    this.caches.set(definition.name, new CacheStore(definition));
    return true;
  }

  destroy(name: string): boolean {
    return this.caches.delete(name);
  }

  /** The cache, or `CACHE_NOT_FOUND`. */
  require(name: string): CacheStore {
    const cache = this.caches.get(name);
    if (cache === undefined) throw new CacheNotFoundError(`cache '${name}' does not exist; create it with createCache('${name}')`);
    return cache;
  }

  /** The cache, if this node has it. */
  find(name: string): CacheStore | undefined {
    return this.caches.get(name);
  }

  /** User caches (internal ones excluded). */
  list(): CacheStore[] {
    return [...this.caches.values()].filter((c) => !c.name.startsWith(INTERNAL_CACHE_PREFIX));
  }

  /** Every cache, internal ones included, for metrics. */
  all(): IterableIterator<CacheStore> {
    return this.caches.values();
  }

  get partitionCount(): number {
    return this.defaultPartitions;
  }
}
