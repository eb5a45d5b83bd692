import type { Rng } from './prng.js';

/** Bytes that change the meaning of msgpack the most: type bytes, length headers, limits. */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xc9, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff];

/** A mutation, described so that a failing case can be read and replayed. */
export interface Mutated {
  readonly bytes: Uint8Array;
  readonly steps: readonly string[];
}

/** Applies 1 to `max` random mutations: bit flips, byte inserts, deletes, overwrites, chunk duplication. */
export function mutate(rng: Rng, input: Uint8Array, max = 4): Mutated {
  let bytes: Uint8Array = Uint8Array.from(input);
  const steps: string[] = [];
  const count = rng.between(1, max);
  for (let n = 0; n < count; n++) {
    const at = rng.int(bytes.length + 1);
    switch (rng.int(6)) {
      case 0:
      case 1: {
        if (bytes.length === 0) break;
        const i = Math.min(at, bytes.length - 1);
        const bit = rng.int(8);
        bytes[i]! ^= 1 << bit;
        steps.push(`flip bit ${bit} of byte ${i}`);
        break;
      }
      case 2: {
        const inserted = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
        bytes = splice(bytes, at, 0, new Uint8Array([inserted]));
        steps.push(`insert 0x${hex2(inserted)} at ${at}`);
        break;
      }
      case 3: {
        if (bytes.length === 0) break;
        const i = Math.min(at, bytes.length - 1);
        const length = rng.chance(0.8) ? 1 : rng.between(1, Math.min(8, bytes.length - i));
        bytes = splice(bytes, i, length, new Uint8Array(0));
        steps.push(`delete ${length} at ${i}`);
        break;
      }
      case 4: {
        if (bytes.length === 0) break;
        const i = Math.min(at, bytes.length - 1);
        const value = rng.pick(INTERESTING_BYTES);
        bytes[i] = value;
        steps.push(`set byte ${i} to 0x${hex2(value)}`);
        break;
      }
      default: {
        if (bytes.length === 0) break;
        const from = rng.int(bytes.length);
        const length = rng.between(1, Math.min(16, bytes.length - from));
        bytes = splice(bytes, at, 0, bytes.slice(from, from + length));
        steps.push(`copy ${length} from ${from} to ${at}`);
      }
    }
  }
  return { bytes, steps };
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
