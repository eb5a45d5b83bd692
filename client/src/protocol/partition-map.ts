import { BadRequestError } from './errors.js';

/** Names starting with this are the grid's own caches (atomic longs, SQL metadata). */
export const INTERNAL_CACHE_PREFIX = '__shoal.';

/** The internal cache holding atomic longs: one key per counter (its name, encoded as a key). */
export const ATOMIC_LONGS_CACHE = `${INTERNAL_CACHE_PREFIX}atomic_longs`;

/** How one cache is routed: the member index of each partition's primary, -1 while the partition is lost. */
export interface WireCacheRoute {
  readonly mode: 'partitioned' | 'replicated';
  readonly primaries: readonly number[];
}

/**
 * What `PartitionMap` answers: the routing table a client holds. Every
 * Responses frame carries the epoch it was answered under, so a client
 * refreshes this only when it holds an older one.
 */
export interface WirePartitionMap {
  /** Raised by every change of placement; 0 on a standalone node. */
  readonly epoch: number;
  /** `[nodeId, 'host:port']` of every member; primaries index into this. */
  readonly members: readonly (readonly [id: string, address: string])[];
  readonly caches: Readonly<Record<string, WireCacheRoute>>;
}

/** Reads a `PartitionMap` result; throws `BadRequestError` when it is not one. */
export function partitionMapFromWire(wire: unknown): WirePartitionMap {
  if (!isRecord(wire)) throw new BadRequestError('partition map must be a map');
  const { epoch, members, caches } = wire;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw new BadRequestError('partition map epoch must be a non-negative integer');
  if (!Array.isArray(members) || !members.every((m) => Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')) {
    throw new BadRequestError('partition map members must be [id, address] pairs');
  }
  if (!isRecord(caches)) throw new BadRequestError('partition map caches must be a map');
  for (const [name, route] of Object.entries(caches)) {
    if (!isRecord(route) || (route.mode !== 'partitioned' && route.mode !== 'replicated') || !Array.isArray(route.primaries)) {
      throw new BadRequestError(`partition map route of cache '${name}' is malformed`);
    }
    if (!route.primaries.every((p) => Number.isInteger(p) && (p as number) >= -1 && (p as number) < members.length)) {
      throw new BadRequestError(`partition map route of cache '${name}' names an unknown member`);
    }
  }
  return wire as unknown as WirePartitionMap;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}
