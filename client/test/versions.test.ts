import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangeTag, compareVersions } from '../src/protocol/index.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('compareVersions', () => {
  it.each([
    [bytes(), bytes(), 0],
    [bytes(1), bytes(1), 0],
    [bytes(1), bytes(2), -1],
    [bytes(2), bytes(1), 1],
    [bytes(1, 2), bytes(1, 2, 0), -1], // a proper prefix sorts first
    [bytes(), bytes(0), -1],
    [bytes(1, 255), bytes(2), -1], // the first differing byte decides, not the length
    [bytes(0x7f), bytes(0x80), -1], // unsigned: 0x80 is not negative
    [bytes(0xff, 0), bytes(0xff), 1],
  ])('compares %j with %j as %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('agrees with Buffer.compare (unsigned lexicographic) and is antisymmetric', () => {
    const version = fc.uint8Array({ maxLength: 12, max: 3 }); // small alphabet: prefixes and ties are common
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareVersions(a, b)).toBe(Buffer.compare(a, b));
        expect(compareVersions(b, a)).toBe(-compareVersions(a, b) || 0);
      }),
      { seed: 20_240_601, numRuns: 2_000 },
    );
  });

  it('orders big-endian encodings of increasing numbers in the same order', () => {
    const encode = (n: bigint) => {
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(n);
      return out;
    };
    const positions = [0n, 1n, 255n, 256n, 65_535n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n];
    for (let i = 1; i < positions.length; i++) expect(compareVersions(encode(positions[i - 1]!), encode(positions[i]!))).toBe(-1);
  });

  it('accepts Buffers and subarrays', () => {
    const backing = Buffer.from([9, 1, 2, 3, 9]);
    expect(compareVersions(backing.subarray(1, 4), bytes(1, 2, 3))).toBe(0);
    expect(compareVersions(new Uint8Array(backing.buffer, backing.byteOffset + 1, 2), bytes(1, 2, 3))).toBe(-1);
  });
});

describe('ChangeTag', () => {
  it('is the wire tag of each change kind', () => {
    expect(ChangeTag).toEqual({ Put: 0, Remove: 1 });
  });
});
