import { BadRequestError, ErrorCode, ShoalError, type Cache, type CacheConfig, type Key, type Shoal } from '@shoal/client';
import type { Row } from '../decode/index.js';
import type { GridChange } from './batch-plan.js';
import { CacheSetupError, createCacheIfMissing } from './create-cache.js';

/** The grid calls applying a batch needs: versioned changes per cache, and clearing a cache. */
export interface ChangeTarget {
  applyChanges(cache: string, changes: readonly GridChange[]): Promise<boolean[]>;
  clear(cache: string): Promise<void>;
}

/**
 * Writes to a Shoal grid, creating each cache on first use (with `config`;
 * a cache that exists with another layout is used as it is). A creation the
 * grid refuses for good (not unavailability, which is retried) is a
 * `CacheSetupError`, which fails the process rather than the changes.
 */
export class GridWriter implements ChangeTarget {
  private readonly ready = new Map<string, Promise<void>>();

  constructor(
    private readonly grid: Shoal,
    private readonly config: CacheConfig = {},
  ) {}

  async applyChanges(cache: string, changes: readonly GridChange[]): Promise<boolean[]> {
    if (changes.length === 0) return [];
    await this.ensureCache(cache);
    return this.onceRecreated(cache, () => this.cacheOf(cache).applyChanges(changes));
  }

  async clear(cache: string): Promise<void> {
    await this.ensureCache(cache);
    await this.onceRecreated(cache, () => this.cacheOf(cache).clear());
  }

  private cacheOf(name: string): Cache<Key, Row> {
    return this.grid.cache<Key, Row>(name);
  }

  private ensureCache(name: string): Promise<void> {
    let ready = this.ready.get(name);
    if (ready === undefined) {
      ready = createCacheIfMissing(this.grid, name, this.config).catch((err: unknown) => {
        this.ready.delete(name);
        if (err instanceof ShoalError && err.retryable) throw err;
        throw new CacheSetupError(`the grid would not create cache '${name}' (${JSON.stringify(this.config)}): ${(err as Error).message}`, { cause: err });
      });
      this.ready.set(name, ready);
    }
    return ready;
  }

  /** A cache dropped while we ran is created again, once. */
  private async onceRecreated<T>(cache: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof ShoalError) || err.code !== ErrorCode.CacheNotFound) throw err;
      this.ready.delete(cache);
      await this.ensureCache(cache);
      return op();
    }
  }
}

/** True for the grid's refusal of a request's content (as opposed to the grid being unreachable or failing). */
export function isRefusal(err: unknown): boolean {
  return err instanceof BadRequestError;
}
