import { BadRequestError, type WireRequest, checkMsgpackStructure } from '@shoal/client/protocol';
import { checkCacheName } from '../storage/cache-definition.js';
import type { CacheStore } from '../storage/cache-store.js';
import type { HandlerContext } from './handler.js';

/** Arguments start after the id and the opcode. */
const FIRST_ARG = 2;
/** Largest key, in bytes; larger keys are refused rather than stored. */
export const MAX_KEY_BYTES = 64 * 1024;

export function arg(request: WireRequest, index: number): unknown {
  return request[FIRST_ARG + index];
}

/** The cache named by argument 0. */
export function cacheArg(request: WireRequest, context: HandlerContext): CacheStore {
  const name = arg(request, 0);
  // Internal caches (atomic longs) are reachable only through their own operations.
  checkCacheName(name);
  return context.caches.require(name);
}

/** A key's canonical bytes, for an operation that stores it. */
export function keyArg(request: WireRequest, index: number): Uint8Array {
  return checkKeyBytes(arg(request, index), `argument ${index}`);
}

export function checkKeyBytes(value: unknown, what: string): Uint8Array {
  const key = checkLookupKeyBytes(value, what);
  checkOneValue(key, what);
  return key;
}

/**
 * A key's bytes, for an operation that only looks it up or removes it: bytes
 * that are not one msgpack value were never stored, so they simply miss, and
 * reads skip the structure check.
 */
export function lookupKeyArg(request: WireRequest, index: number): Uint8Array {
  return checkLookupKeyBytes(arg(request, index), `argument ${index}`);
}

export function checkLookupKeyBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new BadRequestError(`${what} must be a key as bytes (msgpack bin)`);
  if (value.length === 0 || value.length > MAX_KEY_BYTES) throw new BadRequestError(`${what}: a key must be 1 to ${MAX_KEY_BYTES} bytes`);
  return value;
}

/** A value's bytes. */
export function valueArg(request: WireRequest, index: number): Uint8Array {
  return checkValueBytes(arg(request, index), `argument ${index}`);
}

export function checkValueBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length === 0) throw new BadRequestError(`${what} must be a value as non-empty bytes (msgpack bin)`);
  checkOneValue(value, what);
  return value;
}

export function arrayArg(request: WireRequest, index: number): readonly unknown[] {
  const value = arg(request, index);
  if (!Array.isArray(value)) throw new BadRequestError(`argument ${index} must be an array`);
  return value;
}

export function safeIntegerArg(request: WireRequest, index: number, what: string): number {
  const value = arg(request, index);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new BadRequestError(`${what} must be a safe integer`);
  return value;
}

/** Stored bytes are answered as they are (getAll splices them), so they must be exactly one msgpack value. */
function checkOneValue(bytes: Uint8Array, what: string): void {
  const problem = checkMsgpackStructure(bytes);
  if (problem !== null) throw new BadRequestError(`${what} is not one msgpack value: ${problem}`);
}
