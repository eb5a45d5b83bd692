import { ErrorCode, ShoalError, type CacheConfig, type Shoal } from '@shoal/client';

/** Creates a cache unless it exists; one that exists with another layout is used as it is (`CACHE_CONFIG_CONFLICT` is not an error). */
export async function createCacheIfMissing(grid: Shoal, name: string, config: CacheConfig = {}): Promise<void> {
  try {
    await grid.createCache(name, config);
  } catch (err) {
    if (err instanceof ShoalError && err.code === ErrorCode.CacheConfigConflict) return;
    throw err;
  }
}

/**
 * The grid would not create a cache the ingester needs (a bad layout or
 * name, refused auth): no change can be applied, so this fails the process;
 * it is never a refusal of one change (`isRefusal` is false for it).
 */
export class CacheSetupError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/** Where names starting with this belong to the grid itself. */
export const RESERVED_CACHE_PREFIX = '__shoal.';
const MAX_CACHE_NAME_LENGTH = 255;

/** Why `name` cannot name a cache the ingester creates, or null when it can (the grid's own rules). */
export function cacheNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_CACHE_NAME_LENGTH) return `a cache name has 1 to ${MAX_CACHE_NAME_LENGTH} characters, '${name.slice(0, 40)}${name.length > 40 ? '…' : ''}' has ${name.length}`;
  if (name.startsWith(RESERVED_CACHE_PREFIX)) return `cache names starting with '${RESERVED_CACHE_PREFIX}' are reserved for the grid ('${name}')`;
  return null;
}
