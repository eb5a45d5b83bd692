import { FrameKind, Opcode, PROTOCOL_VERSION, encodeKey, encodeValue } from '@shoal/client/protocol';
import { pack } from './msgpack-writer.js';
import type { Rng } from './prng.js';

/** The one cache fuzzed frames are aimed at; the guarded data lives elsewhere. */
export const FUZZ_CACHE = 'fuzz';
/** Atomic longs the fuzzed frames may change. */
export const FUZZ_COUNTERS: readonly string[] = ['fuzz-counter-a', 'fuzz-counter-b'];

/** `[Hello, version, token, name]` as a wire array. */
export function helloWire(clientName = 'fuzzer'): unknown[] {
  return [FrameKind.Hello, PROTOCOL_VERSION, null, clientName];
}

export function helloBytes(clientName = 'fuzzer'): Uint8Array {
  return pack(helloWire(clientName));
}

/** `[Requests, requests]` as bytes. */
export function requestsBytes(requests: readonly unknown[]): Uint8Array {
  return pack([FrameKind.Requests, requests]);
}

function fuzzKey(rng: Rng): Uint8Array {
  return encodeKey(rng.pick<unknown>([`k${rng.int(20)}`, rng.int(20), [`t${rng.int(3)}`, rng.int(5)], { id: rng.int(10), tenant: 'x' }]));
}

function fuzzValue(rng: Rng): Uint8Array {
  return encodeValue(rng.pick<unknown>([rng.int(1000), `v${rng.int(100)}`, { n: rng.int(10), tags: ['a', 'b'] }, new Uint8Array([1, 2, 3]), new Date(1_700_000_000_000), 2n ** 60n, 'x'.repeat(rng.int(200))]));
}

/**
 * A valid request `[id, opcode, ...args]` for a random operation, aimed at the
 * fuzz cache or a fuzz counter.
 */
export function validRequest(rng: Rng, id: number): unknown[] {
  const cache = FUZZ_CACHE;
  const counter = rng.pick(FUZZ_COUNTERS);
  const smallInt = () => rng.between(-100, 100);
  switch (rng.int(25)) {
    case 0:
      return [id, Opcode.Ping];
    case 1:
      return [id, Opcode.CreateCache, cache, { mode: 'partitioned', backups: 1, partitions: 8 }];
    case 2:
      return [id, Opcode.ListCaches];
    case 3:
    case 4:
      return [id, Opcode.Get, cache, fuzzKey(rng)];
    case 5:
      return [id, Opcode.GetAll, cache, [fuzzKey(rng), fuzzKey(rng), fuzzKey(rng)]];
    case 6:
    case 7:
      return [id, Opcode.Put, cache, fuzzKey(rng), fuzzValue(rng)];
    case 8:
      return [id, Opcode.PutAll, cache, [fuzzKey(rng), fuzzValue(rng), fuzzKey(rng), fuzzValue(rng)]];
    case 9:
      return [id, Opcode.Remove, cache, fuzzKey(rng)];
    case 10:
      return [id, Opcode.RemoveAll, cache, [fuzzKey(rng), fuzzKey(rng)]];
    case 11:
      return [id, Opcode.ContainsKey, cache, fuzzKey(rng)];
    case 12:
      return [id, Opcode.PutIfAbsent, cache, fuzzKey(rng), fuzzValue(rng)];
    case 13:
      return [id, Opcode.Replace, cache, fuzzKey(rng), fuzzValue(rng)];
    case 14: {
      const value = fuzzValue(rng);
      return [id, Opcode.ReplaceIfEquals, cache, fuzzKey(rng), rng.chance(0.5) ? value : fuzzValue(rng), fuzzValue(rng)];
    }
    case 15:
      return [id, Opcode.GetAndPut, cache, fuzzKey(rng), fuzzValue(rng)];
    case 16:
      return [id, Opcode.GetAndRemove, cache, fuzzKey(rng)];
    case 17:
      return [id, Opcode.Size, cache];
    case 18:
      return rng.chance(0.3) ? [id, Opcode.Clear, cache] : [id, Opcode.Size, cache];
    case 19:
      return [id, Opcode.Scan, cache, rng.int(9), rng.between(1, 50)];
    case 20:
      return [id, Opcode.AtomicGet, counter];
    case 21:
      return [id, Opcode.AtomicSet, counter, smallInt()];
    case 22:
      return [id, rng.pick([Opcode.AtomicAddAndGet, Opcode.AtomicGetAndAdd]), counter, smallInt()];
    case 23:
      return [id, Opcode.AtomicCompareAndSet, counter, rng.int(3), smallInt()];
    default:
      return rng.chance(0.5) ? [id, Opcode.DestroyCache, `${cache}-tmp`] : [id, Opcode.CreateCache, `${cache}-tmp`, { mode: 'replicated', backups: 0, partitions: 4 }];
  }
}

/** One to `max` valid requests with fresh ids from `nextId`. */
export function validRequests(rng: Rng, nextId: () => number, max = 4): unknown[][] {
  const count = rng.between(1, max);
  return Array.from({ length: count }, () => validRequest(rng, nextId()));
}
