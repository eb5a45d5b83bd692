import { describe, expect, it } from 'vitest';
import { CdcDecodeError, formatDecimal } from '../src/index.js';
import fc from 'fast-check';
import { decodeDecimal, unscaledFromBytes } from '../src/decode/decimal.js';
import { decodeColumn, thrown, unscaledBase64 } from './support/events.js';

const decimal = (scale: number, precision = 38) => ({
  type: 'bytes',
  optional: true,
  name: 'org.apache.kafka.connect.data.Decimal',
  version: 1,
  parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) },
});
const variableScale = { type: 'struct', optional: true, name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }] };

describe('the unscaled value of a Decimal', () => {
  it.each([
    [[0x00], 0n],
    [[0x01], 1n],
    [[0x7f], 127n],
    [[0x80], -128n],
    [[0xff], -1n],
    [[0x00, 0x80], 128n],
    [[0xff, 0x7f], -129n],
    [[0x77, 0x35, 0x94, 0x00], 2_000_000_000n],
  ])('%j is %s', (bytes, expected) => {
    expect(unscaledFromBytes(Uint8Array.from(bytes), '')).toBe(expected);
  });

  it('refuses zero bytes, as Java does', () => {
    expect(() => unscaledFromBytes(new Uint8Array(0), 'x')).toThrow(CdcDecodeError);
  });
});

describe('formatDecimal', () => {
  it.each([
    [0n, 4, '0.0000'],
    [0n, 0, '0'],
    [2_000_000_000n, 4, '200000.0000'],
    [-5n, 2, '-0.05'],
    [-100_000n, 4, '-10.0000'],
    [123n, 0, '123'],
    [12n, -2, '1200'],
    [2n ** 64n + 1n, 2, '184467440737095516.17'],
  ])('%s at scale %s is %s', (unscaled, scale, expected) => {
    expect(formatDecimal(unscaled, scale)).toBe(expected);
  });
});

describe('decimals of up to 6 bytes, formatted without BigInt', () => {
  it('read as the BigInt way reads them, at every scale', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 9 }), fc.integer({ min: -3, max: 30 }), (bytes, scale) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(decodeDecimal(text, scale, 'price')).toBe(formatDecimal(unscaledFromBytes(bytes, 'price'), scale));
        expect(decodeDecimal(bytes, scale, 'price')).toBe(formatDecimal(unscaledFromBytes(bytes, 'price'), scale));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Kafka Connect Decimal', () => {
  it('reads the values the README names', () => {
    expect(decodeColumn(decimal(4, 19), '"dzWUAA=="')).toBe('200000.0000');
    expect(decodeColumn(decimal(4, 19), '"AYag"')).toBe('10.0000');
  });

  it.each([
    [0n, 2, '0.00'],
    [-1n, 2, '-0.01'],
    [-100_000n, 4, '-10.0000'],
    [-(2n ** 63n), 0, '-9223372036854775808'],
    [2n ** 53n + 1n, 0, '9007199254740993'],
    [10n ** 37n - 1n, 10, '999999999999999999999999999.9999999999'],
    [-(10n ** 37n - 1n), 10, '-999999999999999999999999999.9999999999'],
  ])('%s at scale %s round-trips exactly as %s', (unscaled, scale, expected) => {
    expect(decodeColumn(decimal(scale), JSON.stringify(unscaledBase64(unscaled)))).toBe(expected);
  });

  it('reads decimal.format=NUMERIC numbers without a float in between', () => {
    expect(decodeColumn(decimal(4), '200000.0000')).toBe('200000.0000');
    expect(decodeColumn(decimal(4), '10')).toBe('10.0000');
    expect(decodeColumn(decimal(2), '-0.10')).toBe('-0.10');
    expect(decodeColumn(decimal(2), '1.5e3')).toBe('1500.00');
    expect(decodeColumn(decimal(2), '12345678901234567890.12')).toBe('12345678901234567890.12');
    expect(decodeColumn(decimal(0), '123456789012345678901234567890')).toBe('123456789012345678901234567890');
  });

  it('refuses numbers with more fraction digits than the scale', () => {
    expect(thrown(() => decodeColumn(decimal(2), '1.234'))).toMatchObject({ code: 'UNDECODABLE_EVENT', path: 'payload.after.c' });
  });

  it('passes null through for an optional column', () => {
    expect(decodeColumn(decimal(2), 'null')).toBeNull();
  });

  it.each([
    ['"not base64!"', /invalid base64/],
    ['"AYa"', /invalid base64/],
    ['""', /at least one byte/],
    ['true', /expected a decimal/],
  ])('refuses %s', (value, reason) => {
    const error = thrown(() => decodeColumn(decimal(4), value));
    expect(error).toBeInstanceOf(CdcDecodeError);
    expect(error).toMatchObject({ code: 'UNDECODABLE_EVENT', part: 'value', path: 'payload.after.c' });
    expect((error as CdcDecodeError).reason).toMatch(reason);
  });

  it('refuses a Decimal schema without a usable scale', () => {
    const { parameters: _, ...noScale } = decimal(2);
    expect((thrown(() => decodeColumn(noScale, '"AQ=="')) as CdcDecodeError).reason).toMatch(/scale/);
    expect((thrown(() => decodeColumn({ ...decimal(2), parameters: { scale: 'two' } }, '"AQ=="')) as CdcDecodeError).reason).toMatch(/scale/);
  });
});

describe('io.debezium.data.VariableScaleDecimal', () => {
  const value = (scale: number, unscaled: bigint) => JSON.stringify({ scale, value: unscaledBase64(unscaled) });

  it.each([
    [3, 12_345n, '12.345'],
    [0, 12_345n, '12345'],
    [5, -1n, '-0.00001'],
    [2, 0n, '0.00'],
    [18, 2n ** 80n, '1208925.819614629174706176'],
  ])('scale %s of %s is %s', (scale, unscaled, expected) => {
    expect(decodeColumn(variableScale, value(scale, unscaled))).toBe(expected);
  });

  it('refuses a struct without its scale', () => {
    expect(thrown(() => decodeColumn(variableScale, '{"value":"AQ=="}'))).toMatchObject({ path: 'payload.after.c.scale' });
  });
});
