import { BadRequestError, OverflowError, type WireRequest, decodeValue, encodeKey, encodeValue } from '@shoal/client/protocol';
import { ATOMIC_LONGS_CACHE } from '../storage/cache-registry.js';
import { bytesToLatin1 } from '../storage/latin1.js';
import type { PartitionStore } from '../storage/partition-store.js';
import type { HandlerContext } from './handler.js';
import { arg, safeIntegerArg } from './request-args.js';

/** A counter's slot: its partition in the internal cache and its key there. */
interface Slot {
  readonly partition: PartitionStore;
  readonly key: string;
}

function slotOf(request: WireRequest, context: HandlerContext): Slot {
  const name = arg(request, 0);
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) throw new BadRequestError('atomic long name must be a string of 1 to 255 characters');
  const keyBytes = encodeKey(name);
  return { partition: context.caches.require(ATOMIC_LONGS_CACHE).partitionFor(keyBytes), key: bytesToLatin1(keyBytes) };
}

function read(slot: Slot): number {
  const stored = slot.partition.get(slot.key);
  return stored === undefined ? 0 : (decodeValue(Buffer.from(stored, 'latin1')) as number);
}

function write(slot: Slot, value: number): void {
  slot.partition.set(slot.key, bytesToLatin1(encodeValue(value)));
}

function sum(a: number, b: number): number {
  const result = a + b;
  if (!Number.isSafeInteger(result)) throw new OverflowError(`${a} + ${b} leaves the safe integer range ±(2^53 − 1)`);
  return result;
}

export function atomicGet(request: WireRequest, context: HandlerContext): number {
  return read(slotOf(request, context));
}

export function atomicSet(request: WireRequest, context: HandlerContext): null {
  const slot = slotOf(request, context);
  write(slot, safeIntegerArg(request, 1, 'value'));
  return null;
}

export function atomicAddAndGet(request: WireRequest, context: HandlerContext): number {
  const slot = slotOf(request, context);
  const next = sum(read(slot), safeIntegerArg(request, 1, 'delta'));
  write(slot, next);
  return next;
}

export function atomicGetAndAdd(request: WireRequest, context: HandlerContext): number {
  const slot = slotOf(request, context);
  const previous = read(slot);
  write(slot, sum(previous, safeIntegerArg(request, 1, 'delta')));
  return previous;
}

export function atomicCompareAndSet(request: WireRequest, context: HandlerContext): boolean {
  const slot = slotOf(request, context);
  const expected = safeIntegerArg(request, 1, 'expected');
  const value = safeIntegerArg(request, 2, 'value');
  if (read(slot) !== expected) return false;
  write(slot, value);
  return true;
}
