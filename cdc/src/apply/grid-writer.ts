import { BadRequestError, ShoalError, type Cache, type CacheConfig, type Key, type Shoal } from '@shoal/client';
import type { Row } from '../decode/index.js';
import type { GridChange } from './batch-plan.js';

/** The grid calls applying a batch needs: versioned changes per cache, and clearing a cache. */
export interface ChangeTarget {
  applyChanges(cache: string, changes: readonly GridChange[]): Promise<boolean[]>;
  clear(cache: string): Promise<void>;
}

/**
 * Writes to a Shoal grid, creating each cache on first use (with `config`;
 * a cache that exists with another layout is used as it is).
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
      ready = this.grid.createCache(name, this.config).then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof ShoalError && err.code === 'CACHE_CONFIG_CONFLICT') return;
          this.ready.delete(name);
          throw err;
        },
      );
      this.ready.set(name, ready);
    }
    return ready;
  }

  /** A cache dropped while we ran is created again, once. */
  private async onceRecreated<T>(cache: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof ShoalError) || err.code !== 'CACHE_NOT_FOUND') throw err;
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
