import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  EncodedValue,
  ErrorCode,
  ValueWriter,
  decodeValue,
  encodeValue,
  encodeValuePart,
} from '../src/protocol/index.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

/** Where two byte strings first differ, or null when they are identical (readable even for 100 KB values). */
function firstDifference(actual: Uint8Array, expected: Uint8Array): string | null {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(e)) return null;
  let at = 0;
  while (at < a.length && at < e.length && a[at] === e[at]) at++;
  const around = (b: Buffer) => b.subarray(Math.max(0, at - 8), at + 8).toString('hex');
  return `lengths ${a.length} vs ${e.length}; first difference at byte ${at}: got …${around(a)}… expected …${around(e)}…`;
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(firstDifference(actual, expected)).toBeNull();
}

/**
 * A value with its bytes as hex: decoded bin is a Buffer when the input was
 * one, and toEqual is slow on 64 KB typed arrays, byte by byte.
 */
function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, comparable(part)]));
  }
  return value;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, got none');
}

function expectBadRequest(fn: () => unknown): void {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(BadRequestError);
  expect((err as BadRequestError).code).toBe(ErrorCode.BadRequest);
}

/** No lone surrogates: the string survives a UTF-8 round trip. */
function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

// ---------------------------------------------------------------- arbitraries

const boundaryIntegers = [
  0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -32, -33, -128, -129, -32768, -32769,
  -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER,
];

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, 0.5, -0.5, 1e21),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.tuple(fc.constantFrom(...boundaryIntegers), fc.integer({ min: -2, max: 2 })).map(([base, delta]) => base + delta),
);

const anyBigint = fc.oneof(
  fc.bigInt({ min: MIN_INT64, max: MAX_UINT64 }),
  fc.bigInt({ min: -300n, max: 300n }),
  fc.constantFrom(0n, 1n, -1n, 127n, 128n, -32n, -33n, 2n ** 32n, 2n ** 63n - 1n, 2n ** 63n, MIN_INT64, MAX_UINT64),
);

/** Any UTF-16 code unit, lone surrogates included; lengths cross msgpack's 50-char switch to TextEncoder. */
const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 70 });

/** Strings whose UTF-8 length sits on a str header boundary, with their non-ASCII part first or last. */
function boundaryLengthString(wides: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      bytes: fc.constantFrom(31, 32, 255, 256, 65535, 65536).chain((n) => fc.integer({ min: n - 1, max: n + 1 })),
      ascii: fc.constantFrom('a', 'Z', '\x00', '\x7f'),
      wide: fc.constantFrom(...wides),
      wideCount: fc.nat(12),
      wideLast: fc.boolean(),
    })
    .map(({ bytes, ascii, wide, wideCount, wideLast }) => {
      const wideBytes = Buffer.byteLength(wide) || 1;
      const wideText = wide.repeat(Math.min(wideCount, Math.floor(bytes / wideBytes)));
      const asciiText = ascii.repeat(bytes - Buffer.byteLength(wideText));
      return wideLast ? asciiText + wideText : wideText + asciiText;
    });
}

function anyString(wellFormedOnly: boolean): fc.Arbitrary<string> {
  const wides = ['', 'é', '€', '𝄞', ...(wellFormedOnly ? [] : ['\ud800', '\udfff'])];
  return fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    wellFormedOnly ? fc.string({ unit: 'grapheme-composite', maxLength: 20 }) : codeUnitString,
    boundaryLengthString(wides),
  );
}

const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(0, 255, 256, 65535, 65536).map((n) => new Uint8Array(n).fill(n & 0xff)),
  // A view that does not start at its buffer's beginning.
  fc.uint8Array({ minLength: 2, maxLength: 32 }).map((bytes) => new Uint8Array(bytes.buffer, 1)),
);

const anyDate = fc.date({ noInvalidDate: true });

/** Objects with other names are reordered (array indices) or special (__proto__) by JS; the writer is used with neither. */
const isIndexLike = (name: string) => /^(0|[1-9]\d*)$/.test(name);
const fieldName = fc
  .oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: 'binary-ascii', minLength: 30, maxLength: 34 }),
    fc.constantFrom('', 'id', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '01', '-1', '1.5', ' 1', 'é'),
  )
  .filter((name) => name !== '__proto__' && !isIndexLike(name));

interface Shape {
  /** Allow what does not survive `decodeValue(encodeValue(x))` as `toEqual` sees it: -0, lone surrogates, undefined. */
  readonly lossy: boolean;
}

