import { BadRequestError, type WireRequest, spliceEncodedArray } from '@shoal/client/protocol';
import { bytesToLatin1, latin1ToBytes } from '../storage/latin1.js';
import type { HandlerContext } from './handler.js';
import { arrayArg, cacheArg, checkLookupKeyBytes, lookupKeyArg, safeIntegerArg } from './request-args.js';

const MAX_SCAN_ENTRIES = 100_000;
/** A scan page stops after the partition that crosses this many bytes. */
const MAX_SCAN_BYTES = 16 * 1024 * 1024;

export function get(request: WireRequest, context: HandlerContext): Buffer | null {
  const cache = cacheArg(request, context);
  const key = lookupKeyArg(request, 1);
  const value = cache.partitionFor(key).get(bytesToLatin1(key));
  cache.stats.gets++;
  if (value === undefined) {
    cache.stats.misses++;
    return null;
  }
  cache.stats.hits++;
  return latin1ToBytes(value);
}

export function getAll(request: WireRequest, context: HandlerContext): Buffer {
  const cache = cacheArg(request, context);
  const keys = arrayArg(request, 1);
  let hits = 0;
  const values = keys.map((key, i) => {
    const bytes = checkLookupKeyBytes(key, `key ${i}`);
    const value = cache.partitionFor(bytes).get(bytesToLatin1(bytes));
    if (value !== undefined) hits++;
    return value;
  });
  cache.stats.gets += keys.length;
  cache.stats.hits += hits;
  cache.stats.misses += keys.length - hits;
  return spliceEncodedArray(values);
}

export function containsKey(request: WireRequest, context: HandlerContext): boolean {
  const cache = cacheArg(request, context);
  const key = lookupKeyArg(request, 1);
  return cache.partitionFor(key).get(bytesToLatin1(key)) !== undefined;
}

/** Entries in the partitions this node leads: a client sums the answers of every member. */
export function size(request: WireRequest, context: HandlerContext): number {
  const cache = cacheArg(request, context);
  let total = 0;
  cache.partitions.forEach((partition, index) => {
    if (context.leads(cache.name, index)) total += partition.size;
  });
  return total;
}

/**
 * A page of whole partitions from `cursor`, which this node leads; it stops
 * before the first partition another member leads. The next cursor, or null at the end.
 */
export function scan(request: WireRequest, context: HandlerContext): [number | null, Buffer[]] {
  const cache = cacheArg(request, context);
  const cursor = safeIntegerArg(request, 1, 'cursor');
  const wanted = safeIntegerArg(request, 2, 'maxEntries');
  if (cursor < 0 || cursor > cache.partitions.length) throw new BadRequestError(`cursor must be from 0 to ${cache.partitions.length}`);
  if (wanted < 1 || wanted > MAX_SCAN_ENTRIES) throw new BadRequestError(`maxEntries must be from 1 to ${MAX_SCAN_ENTRIES}`);
  const flat: Buffer[] = [];
  let bytes = 0;
  let next = cursor;
  while (next < cache.partitions.length && flat.length / 2 < wanted && bytes < MAX_SCAN_BYTES && (next === cursor || context.leads(cache.name, next))) {
    const partition = cache.partitions[next++]!;
    for (const [key, value] of partition.entries) flat.push(latin1ToBytes(key), latin1ToBytes(value));
    bytes += partition.bytes;
  }
  return [next < cache.partitions.length ? next : null, flat];
}
