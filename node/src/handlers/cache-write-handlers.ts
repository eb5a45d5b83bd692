import { BadRequestError, type WireRequest } from '@shoal/client/protocol';
import type { CacheStore } from '../storage/cache-store.js';
import { bytesToLatin1, latin1ToBytes } from '../storage/latin1.js';
import type { HandlerContext } from './handler.js';
import { arrayArg, cacheArg, checkKeyBytes, checkLookupKeyBytes, checkValueBytes, keyArg, lookupKeyArg, valueArg } from './request-args.js';

export function put(request: WireRequest, context: HandlerContext): null {
  const cache = cacheArg(request, context);
  const key = keyArg(request, 1);
  const value = valueArg(request, 2);
  cache.partitionFor(key).set(bytesToLatin1(key), bytesToLatin1(value));
  cache.stats.puts++;
  return null;
}

export function putAll(request: WireRequest, context: HandlerContext): null {
  const cache = cacheArg(request, context);
  const flat = arrayArg(request, 1);
  if (flat.length % 2 !== 0) throw new BadRequestError('putAll needs [key, value, key, value, ...]');
  // Check everything before writing anything: a bad entry leaves the cache untouched.
  for (let i = 0; i < flat.length; i += 2) {
    checkKeyBytes(flat[i], `entry ${i / 2} key`);
    checkValueBytes(flat[i + 1], `entry ${i / 2} value`);
  }
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i] as Uint8Array;
    cache.partitionFor(key).set(bytesToLatin1(key), bytesToLatin1(flat[i + 1] as Uint8Array));
  }
  cache.stats.puts += flat.length / 2;
  return null;
}

export function remove(request: WireRequest, context: HandlerContext): boolean {
  return removeKey(cacheArg(request, context), lookupKeyArg(request, 1)) !== undefined;
}

export function removeAll(request: WireRequest, context: HandlerContext): number {
  const cache = cacheArg(request, context);
  const keys = arrayArg(request, 1).map((key, i) => checkLookupKeyBytes(key, `key ${i}`));
  let removed = 0;
  for (const key of keys) if (removeKey(cache, key) !== undefined) removed++;
  return removed;
}

export function putIfAbsent(request: WireRequest, context: HandlerContext): boolean {
  const cache = cacheArg(request, context);
  const key = keyArg(request, 1);
  const value = valueArg(request, 2);
  const partition = cache.partitionFor(key);
  const keyText = bytesToLatin1(key);
  if (partition.get(keyText) !== undefined) return false;
  partition.set(keyText, bytesToLatin1(value));
  cache.stats.puts++;
  return true;
}

export function replace(request: WireRequest, context: HandlerContext): boolean {
  const cache = cacheArg(request, context);
  const key = keyArg(request, 1);
  const value = valueArg(request, 2);
  const partition = cache.partitionFor(key);
  const keyText = bytesToLatin1(key);
  if (partition.get(keyText) === undefined) return false;
  partition.set(keyText, bytesToLatin1(value));
  cache.stats.puts++;
  return true;
}

export function replaceIfEquals(request: WireRequest, context: HandlerContext): boolean {
  const cache = cacheArg(request, context);
  const key = keyArg(request, 1);
  const expected = valueArg(request, 2);
  const value = valueArg(request, 3);
  const partition = cache.partitionFor(key);
  const keyText = bytesToLatin1(key);
  if (partition.get(keyText) !== bytesToLatin1(expected)) return false;
  partition.set(keyText, bytesToLatin1(value));
  cache.stats.puts++;
  return true;
}

export function getAndPut(request: WireRequest, context: HandlerContext): Buffer | null {
  const cache = cacheArg(request, context);
  const key = keyArg(request, 1);
  const value = valueArg(request, 2);
  const previous = cache.partitionFor(key).set(bytesToLatin1(key), bytesToLatin1(value));
  cache.stats.puts++;
  return previous === undefined ? null : latin1ToBytes(previous);
}

export function getAndRemove(request: WireRequest, context: HandlerContext): Buffer | null {
  const previous = removeKey(cacheArg(request, context), lookupKeyArg(request, 1));
  return previous === undefined ? null : latin1ToBytes(previous);
}

export function clear(request: WireRequest, context: HandlerContext): null {
  const cache = cacheArg(request, context);
  cache.partitions.forEach((partition, index) => {
    if (!context.leads(cache.name, index)) return;
    cache.stats.removals += partition.size;
    partition.clear();
  });
  return null;
}

function removeKey(cache: CacheStore, key: Uint8Array): string | undefined {
  const previous = cache.partitionFor(key).delete(bytesToLatin1(key));
  if (previous !== undefined) cache.stats.removals++;
  return previous;
}