function leaf({ lossy }: Shape): fc.Arbitrary<unknown> {
  const number = lossy ? anyNumber : anyNumber.map((n) => (Object.is(n, -0) ? 0 : n));
  return fc.oneof(number, anyBigint, fc.boolean(), fc.constant(null), anyString(!lossy), anyBytes, anyDate);
}

function nested(shape: Shape): fc.Arbitrary<unknown> {
  const { array, object } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf(shape), tie('array'), tie('object')),
    array: fc.array(tie('tree'), { maxLength: 5 }),
    object: fc.dictionary(
      fc.string({ maxLength: 8 }).filter((key) => key !== '__proto__'),
      tie('tree'),
      { maxKeys: 5, noNullPrototype: true },
    ),
  }));
  return fc.oneof(array, object);
}

function fieldValue(shape: Shape): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: leaf(shape) },
    { weight: 2, arbitrary: nested(shape) },
    ...(shape.lossy ? [{ weight: 1, arbitrary: fc.constant(undefined) }] : []),
  );
}

type Fields = readonly (readonly [string, unknown])[];

function fields(shape: Shape): fc.Arbitrary<Fields> {
  const entry = fc.tuple(fieldName, fieldValue(shape));
  const selector = ([name]: readonly [string, unknown]) => name;
  return fc.oneof(
    fc.uniqueArray(entry, { selector, maxLength: 8 }),
    // Across the fixmap / map 16 boundary.
    fc.uniqueArray(entry, { selector, minLength: 14, maxLength: 20 }),
  );
}

function objectOf(entries: Fields): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries) object[name] = value;
  return object;
}

// ---------------------------------------------------------------- writing

type StringMode = 'string' | 'utf8';

/** Writes one field with the method a producer would use for its type. */
function writeField(writer: ValueWriter, name: string, value: unknown, mode: StringMode, padding: number): void {
  writer.raw(ValueWriter.stringBytes(name));
  if (typeof value === 'number') writer.number(value);
  else if (typeof value === 'bigint') writer.bigint(value);
  else if (typeof value === 'boolean') writer.boolean(value);
  else if (value === null) writer.nil();
  else if (typeof value === 'string') {
    if (mode === 'utf8' && isWellFormed(value)) {
      // The UTF-8 bytes somewhere inside a larger buffer, as a producer slicing its input has them.
      const utf8 = Buffer.from(value, 'utf8');
      const source = Buffer.concat([Buffer.alloc(padding, 0xff), utf8, Buffer.alloc(padding, 0xfe)]);
      writer.utf8(source, padding, padding + utf8.length);
    } else writer.string(value);
  } else writer.value(value);
}

function writeObject(writer: ValueWriter, entries: Fields, mode: StringMode = 'string', padding = 0): Uint8Array {
  writer.begin();
  writer.mapHeader(entries.length);
  for (const [name, value] of entries) writeField(writer, name, value, mode, padding);
  return writer.finish().bytes;
}

// ---------------------------------------------------------------- tests

