import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdcDecodeError } from '../src/index.js';
import { decimalAsciiBytes, decodeDecimal, writeBase64Decimal } from '../src/decode/decimal.js';
import { TimeUnit, formatEpochInstant, writeSafeEpochInstant } from '../src/decode/temporal.js';

/**
 * The ASCII writers of the row transcoder against the string functions they
 * stand in for: the same text whenever they write, and a give-up (-1) or the
 * same refusal wherever the reference refuses.
 */

/** What `f` returns, or the CdcDecodeError it throws (anything else is a bug and fails the test). */
function attempt<T>(f: () => T): { value: T } | { error: CdcDecodeError } {
  try {
    return { value: f() };
  } catch (error) {
    if (!(error instanceof CdcDecodeError)) throw error;
    return { error };
  }
}

/** The reference's text, or its refusal as text, for comparing with what a writer gave. */
const outcome = (result: { value: string } | { error: CdcDecodeError }) => ('value' in result ? result.value : `refused: ${result.error.reason}`);

// Past the writer's promised size, so a write beyond it shows as a changed sentinel.
const sentinel = 0xaa;
const slack = 8;

describe('writeBase64Decimal, held to decodeDecimal', () => {
  /** Writes `text` from inside a larger buffer (so that start and end must be honoured) and checks it against the reference. */
  function expectAsReference(text: string, scale: number, prefix: Uint8Array = new Uint8Array(0), suffix: Uint8Array = new Uint8Array(0)): number {
    const textBytes = Buffer.from(text, 'utf8');
    const bytes = Buffer.concat([prefix, textBytes, suffix]);
    const out = new Uint8Array(decimalAsciiBytes + slack).fill(sentinel);
    const n = writeBase64Decimal(bytes, prefix.length, prefix.length + textBytes.length, scale, out);
    const reference = attempt(() => decodeDecimal(text, scale, 'p'));
    if ('error' in reference) expect(n, `${JSON.stringify(text)} is refused by decodeDecimal`).toBe(-1);
    if (n >= 0) {
      expect(n).toBeLessThanOrEqual(decimalAsciiBytes);
      expect(Buffer.from(out).toString('latin1', 0, n)).toBe(outcome(reference));
      expect(out.subarray(n).every((b) => b === sentinel), 'nothing written past the length').toBe(true);
    } else expect(n).toBe(-1);
    // It gives up only where its contract lets it: anything decodeDecimal takes in 4 or 8 chars at scale 1..20 is written.
    const takes = (textBytes.length === 4 || textBytes.length === 8) && scale >= 1 && scale <= 20 && 'value' in reference;
    expect(n >= 0, `taken: ${JSON.stringify(text)} at scale ${scale}`).toBe(takes);
    return n;
  }

  it.each([
    [[0x00], 2, '0.00'],
    [[0x05], 2, '0.05'],
    [[0x7f], 1, '12.7'],
    [[0x80], 1, '-12.8'],
    [[0xff], 2, '-0.01'],
    [[0x00, 0x80], 2, '1.28'],
    [[0x7f, 0xff], 3, '32.767'],
    [[0x80, 0x00], 1, '-3276.8'],
    [[0x7f, 0xff, 0xff], 3, '8388.607'],
    [[0x80, 0x00, 0x00], 3, '-8388.608'],
    [[0x7f, 0xff, 0xff, 0xff], 4, '214748.3647'],
    [[0x80, 0x00, 0x00, 0x00], 2, '-21474836.48'],
    [[0x00, 0x00, 0x00, 0x05], 2, '0.05'],
    [[0x00, 0x00, 0x00, 0x00, 0x01], 3, '0.001'],
    [[0x7f, 0xff, 0xff, 0xff, 0xff], 4, '54975581.3887'],
    [[0x80, 0x00, 0x00, 0x00, 0x00], 1, '-54975581388.8'],
    [[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff], 2, '1407374883553.27'],
    [[0x80, 0x00, 0x00, 0x00, 0x00, 0x00], 20, '-0.00000140737488355328'],
    [[0x00, 0x00, 0x00, 0x00, 0x00, 0x00], 20, '0.00000000000000000000'],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 1, '-0.1'],
  ])('%j at scale %i is %s', (unscaled, scale, expected) => {
    const text = Buffer.from(unscaled).toString('base64');
    expect(decodeDecimal(text, scale, 'p')).toBe(expected);
    expect(expectAsReference(text, scale, Buffer.from('"x":"'), Buffer.from('",'))).toBe(expected.length);
  });

  it.each([
    ['AQ==', 0, 'scale 0 (the reference writes no point)'],
    ['AQ==', -2, 'a negative scale'],
    ['AQ==', 21, 'a scale past 20'],
    ['AAAAAAAAAA==', 2, 'seven bytes'],
    ['', 2, 'no bytes at all'],
    ['AQ=', 2, 'three characters'],
    ['A===', 2, 'too much padding'],
    ['A=A=', 2, 'padding inside'],
    ['AQ-_', 2, "the URL-safe alphabet (Buffer's base64 takes it)"],
    ['AQ =', 2, 'a space (Buffer skips it)'],
    ['AQé=', 2, 'a non-ASCII character'],
  ])('gives up on %j at scale %i: %s', (text, scale) => {
    expect(expectAsReference(text, scale, Buffer.from('=='), Buffer.from('=='))).toBe(-1);
  });

  it('writes what decodeDecimal returns for the base64 of any 0..9 bytes at scales -3..25', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9 }), fc.integer({ min: -3, max: 25 }), fc.uint8Array({ maxLength: 5 }), fc.uint8Array({ maxLength: 5 }), (unscaled, scale, prefix, suffix) => {
        expectAsReference(Buffer.from(unscaled).toString('base64'), scale, prefix, suffix);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives up wherever decodeDecimal refuses, on near-base64 text', () => {
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
    const unit = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...alphabet) }, { weight: 2, arbitrary: fc.constant('=') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '-', '_', '.', '"', '\\', 'é', '\u0000') });
    const base64ish = (minLength: number, maxLength: number) => fc.string({ unit, minLength, maxLength });
    const text = fc.oneof(
      base64ish(0, 12),
      base64ish(4, 4),
      base64ish(8, 8),
      // Padded endings, with the spare bits of the last character set or not.
      fc.tuple(fc.constantFrom(2, 3, 6, 7), fc.array(fc.constantFrom(...alphabet), { minLength: 7, maxLength: 7 })).map(([n, chars]) => chars.slice(0, n).join('').padEnd(n % 4 === 2 ? n + 2 : n + 1, '=')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: -3, max: 25 }), fc.uint8Array({ maxLength: 5 }), fc.uint8Array({ maxLength: 5 }), (t, scale, prefix, suffix) => {
        expectAsReference(t, scale, prefix, suffix);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('writeSafeEpochInstant, held to the bigint formatEpochInstant', () => {
  const unitNamed = { millis: TimeUnit.Millis, micros: TimeUnit.Micros, nanos: TimeUnit.Nanos } as const;
  const units = Object.entries(unitNamed);

  /** Writes `value` both ways and through the number path; returns what the writer returned ('throws' if it threw). */
  function expectAsReference(value: number, unit: TimeUnit): number | 'throws' {
    const reference = attempt(() => formatEpochInstant(BigInt(value), unit, 'p'));
    const out = new Uint8Array(32 + slack).fill(sentinel);
    const written = attempt(() => writeSafeEpochInstant(value, unit, out, 'p'));
    const context = `${value} in ${unit.digits} digits`;
    if ('error' in written) {
      expect(outcome(reference), context).toBe(`refused: ${written.error.reason}`);
    } else if (written.value >= 0) {
      expect(Buffer.from(out).toString('latin1', 0, written.value), context).toBe(outcome(reference));
      expect(out.subarray(written.value).every((b) => b === sentinel), 'nothing written past the length').toBe(true);
    } else {
      expect(written.value, context).toBe(-1);
      // Only years toISOString writes with a sign and six digits are left to it.
      expect(outcome(reference), context).toMatch(/^[+-]\d{6}-/);
    }
    if ('value' in reference && /^\d{4}-/.test(reference.value)) expect('value' in written && written.value >= 0, `${context} is written`).toBe(true);
    // The number path goes through the writer, and must still read as the bigint path does.
    const asNumber = attempt(() => formatEpochInstant(value, unit, 'p'));
    expect(outcome(asNumber), `${context} as a number`).toBe(outcome(reference));
    return 'value' in written ? written.value : 'throws';
  }

  it.each([
    [0, 'millis', '1970-01-01T00:00:00.000Z'],
    [-1, 'millis', '1969-12-31T23:59:59.999Z'],
    [-1, 'micros', '1969-12-31T23:59:59.999999Z'],
    [-1, 'nanos', '1969-12-31T23:59:59.999999999Z'],
    [-0, 'micros', '1970-01-01T00:00:00.000000Z'],
    [951_782_400_000_000, 'micros', '2000-02-29T00:00:00.000000Z'],
    [-2_203_891_200_000, 'millis', '1900-03-01T00:00:00.000Z'],
    [-62_167_219_200_000, 'millis', '0000-01-01T00:00:00.000Z'],
    [253_402_300_799_999, 'millis', '9999-12-31T23:59:59.999Z'],
    [Number.MAX_SAFE_INTEGER, 'micros', '2255-06-05T23:47:34.740991Z'],
    [Number.MIN_SAFE_INTEGER, 'micros', '1684-07-28T00:12:25.259009Z'],
    [Number.MAX_SAFE_INTEGER, 'nanos', '1970-04-15T05:59:59.254740991Z'],
  ] as const)('%s %s is %s', (value, name, expected) => {
    const unit = unitNamed[name];
    expect(formatEpochInstant(BigInt(value), unit, 'p')).toBe(expected);
    expect(expectAsReference(value, unit)).toBe(expected.length);
  });

  it.each([
    [-62_167_219_200_001, '-000001-12-31T23:59:59.999Z'],
    [253_402_300_800_000, '+010000-01-01T00:00:00.000Z'],
    [8_640_000_000_000_000, '+275760-09-13T00:00:00.000Z'],
    [-8_640_000_000_000_000, '-271821-04-20T00:00:00.000Z'],
  ])('leaves %s ms, %s, to Date', (value, expected) => {
    expect(formatEpochInstant(BigInt(value), TimeUnit.Millis, 'p')).toBe(expected);
    expect(expectAsReference(value, TimeUnit.Millis)).toBe(-1);
  });

  it.each([8_640_000_000_000_001, -8_640_000_000_000_001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])('refuses %s ms, beyond a Date, as the bigint path does', (value) => {
    expect(expectAsReference(value, TimeUnit.Millis)).toBe('throws');
  });

  it('reads the cached day afresh when the day changes, and back', () => {
    const day = 1_709_164_800_000_000; // 2024-02-29T00:00:00Z in µs
    const usPerDay = 86_400_000_000;
    const values = [day + 36_000_123_456, day + usPerDay - 1, day + usPerDay, day + 5, day - 1, day - 1, day, -usPerDay + 1, -usPerDay + 2, day + 7];
    const texts = values.map((value) => {
      expect(expectAsReference(value, TimeUnit.Micros)).toBeGreaterThan(0);
      return formatEpochInstant(BigInt(value), TimeUnit.Micros, 'p');
    });
    expect(texts.slice(0, 4)).toEqual(['2024-02-29T10:00:00.123456Z', '2024-02-29T23:59:59.999999Z', '2024-03-01T00:00:00.000000Z', '2024-02-29T00:00:00.000005Z']);
    // The same day in another unit reuses the cached date too.
    expect(expectAsReference(day / 1000 + 1, TimeUnit.Millis)).toBeGreaterThan(0);
  });

  for (const [name, unit] of units) {
    const perMs = BigInt(unit.perMs);
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    /** Counts of `unit` from `loMs` to `hiMs` (ms), as far as they are safe integers; null when none are. */
    const between = (loMs: bigint, hiMs: bigint, pad = 0n) => {
      const min = loMs * perMs - pad < -safe ? -safe : loMs * perMs - pad;
      const max = hiMs * perMs + pad > safe ? safe : hiMs * perMs + pad;
      return min > max ? null : fc.bigInt({ min, max }).map(Number);
    };
    const around = (ms: bigint) => between(ms, ms, 3n * perMs * 86_400_000n);
    const edge = (ms: bigint) => between(ms, ms, 2n * perMs);
    const dateLimit = 8_640_000_000_000_000n;
    const yearZero = -62_167_219_200_000n;
    const yearTenThousand = 253_402_300_800_000n;
    const values = fc.oneof(
      ...[
        fc.integer({ min: -100_000, max: 100_000 }),
        between(-3_000_000_000_000n, 0n),
        between(1_577_836_800_000n, 1_893_456_000_000n),
        around(yearZero),
        edge(yearZero),
        between(-dateLimit, yearZero),
        around(yearTenThousand),
        edge(yearTenThousand),
        between(yearTenThousand, dateLimit),
        edge(dateLimit),
        edge(-dateLimit),
        between(-safe, safe),
        fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
      ].filter((a) => a !== null),
    );

    it(`writes what the bigint path writes for any safe count of ${name}`, () => {
      fc.assert(
        fc.property(values, (value) => {
          expectAsReference(value, unit);
        }),
        { numRuns: 3000 },
      );
    });

    it(`writes runs of nearby ${name} as the bigint path does, however the cached day comes and goes`, () => {
      fc.assert(
        fc.property(values, fc.array(fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }), { minLength: 1, maxLength: 20 }), (base, offsets) => {
          for (const seconds of offsets) {
            const value = base + seconds * unit.perMs * 1000;
            if (Number.isSafeInteger(value)) expectAsReference(value, unit);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
