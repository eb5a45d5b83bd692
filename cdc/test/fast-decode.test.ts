import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaTextCache, type ChangeRecord, type DecodeOptions, type SchemasMode } from '../src/index.js';
import { TimeUnit, formatEpochInstant } from '../src/decode/temporal.js';
import { fixtureNames, fixtureText } from './support/fixtures.js';
import { outcome, referenceParser } from './support/reference-decode.js';
import { changeEvent, changeEventTexts } from './support/generated-events.js';

/**
 * The decoder parses with its own exact parser and interprets each distinct
 * schema text once; these tests hold it to what it decoded before, with
 * lossless-json parsing every record whole: same events, same failures.
 */

const modes: readonly SchemasMode[] = ['auto', 'enabled', 'disabled'];

/** Decodes with a cache shared over the calls (so later records hit it) and with the reference; both must agree. */
function expectSameAsReference(records: readonly ChangeRecord[], options: DecodeOptions = {}): void {
  const cache = new SchemaTextCache();
  for (const pass of [1, 2]) {
    for (const record of records) {
      const expected = outcome(record, { ...options, parser: referenceParser });
      expect(outcome(record, { ...options, parser: cache }), `pass ${pass}: ${String(record.value).slice(0, 200)}`).toBe(expected);
    }
  }
}

describe('the fast decode path', () => {
  it('decodes every fixture as the reference does, in every schemas mode, keys included', () => {
    const records: ChangeRecord[] = fixtureNames().map((name) => ({ value: fixtureText(name), key: name.includes('key') ? null : fixtureText(name), topic: 't' }));
    for (const schemas of modes) expectSameAsReference(records, { schemas });
    expectSameAsReference(fixtureNames().map((name) => ({ key: fixtureText(name), value: '{"ts_ms":1}' })));
  });

  it('decodes generated change events as the reference does, rows, failures and strayed layouts alike', () => {
    fc.assert(
      fc.property(changeEventTexts, (texts) => {
        expectSameAsReference(texts.map((value) => ({ value, topic: 'pg.public.t' })));
        // As bytes (a file's line, a Kafka value), mixed with text, so that bytes meet schemas learned either way.
        expectSameAsReference(texts.flatMap((value) => [{ value: Buffer.from(value), topic: 'pg.public.t' }, { value, topic: 'pg.public.t' }]));
      }),
      { numRuns: 400 },
    );
  });

  it('decodes records given as bytes as the reference does, bad UTF-8, a BOM and trailing bytes included', () => {
    const good = changeEvent([{ schema: { type: 'string', optional: true }, value: '"é€"' }], 'pg.public.t.Value', 'c');
    const at = good.indexOf(',"payload":') + ',"payload":'.length;
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const badUtf8 = Buffer.concat([bytes(good.slice(0, at)), bytes(good.slice(at, -3)), Buffer.from([0xff, 0xfe]), bytes(good.slice(-3))]);
    const records: ChangeRecord[] = [
      { value: good },
      { value: bytes(good) },
      { value: new Uint8Array(bytes(good)) },
      { value: badUtf8 },
      { value: Buffer.concat([bytes(good.slice(0, at)), bytes('\uFEFF'), bytes(good.slice(at))]) },
      { value: bytes(`${good} \n`) },
      { value: bytes(`${good} x`) },
      { value: bytes(`${good.slice(0, -1)}`) },
      { value: bytes(`${good.slice(0, at)}1}`) },
    ];
    expectSameAsReference(records);
  });

  it('never confuses two schemas that share a name and version', () => {
    const asText = changeEvent([{ schema: { type: 'string', optional: true }, value: '"7"' }], 'pg.public.t.Value', 'c');
    const asInt = changeEvent([{ schema: { type: 'int64', optional: true }, value: '7' }], 'pg.public.t.Value', 'c');
    const asDecimal = changeEvent([{ schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } }, value: '"Ag=="' }], 'pg.public.t.Value', 'c');
    const cache = new SchemaTextCache();
    for (let round = 0; round < 3; round++) {
      expect(outcome({ value: asText }, { parser: cache })).toContain('"row":{"c0":"7"}');
      expect(outcome({ value: asInt }, { parser: cache })).toContain('"row":{"c0":d7}');
      expect(outcome({ value: asDecimal }, { parser: cache })).toContain('"row":{"c0":"0.02"}');
    }
    expect(cache.size).toBe(3);
  });

  it('keeps a bounded number of schemas and still decodes the ones it dropped', () => {
    const cache = new SchemaTextCache();
    const texts = Array.from({ length: 40 }, (_, i) => changeEvent([{ schema: { type: 'int32', optional: true }, value: String(i) }], `pg.public.t${i}.Value`, 'c'));
    expectSameAsReference(texts.map((value) => ({ value })));
    for (const value of texts) outcome({ value }, { parser: cache });
    expect(cache.size).toBeLessThanOrEqual(32);
    expect(outcome({ value: texts[0]! }, { parser: cache })).toBe(outcome({ value: texts[0]! }, { parser: referenceParser }));
  });

  it('formats a timestamp that fits a double exactly as from a bigint, at every unit and sign', () => {
    const around = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.integer({ min: -62_167_219_200_000 - 86_400_000, max: 253_402_300_800_000 + 86_400_000 }),
      fc.constantFrom(-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 951_782_400_000, 4_107_542_400_000, -2_208_988_800_000),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1, 0, -0, 999, 1000, -999, -1000, -1001, 8_640_000_000_000_000, -8_640_000_000_000_001),
      fc.maxSafeInteger(),
      fc.maxSafeNat().map((n) => -n),
    );
    const result = (f: () => string) => {
      try {
        return f();
      } catch (error) {
        return `error ${(error as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.array(around, { minLength: 1, maxLength: 8 }), fc.constantFrom(TimeUnit.Millis, TimeUnit.Micros, TimeUnit.Nanos), (values, unit) => {
        for (const n of values) expect(result(() => formatEpochInstant(n, unit, 'p'))).toBe(result(() => formatEpochInstant(BigInt(n), unit, 'p')));
      }),
      { numRuns: 5000 },
    );
  });
});