describe('ValueWriter', () => {
  it('writes exactly the bytes encodeValue writes for the same object', () => {
    // One writer for every run: growth, reuse and begin() are exercised across runs too.
    const writer = new ValueWriter();
    let previous: { bytes: Uint8Array; copy: Buffer } | null = null;
    fc.assert(
      fc.property(fields({ lossy: true }), fc.nat(3), (entries, padding) => {
        const expected = encodeValue(objectOf(entries));
        const viaString = writeObject(writer, entries, 'string');
        expectSameBytes(viaString, expected);
        const viaUtf8 = writeObject(writer, entries, 'utf8', padding);
        expectSameBytes(viaUtf8, expected);
        // Writing the second value did not touch the first one's bytes, nor the previous run's.
        expectSameBytes(viaString, expected);
        if (previous) expectSameBytes(previous.bytes, previous.copy);
        previous = { bytes: viaUtf8, copy: Buffer.from(viaUtf8) };
      }),
      { numRuns: 2000 },
    );
  });

  it('writes each number as encodeValue does, around every format boundary', () => {
    const numbers = [...boundaryIntegers.flatMap((n) => [n - 2, n - 1, n, n + 1, n + 2]), -0, NaN, Infinity, -Infinity, 0.1, -1.5, 2 ** 64, -(2 ** 63)];
    const writer = new ValueWriter();
    for (const n of numbers) {
      writer.begin();
      writer.mapHeader(1);
      writer.raw(ValueWriter.stringBytes('n'));
      writer.number(n);
      expectSameBytes(writer.finish().bytes, encodeValue({ n }));
    }
  });

  it('refuses bigints beyond 64 bits with BadRequestError, as encodeValue does, and accepts both ends of the range', () => {
    const writer = new ValueWriter();
    for (const big of [MAX_UINT64 + 1n, MIN_INT64 - 1n, 2n ** 100n, -(2n ** 100n)]) {
      writer.begin();
      writer.mapHeader(1);
      writer.raw(ValueWriter.stringBytes('b'));
      expectBadRequest(() => writer.bigint(big));
      expectBadRequest(() => encodeValue({ b: big }));
    }
    for (const big of [MAX_UINT64, MIN_INT64]) {
      writer.begin();
      writer.mapHeader(1);
      writer.raw(ValueWriter.stringBytes('b'));
      writer.bigint(big);
      expectSameBytes(writer.finish().bytes, encodeValue({ b: big }));
    }
  });

  it('grows its buffer past 4096 bytes: a 100 KB string among many fields', () => {
    const entries: [string, unknown][] = [];
    for (let i = 0; i < 400; i++) {
      entries.push([`f${i}`, i % 4 === 0 ? i * 1_000_003 : i % 4 === 1 ? `text ${i} é` : i % 4 === 2 ? BigInt(i) ** 5n : [i, { i }]]);
      if (i === 200) entries.push(['big', 'x'.repeat(100_000)], ['bigUnicode', '€'.repeat(40_000)], ['bytes', new Uint8Array(70_000).fill(3)]);
    }
    const expected = encodeValue(objectOf(entries));
    expect(expected.length).toBeGreaterThan(250_000);
    expectSameBytes(writeObject(new ValueWriter(), entries, 'string'), expected);
    expectSameBytes(writeObject(new ValueWriter(), entries, 'utf8', 5), expected);
  });

  it('grows correctly whichever write crosses the end of its buffer', () => {
    const tails: [string, unknown][] = [
      ['n', 1.5], ['n', -129], ['n', 0x10000], ['b', MAX_UINT64], ['b', -1n], ['t', true], ['z', null],
      ['s', 'y'.repeat(40)], ['s', 'y'.repeat(300)], ['s', 'ü'.repeat(30)], ['v', [1, 2, 3]], ['v', new Uint8Array(20)],
    ];
    for (let fill = 4060; fill <= 4100; fill++) {
      for (const tail of tails) {
        const entries: Fields = [['pad', 'p'.repeat(fill)], tail];
        const expected = encodeValue(objectOf(entries));
        expectSameBytes(writeObject(new ValueWriter(), entries, 'string'), expected);
        expectSameBytes(writeObject(new ValueWriter(), entries, 'utf8', 1), expected);
      }
    }
  });

  it('writes map headers as encodeValue does at 15, 16, 65535 and 65536 fields', () => {
    const writer = new ValueWriter();
    for (const count of [15, 16, 65535, 65536]) {
      const entries: Fields = Array.from({ length: count }, (_, i) => [`k${i}`, i] as const);
      expectSameBytes(writeObject(writer, entries), encodeValue(objectOf(entries)));
    }
  });

  it('begin() drops what was written since the last finish', () => {
    const writer = new ValueWriter();
    writer.begin();
    writer.mapHeader(3);
    writer.raw(ValueWriter.stringBytes('junk'));
    writer.string('z'.repeat(10_000));
    writer.begin();
    writer.mapHeader(1);
    writer.raw(ValueWriter.stringBytes('a'));
    writer.number(1);
    expectSameBytes(writer.finish().bytes, encodeValue({ a: 1 }));
    // An empty value after begin() is empty.
    writer.begin();
    expect(writer.finish().bytes.length).toBe(0);
  });

  it('keeps consecutive values from one writer independent', () => {
    const writer = new ValueWriter();
    const first = writeObject(writer, [['a', 'first'], ['n', 1]]);
    const firstCopy = Buffer.from(first);
    // Shorter: overwrites the start of the writer's buffer.
    const second = writeObject(writer, [['b', 2]]);
    expectSameBytes(first, firstCopy);
    expectSameBytes(first, encodeValue({ a: 'first', n: 1 }));
    expectSameBytes(second, encodeValue({ b: 2 }));
    // Longer, so the buffer grows and is replaced.
    const third = writeObject(writer, [['c', 'w'.repeat(20_000)]]);
    expectSameBytes(first, firstCopy);
    expectSameBytes(second, encodeValue({ b: 2 }));
    expectSameBytes(third, encodeValue({ c: 'w'.repeat(20_000) }));
  });

  it('stringBytes is the codec encoding of the string', () => {
    fc.assert(
      fc.property(anyString(false), (text) => {
        expectSameBytes(ValueWriter.stringBytes(text), encodeValuePart(text));
      }),
      { numRuns: 300 },
    );
  });

  it('output decodes back to the object written', () => {
    const writer = new ValueWriter();
    fc.assert(
      fc.property(fields({ lossy: false }), (entries) => {
        const object = objectOf(entries);
        expect(comparable(decodeValue(writeObject(writer, entries, 'string')))).toEqual(comparable(object));
        expect(comparable(decodeValue(writeObject(writer, entries, 'utf8', 2)))).toEqual(comparable(object));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ValueWriter marks: length, rewind, placeholder, fixHeader', () => {
  /** What was written since begin(); finish() copies without ending the value, so writing can go on. */
  const written = (writer: ValueWriter) => Buffer.from(writer.finish().bytes).toString('hex');
  const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

  it('length counts the bytes written since begin()', () => {
    const writer = new ValueWriter();
    writer.begin();
    expect(writer.length).toBe(0);
    writer.mapHeader(1);
    writer.raw(ValueWriter.stringBytes('n'));
    expect(writer.length).toBe(3);
    writer.number(0x10000);
    expect(writer.length).toBe(8);
    expect(writer.length).toBe(writer.finish().bytes.length);
    // Past the first buffer too: a producer's marks are taken anywhere in a large row.
    writer.string('z'.repeat(5000));
    expect(writer.length).toBe(8 + 3 + 5000);
    expect(writer.length).toBe(writer.finish().bytes.length);
    writer.begin();
    expect(writer.length).toBe(0);
  });

  it('rewind drops what was written after the mark, and later writes land at the mark', () => {
    const writer = new ValueWriter();
    writer.begin();
    writer.mapHeader(2);
    writer.raw(ValueWriter.stringBytes('a'));
    writer.number(1);
    const mark = writer.length;
    writer.raw(ValueWriter.stringBytes('b'));
    // Enough to grow the buffer: the mark must survive the copy.
    writer.string('x'.repeat(10_000));
    writer.value([1, 2, { c: 'é' }]);
    writer.rewind(mark);
    expect(writer.length).toBe(mark);
    writer.raw(ValueWriter.stringBytes('b'));
    writer.boolean(true);
    expect(written(writer)).toBe(hexOf(encodeValue({ a: 1, b: true })));
    // Rewinding to where it is changes nothing; to 0, everything is gone.
    writer.rewind(writer.length);
    expect(written(writer)).toBe(hexOf(encodeValue({ a: 1, b: true })));
    writer.rewind(0);
    expect(writer.length).toBe(0);
    expect(writer.finish().bytes.length).toBe(0);
  });

  it('rewind refuses a mark past the end, below zero or not an integer with RangeError, leaving the writer as it was', () => {
    const writer = new ValueWriter();
    writer.begin();
    writer.mapHeader(1);
    writer.raw(ValueWriter.stringBytes('k'));
    const later = writer.length + 1;
    writer.nil();
    const before = written(writer);
    const length = writer.length;
    for (const bad of [-1, -Infinity, length + 1, length + 1000, Infinity, NaN, 1.5]) {
      expect(() => writer.rewind(bad)).toThrow(RangeError);
      expect(writer.length).toBe(length);
      expect(written(writer)).toBe(before);
    }
    // A mark taken before an earlier rewind can point past the end now.
    writer.rewind(1);
    expect(() => writer.rewind(later)).toThrow(RangeError);
    expect(writer.length).toBe(1);
  });

  it('placeholder and fixHeader give the bytes of a map or an array of 0 to 15 members built piece by piece', () => {
    const writer = new ValueWriter();
    for (let size = 0; size <= 15; size++) {
      const object: Record<string, unknown> = {};
      const array: unknown[] = [];
      for (let i = 0; i < size; i++) {
        // Members of several widths, so a header fixed at the wrong place would shift into one of them.
        const member = i % 3 === 0 ? i : i % 3 === 1 ? `s${'x'.repeat(i * 3)}` : [i, null];
        object[`k${i}`] = member;
        array.push(member);
      }
      for (const [kind, expected] of [['map', object], ['array', array]] as const) {
        for (const inColumn of [false, true]) {
          writer.begin();
          if (inColumn) {
            writer.mapHeader(1);
            writer.raw(ValueWriter.stringBytes('v'));
          }
          const at = writer.length;
          expect(writer.placeholder()).toBe(at);
          expect(writer.length).toBe(at + 1);
          for (let i = 0; i < size; i++) {
            if (kind === 'map') writer.string(`k${i}`);
            const member = array[i];
            if (typeof member === 'number') writer.number(member);
            else if (typeof member === 'string') writer.string(member);
            else {
              const inner = writer.placeholder();
              writer.number(i);
              writer.nil();
              writer.fixHeader(inner, 'array', 2);
            }
          }
          writer.fixHeader(at, kind, size);
          expect(written(writer), `${kind} of ${size}`).toBe(hexOf(inColumn ? encodeValue({ v: expected }) : encodeValuePart(expected)));
        }
      }
    }
  });

  it('placeholders nest: any tree of small maps and arrays built piece by piece has the codec bytes', () => {
    type Tree = number | string | null | boolean | readonly Tree[] | { readonly [key: string]: Tree };
    const { tree } = fc.letrec<{ tree: Tree; array: Tree; object: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 40 }), fc.boolean(), fc.constant(null)),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('tree'), { maxLength: 15 }),
      // Keys JS keeps in insertion order, so the object's order is the order written.
      object: fc.dictionary(fieldName, tie('tree'), { maxKeys: 15, noNullPrototype: true }),
    }));
    const write = (writer: ValueWriter, value: Tree): void => {
      if (typeof value === 'number') writer.number(value);
      else if (typeof value === 'string') writer.string(value);
      else if (typeof value === 'boolean') writer.boolean(value);
      else if (value === null) writer.nil();
      else if (Array.isArray(value)) {
        const at = writer.placeholder();
        for (const item of value as readonly Tree[]) write(writer, item);
        writer.fixHeader(at, 'array', value.length);
      } else {
        const at = writer.placeholder();
        const keys = Object.keys(value);
        for (const key of keys) {
          writer.string(key);
          write(writer, (value as { readonly [key: string]: Tree })[key]!);
        }
        writer.fixHeader(at, 'map', keys.length);
      }
    };
    const writer = new ValueWriter();
    fc.assert(
      fc.property(tree, (value) => {
        writer.begin();
        write(writer, value);
        expect(written(writer)).toBe(hexOf(encodeValuePart(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('fixHeader refuses 16 members or more, a negative or fractional count, and a place outside what was written, with RangeError', () => {
    const writer = new ValueWriter();
    writer.begin();
    const at = writer.placeholder();
    writer.number(1);
    const before = written(writer);
    for (const size of [16, 17, 255, -1, 1.5, NaN, Infinity]) {
      for (const kind of ['map', 'array'] as const) {
        expect(() => writer.fixHeader(at, kind, size), `${kind} of ${size}`).toThrow(RangeError);
      }
    }
    for (const place of [-1, writer.length, writer.length + 1, 4096, at + 0.5, NaN]) expect(() => writer.fixHeader(place, 'array', 1), `at ${place}`).toThrow(RangeError);
    // Refusing wrote nothing, and the placeholder can still be fixed.
    expect(written(writer)).toBe(before);
    writer.fixHeader(at, 'array', 1);
    expect(written(writer)).toBe(hexOf(encodeValuePart([1])));
    // A placeholder rewound away is outside what was written.
    writer.rewind(at);
    expect(() => writer.fixHeader(at, 'array', 0)).toThrow(RangeError);
  });
});

describe('ValueWriter.string', () => {
  const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((unit) => String.fromCharCode(unit)), maxLength: 80 });
  /** ASCII with one wider code unit somewhere: the whole string must then go through the codec, not only its tail. */
  const asciiWithOneWide = fc
    .tuple(fc.string({ unit: 'binary-ascii', maxLength: 80 }), fc.nat(), fc.constantFrom('\x80', 'é', 'ÿ', 'Ā', '€', '\ud800', '𝄞'))
    .map(([ascii, at, wide]) => {
      const i = at % (ascii.length + 1);
      return ascii.slice(0, i) + wide + ascii.slice(i);
    });

  it('writes any string as encodeValuePart does: ASCII on either side of 32 chars, and not ASCII', () => {
    // One writer across runs, after a prefix or not: the char-by-char loop must start at the right place.
    const writer = new ValueWriter();
    const prefix = encodeValuePart('p');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 80 }), latin1, asciiWithOneWide, anyString(false)),
        fc.boolean(),
        (text, prefixed) => {
          writer.begin();
          if (prefixed) writer.raw(prefix);
          writer.string(text);
          const expected = prefixed ? Buffer.concat([prefix, encodeValuePart(text)]) : encodeValuePart(text);
          expectSameBytes(writer.finish().bytes, expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes strings of exactly 0, 1, 31, 32, 33, 255 and 256 chars as encodeValuePart does', () => {
    const writer = new ValueWriter();
    for (const unit of ['a', '\x00', '\x7f', '\x80', 'é', 'ÿ']) {
      for (const length of [0, 1, 31, 32, 33, 255, 256]) {
        const text = unit.repeat(length);
        writer.begin();
        writer.string(text);
        expectSameBytes(writer.finish().bytes, encodeValuePart(text));
      }
    }
  });
});

describe('EncodedValue', () => {
  const roots = fc.oneof(
    fields({ lossy: false }).map(objectOf),
    leaf({ lossy: false }).filter((value) => value !== null),
    nested({ lossy: false }),
  );

  it('is recognised when it comes from another copy of the package (a registered symbol, not instanceof)', () => {
    const bytes = encodeValue({ a: 1 });
    const fromAnotherCopy = { [Symbol.for('@shoal/client EncodedValue')]: true, bytes };
    expect(encodeValue(fromAnotherCopy)).toBe(bytes);
    // Without the mark it is an ordinary object, encoded as a map.
    expectSameBytes(encodeValue({ bytes }), encodeValue({ bytes }));
    expect(Buffer.from(encodeValue({ bytes })).equals(Buffer.from(bytes))).toBe(false);
  });

  it('passes through encodeValue unchanged', () => {
    fc.assert(
      fc.property(roots, (value) => {
        const bytes = encodeValue(value);
        const encoded = EncodedValue.of(bytes);
        expect(encodeValue(encoded)).toBe(encoded.bytes);
        expectSameBytes(encodeValue(encoded), bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts what a ValueWriter writes with well-formed strings', () => {
    const writer = new ValueWriter();
    fc.assert(
      fc.property(fields({ lossy: false }), (entries) => {
        const bytes = writeObject(writer, entries);
        expectSameBytes(EncodedValue.of(bytes).bytes, bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an empty buffer', () => {
    expectBadRequest(() => EncodedValue.of(new Uint8Array(0)));
  });

  it('refuses a lone nil, but not a nil inside a value', () => {
    expectBadRequest(() => EncodedValue.of(new Uint8Array([0xc0])));
    expect(EncodedValue.of(new Uint8Array([0x91, 0xc0])).bytes).toEqual(new Uint8Array([0x91, 0xc0]));
    expect(EncodedValue.of(encodeValue({ a: null })).bytes).toEqual(encodeValue({ a: null }));
  });

  it('refuses every truncation of a value', () => {
    const bytes = encodeValue({ id: 7, name: 'shoal', big: 2n ** 40n, at: new Date(0), list: [1.5, 'two', { three: new Uint8Array([3]) }] });
    for (let length = 1; length < bytes.length; length++) expectBadRequest(() => EncodedValue.of(bytes.subarray(0, length)));
  });

  it('refuses two concatenated values', () => {
    const one = encodeValue({ a: 1 });
    const two = encodeValue('b');
    expectBadRequest(() => EncodedValue.of(Buffer.concat([one, two])));
    expectBadRequest(() => EncodedValue.of(Buffer.concat([one, one])));
    expectBadRequest(() => EncodedValue.of(new Uint8Array([0x01, 0x02])));
  });

  it('refuses malformed bytes: a reserved tag, invalid UTF-8, a lying length', () => {
    expectBadRequest(() => EncodedValue.of(new Uint8Array([0xc1])));
    expectBadRequest(() => EncodedValue.of(new Uint8Array([0xa2, 0xc3, 0x28])));
    expectBadRequest(() => EncodedValue.of(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])));
  });
});
