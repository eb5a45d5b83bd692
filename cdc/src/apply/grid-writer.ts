import { BadRequestError, type EncodedValue, ErrorCode, ShoalError, type Cache, type CacheConfig, type Key, type Shoal, type TableSchemaConfig } from '@shoal/client';
import type { Logger } from 'pino';
import type { Row } from '../decode/index.js';
import type { GridChange } from './batch-plan.js';
import { CacheSetupError, createCacheIfMissing } from './create-cache.js';

/** The grid calls applying a batch needs: versioned changes per cache, and clearing a cache. */
export interface ChangeTarget {
  /** `table`: the SQL table to create the cache as, should it not exist yet; null for a plain cache. */
  applyChanges(cache: string, changes: readonly GridChange[], table: TableSchemaConfig | null): Promise<boolean[]>;
  clear(cache: string): Promise<void>;
}

/**
 * Writes to a Shoal grid, creating each cache on first use (with `config`,
 * and as a SQL table when the changes describe one; a cache that exists
 * with another layout or schema is used as it is). A table the grid refuses
 * (a schema it cannot take, or a node without SQL) is created as a plain
 * cache instead, with a warning: the rows are stored the same way. A
 * creation the grid refuses for good (not unavailability, which is retried)
 * is a `CacheSetupError`, which fails the process rather than the changes.
 */
export class GridWriter implements ChangeTarget {
  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    private readonly grid: Shoal,
    private readonly config: CacheConfig = {},
    private readonly log?: Logger,
  ) {}

  async applyChanges(cache: string, changes: readonly GridChange[], table: TableSchemaConfig | null): Promise<boolean[]> {
    if (changes.length === 0) return [];
    await this.ensureCache(cache, table);
    return this.onceRecreated(cache, table, () => this.cacheOf(cache).applyChanges(changes));
  }

  /** A truncate of a cache that does not exist has nothing to clear; creating it here would make it plain before a row could say its columns. */
  async clear(cache: string): Promise<void> {
    try {
      await this.cacheOf(cache).clear();
    } catch (err) {
      if (!isCacheNotFound(err)) throw err;
    }
  }

  private cacheOf(name: string): Cache<Key, Row | EncodedValue> {
    return this.grid.cache<Key, Row | EncodedValue>(name);
  }

  private ensureCache(name: string, table: TableSchemaConfig | null): Promise<void> {
    let ready = this.ready.get(name);
    if (ready === undefined) {
      ready = this.create(name, table).catch((err: unknown) => {
        this.ready.delete(name);
        throw err;
      });
      this.ready.set(name, ready);
    }
    return ready;
  }

  private async create(name: string, table: TableSchemaConfig | null): Promise<void> {
    try {
      if (table !== null && (await this.createTable(name, table))) return;
      await createCacheIfMissing(this.grid, name, this.config);
    } catch (err) {
      if (err instanceof ShoalError && err.retryable) throw err;
      throw new CacheSetupError(`the grid would not create cache '${name}' (${JSON.stringify(this.config)}): ${(err as Error).message}`, { cause: err });
    }
  }

  /** False when the grid refused the table as a bad request, so that a plain cache is made instead. */
  private async createTable(name: string, table: TableSchemaConfig): Promise<boolean> {
    try {
      await createCacheIfMissing(this.grid, name, { ...this.config, schema: table });
      return true;
    } catch (err) {
      if (!isRefusal(err)) throw err;
      this.log?.warn({ cache: name, reason: (err as Error).message, schema: table }, 'the grid refused the SQL table for this cache; creating a plain cache');
      return false;
    }
  }

  /** A cache dropped while we ran is created again, once. */
  private async onceRecreated<T>(cache: string, table: TableSchemaConfig | null, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!isCacheNotFound(err)) throw err;
      this.ready.delete(cache);
      await this.ensureCache(cache, table);
      return op();
    }
  }
}

function isCacheNotFound(err: unknown): boolean {
  return err instanceof ShoalError && err.code === ErrorCode.CacheNotFound;
}

/** True for the grid's refusal of a request's content (as opposed to the grid being unreachable or failing). */
export function isRefusal(err: unknown): boolean {
  return err instanceof BadRequestError;
}
