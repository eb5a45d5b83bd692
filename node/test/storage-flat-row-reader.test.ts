import { decodeValue, encodeValue } from '@shoal/client/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readStoredRow } from '../src/storage/flat-row-reader.js';

const latin1 = (value: unknown) => Buffer.from(encodeValue(value)).toString('latin1');

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);
const nested = fc.oneof(fc.date({ noInvalidDate: true }), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));

describe('readStoredRow', () => {
  it('reads flat rows exactly as the codec decodes them', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 20 }).filter((k) => k !== '__proto__'), scalar, { maxKeys: 20 }), (row) => {
        const stored = latin1(row);
        expect(readStoredRow(stored)).toStrictEqual(decodeValue(Buffer.from(stored, 'latin1')));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands anything else to the codec: nested values, Dates, non-maps', () => {
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), fc.oneof(scalar, nested), { maxKeys: 6 }), scalar.filter((v) => v !== null), nested), (value) => {
        const stored = latin1(value);
        expect(readStoredRow(stored)).toStrictEqual(decodeValue(Buffer.from(stored, 'latin1')));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a field named __proto__, as the codec does', () => {
    const stored = latin1(JSON.parse('{"__proto__": 1, "a": 2}'));
    expect(() => decodeValue(Buffer.from(stored, 'latin1'))).toThrow(/__proto__/);
    expect(() => readStoredRow(stored)).toThrow(/__proto__/);
  });
});
