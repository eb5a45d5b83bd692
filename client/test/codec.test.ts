import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  FrameKind,
  checkMsgpackStructure,
  decodeFrame,
  decodeKey,
  decodeValue,
  encodeFrame,
  encodeKey,
  encodeValue,
  partitionOf,
  spliceEncodedArray,
} from '../src/protocol/index.js';

describe('keys', () => {
  it('encode composite keys canonically: field order does not matter', () => {
    expect(encodeKey({ b: 1, a: ['x', { d: 2, c: 3 }] })).toEqual(encodeKey({ a: ['x', { c: 3, d: 2 }], b: 1 }));
    expect(encodeKey(['a', 1])).not.toEqual(encodeKey([1, 'a']));
  });

  it('round-trip', () => {
    for (const key of ['k', 42, -1.5, ['a', 2], { tenant: 't1', id: 7 }]) expect(decodeKey(encodeKey(key))).toEqual(key);
  });

  it.each([null, undefined, true, NaN, Infinity, () => 1, new Date(0), new Map(), [null], { a: undefined }, 10n])('refuse %s', (key) => {
    expect(() => encodeKey(key)).toThrow(BadRequestError);
  });
});

describe('values', () => {
  it('carry Dates, 64-bit integers, bytes and nested data', () => {
    const value = { at: new Date(1_700_000_000_123), big: -(2n ** 63n), small: 2n ** 40n, bytes: new Uint8Array([1, 2]), list: [1, 'two', { three: 3.5 }] };
    expect(decodeValue(encodeValue(value))).toEqual(value);
  });

  it('refuse null and undefined', () => {
    expect(() => encodeValue(null)).toThrow(BadRequestError);
    expect(() => encodeValue(undefined)).toThrow(BadRequestError);
  });
});

describe('frames', () => {
  it('round-trip every kind', () => {
    const frames = [
      { kind: 'hello', version: 1, authToken: null, clientName: 'c' },
      { kind: 'welcome', version: 1, nodeId: 'n', partitionCount: 1024, maxFrameBytes: 100 },
      { kind: 'requests', requests: [[1, 10, 'c', new Uint8Array([1])]] },
      { kind: 'responses', responses: [[1, 0, null], [2, 1, 'BAD_REQUEST', 'no']] },
      { kind: 'fatal', code: 'UNAUTHORIZED', message: 'no' },
    ] as const;
    for (const frame of frames) expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it.each([
    ['random bytes', new Uint8Array([0xc1, 0xff, 0x00])],
    ['truncated', encodeFrame({ kind: 'requests', requests: [[1, 10, 'cache']] }).subarray(0, 5)],
    ['not an array', encode({ kind: 2 })],
    ['unknown kind', encode([99, []])],
    ['hello with a numeric token', encode([FrameKind.Hello, 1, 5, 'c'])],
    ['array claiming 2^32-1 elements', new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])],
  ])('refuse %s with BAD_REQUEST', (_name, bytes) => {
    expect(() => decodeFrame(bytes)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});

describe('partitionOf', () => {
  it('is stable, within range, and spreads keys evenly', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const p = partitionOf(encodeKey(`key:${i}`), 64);
      expect(p).toBe(partitionOf(encodeKey(`key:${i}`), 64));
      counts[p]!++;
    }
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});

describe('spliceEncodedArray', () => {
  it.each([0, 1, 15, 16, 70_000])('makes a msgpack array of %i already-encoded values', (count) => {
    const values = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? undefined : { i, s: 'é'.repeat(i % 5) }));
    const latin1 = values.map((v) => (v === undefined ? undefined : Buffer.from(encodeValue(v)).toString('latin1')));
    expect(decodeValue(spliceEncodedArray(latin1))).toEqual(values.map((v) => v ?? null));
  });
});

describe('value strings', () => {
  it('decode to the same text as they were put, across lengths and scripts', () => {
    const alphabet = ['a', 'é', '中', '😀', ' ', 'z'];
    for (let length = 0; length < 400; length += 7) {
      const text = Array.from({ length }, (_, i) => alphabet[(i * 7 + length) % alphabet.length]).join('');
      const value = { text, nested: [text, { text }] };
      expect(decodeValue(Buffer.from(encodeValue(value)))).toEqual(value);
    }
  });
});

describe('checkMsgpackStructure', () => {
  it.each([
    ['a complete value', encodeValue({ a: [1, 'x', new Uint8Array(3)] }), null],
    ['trailing bytes', new Uint8Array([0x01, 0x02]), /follow the value/],
    ['a truncated string', new Uint8Array([0xa5, 0x61]), /past the end/],
    ['an array claiming more elements than bytes', new Uint8Array([0xdd, 0x00, 0x0f, 0x42, 0x40, 0x01]), /more than the bytes left/],
    ['deep nesting', new Uint8Array([...Array(100).fill(0x91), 0xc0]), /nesting deeper/],
    ['invalid UTF-8', new Uint8Array([0xa2, 0xc0, 0xaf]), /UTF-8/],
    ['a reserved type byte', new Uint8Array([0xc1]), /not a msgpack type/],
  ])('%s', (_name, bytes, expected) => {
    const problem = checkMsgpackStructure(bytes);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
