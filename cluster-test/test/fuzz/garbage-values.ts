import { AnyKeyMap, Ext, Raw, Sized, concat, header } from './msgpack-writer.js';
import type { Rng } from './prng.js';

/** Strings that have broken parsers and handlers before: prototype keys, limits, odd code points. */
export const INTERESTING_STRINGS: readonly string[] = [
  '',
  'fuzz',
  'toString',
  'valueOf',
  'constructor',
  'hasOwnProperty',
  '__proto__',
  'prototype',
  'then',
  'length',
  '__shoal.',
  'mode',
  'backups',
  'partitions',
  'partitioned',
  'replicated',
  'NaN',
  '%s%n',
  '\u0000',
  '\ud800',
  '\u{1f41f}',
  'x'.repeat(255),
  'x'.repeat(256),
];

export const INTERESTING_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  Number.MIN_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER - 1,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  255,
  256,
  1023,
  1024,
  65_535,
  65_536,
  65_537,
  100_000,
  100_001,
  999_999,
  1_000_000,
  1_000_001,
];

export const INTERESTING_BIGINTS: readonly bigint[] = [0n, 1n, -1n, 2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n];

/** Lengths a lying header may claim: the limits of each width and of the node's decoder. */
export const INTERESTING_LENGTHS: readonly number[] = [
  0xffff_ffff,
  0x8000_0000,
  0x7fff_ffff,
  0x0100_0000,
  1_000_001,
  1_000_000,
  999_999,
  100_000,
  65_536,
  65_535,
  0x8000,
  0xff,
  16,
  15,
];

/** A string from the dictionary or random code units. */
export function garbageString(rng: Rng): string {
  if (rng.chance(0.5)) return rng.pick(INTERESTING_STRINGS);
  const length = rng.length(40);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(rng.chance(0.8) ? rng.between(0x20, 0x7e) : rng.int(0x10000));
  return out;
}

export function garbageNumber(rng: Rng): number {
  if (rng.chance(0.6)) return rng.pick(INTERESTING_NUMBERS);
  if (rng.chance(0.5)) return rng.between(-1000, 1000);
  return (rng.next() - 0.5) * 10 ** rng.int(20);
}

/** A map whose keys are the names JS objects inherit, and friends. */
function prototypeTrap(rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const count = rng.between(1, 3);
  for (let i = 0; i < count; i++) {
    const key = rng.pick(['toString', 'valueOf', 'constructor', 'hasOwnProperty', 'then', 'length', 'toJSON']);
    out[key] = garbage(rng, depth + 1);
  }
  return out;
}

/** Deep nesting of one-element arrays or maps, ending in nil. */
export function deepNesting(depth: number, kind: 'array' | 'map' = 'array'): Raw {
  const open = kind === 'array' ? new Uint8Array(depth).fill(0x91) : new Uint8Array(depth * 2);
  if (kind === 'map') for (let i = 0; i < depth; i++) open.set([0x81, 0xa0], i * 2); // {'': {'': ...}}
  return new Raw(concat(open, new Uint8Array([0xc0])));
}

/**
 * A value of any msgpack type, or something that only looks like one. The
 * result is meant for `pack`.
 */
export function garbage(rng: Rng, depth = 0): unknown {
  const leafOnly = depth >= 3;
  switch (rng.int(leafOnly ? 9 : 15)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
    case 3:
      return garbageNumber(rng);
    case 4:
      return rng.pick(INTERESTING_BIGINTS);
    case 5:
      return garbageString(rng);
    case 6:
      return rng.bytes(rng.length(40));
    case 7:
      return new Sized(rng.pick([1, 5, 10, 12, 0, -1]), rng.pick(['f32', 'f64', 64, 16] as const));
    case 8:
      return rng.pick([
        new Date(rng.between(-1e12, 4e12)),
        new Ext(-1, rng.bytes(rng.pick([0, 1, 3, 4, 8, 12, 13]))),
        new Ext(rng.between(-128, 127), rng.bytes(rng.length(20))),
        new Raw(new Uint8Array([0xc1])),
      ]);
    case 9:
    case 10: {
      const items: unknown[] = [];
      const count = rng.length(6);
      for (let i = 0; i < count; i++) items.push(garbage(rng, depth + 1));
      return items;
    }
    case 11: {
      const out: Record<string, unknown> = {};
      const count = rng.length(5);
      for (let i = 0; i < count; i++) {
        const key = garbageString(rng);
        if (key === '__proto__') Object.defineProperty(out, key, { value: garbage(rng, depth + 1), enumerable: true, configurable: true, writable: true });
        else out[key] = garbage(rng, depth + 1);
      }
      return out;
    }
    case 12:
      return prototypeTrap(rng, depth);
    case 13: {
      const entries: [unknown, unknown][] = [];
      const count = rng.between(1, 3);
      for (let i = 0; i < count; i++) entries.push([rng.pick<unknown>([null, true, 1.5, rng.bytes(2), [1], { a: 1 }, garbageNumber(rng)]), garbage(rng, depth + 1)]);
      return new AnyKeyMap(entries);
    }
    default:
      return rng.chance(0.5)
        ? deepNesting(rng.pick([100, 1_000, 5_000, 10_000, 20_000]), rng.chance(0.8) ? 'array' : 'map')
        : new Raw(lyingHeader(rng));
  }
}

/** A container header that claims far more than follows it. */
export function lyingHeader(rng: Rng): Uint8Array {
  const kind = rng.pick(['array', 'map', 'str', 'bin', 'ext'] as const);
  const length = rng.pick(INTERESTING_LENGTHS);
  const width = length > 0xffff ? 32 : length > 0xff ? rng.pick([16, 32] as const) : rng.pick([8, 16, 32] as const);
  const effectiveWidth = (kind === 'array' || kind === 'map') && width === 8 ? 16 : width;
  return concat(header(kind, length, effectiveWidth, rng.between(-128, 127)), rng.bytes(rng.length(8)));
}
