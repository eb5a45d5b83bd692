import { encodeValue } from '@shoal/client/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdcDecodeError, SchemaTextCache, decodeRecord, type ChangeRecord, type DecodeOptions } from '../src/index.js';
import { fixtureNames, fixtureText } from './support/fixtures.js';
import { canonical, outcome, referenceParser } from './support/reference-decode.js';
import { changeEvent, changeEventTexts, type ColumnCase } from './support/generated-events.js';

/**
 * With `encodedRows`, an upsert's row goes from the record's bytes straight
 * to its stored form. These tests hold that to the reference decoding: the
 * same event, the same failure, and stored bytes equal to `encodeValue` of
 * the reference row; each column read back from the encoded row as well.
 */

function sortedFields(event: object): string {
  return canonical(Object.fromEntries(Object.entries(event).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Decodes each record both ways (twice, so that later records meet learned schemas); returns how many rows were transcoded. */
function expectEncodedAsReference(records: readonly ChangeRecord[], options: DecodeOptions = {}): number {
  const cache = new SchemaTextCache();
  let transcoded = 0;
  for (const pass of [1, 2]) {
    for (const record of records) {
      const expected = outcome(record, { ...options, parser: referenceParser });
      let actual: string;
      try {
        const event = decodeRecord(record, { ...options, parser: cache, encodedRows: true });
        if (event.kind === 'upsert' && event.encodedRow !== undefined) {
          transcoded++;
          const reference = decodeRecord(record, { ...options, parser: referenceParser });
          if (reference.kind !== 'upsert') throw new Error(`the reference decoded a ${reference.kind}`);
          expect(Buffer.from(event.encodedRow.value.bytes).equals(Buffer.from(encodeValue(reference.row))), 'stored bytes').toBe(true);
          for (const [name, value] of Object.entries(reference.row)) expect(canonical(event.encodedRow.column(name)), `column ${name}`).toBe(canonical(value));
          expect(event.encodedRow.has('no such column')).toBe(false);
          // The event's fields, `row` read through its getter, against the reference's (whose order the event need not keep).
          const { encodedRow: _, ...fields } = event;
          expect(sortedFields({ ...fields, row: event.row })).toBe(sortedFields(reference));
          actual = expected;
        } else actual = canonical(event);
      } catch (error) {
        if (!(error instanceof CdcDecodeError)) throw error;
        actual = `error ${error.code} ${error.part} ${error.path} ${error.reason}`;
      }
      expect(actual, `pass ${pass}: ${String(record.value).slice(0, 300)}`).toBe(expected);
    }
  }
  return transcoded;
}

const asBytes = (value: string): ChangeRecord => ({ value: Buffer.from(value, 'utf8'), topic: 'pg.public.t' });

/** JSON without the whitespace between tokens, as the JsonConverter writes it (the fixtures are pretty-printed). */
function compact(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \n\r\t'.includes(c)) out += c;
  }
  return out;
}

describe('rows transcoded from bytes to their stored form', () => {
  it('decode every fixture as the reference does', () => {
    const records = fixtureNames().flatMap((name) => [fixtureText(name), compact(fixtureText(name))].map((text) => ({ value: Buffer.from(text), topic: 't' })));
    // The two upserts with schemas (MySQL's and PostgreSQL's), compacted, once their schema is known.
    expect(expectEncodedAsReference(records)).toBe(2);
  });

  it('decode generated change events as the reference does, values, failures and strayed layouts alike', () => {
    let transcoded = 0;
    fc.assert(
      fc.property(changeEventTexts, (texts) => {
        transcoded += expectEncodedAsReference(texts.map(asBytes));
      }),
      { numRuns: 400 },
    );
    // Most generated rows hold a column that fails or a layout that strays; enough of them are clean to test the fast path.
    expect(transcoded).toBeGreaterThan(20);
  });

  it('decode rows whose JSON strays from what Debezium writes as the reference does', () => {
    const columns: ColumnCase[] = [
      { schema: { type: 'int64', optional: false }, value: '7' },
      { schema: { type: 'string', optional: true }, value: '"a\\"b"' },
      { schema: { type: 'float64', optional: true }, value: '-0' },
    ];
    const good = changeEvent(columns, 'pg.public.t.Value', 'c');
    const variants = [
      good,
      good.replace('"after":{"c0":7,', '"after":{ "c0" : 7 ,\n'),
      good.replace('"after":{"c0":7,', '"after":{"c1":null,"c0":7,'),
      good.replace('"c2":-0}', '"c2":-0,"c0":8}'),
      good.replace('"c2":-0}', '"c2":-0,"extra":[1,{"x":"y"}]}'),
      good.replace('"c2":-0}', '"c2":-0,"extra":[1,}'),
      good.replace('"c2":-0}', '"c2":-0,"c\\u0030":9}'),
      good.replace('"after":{"c0":7,', '"after":{"\\u0063\\u0030":7,'),
      good.replace('"after":{"c0":7,', '"after":{"c0":07,'),
      good.replace('"after":{"c0":7,', '"after":{"c0":null,'),
      good.replace('"after":{"c0":7,', '"after":{"c0":9223372036854775808,'),
      good.replace('"after":{"c0":7,', '"after":{"c0":-9223372036854775808,'),
      good.replace('"c1":"a\\"b"', '"c1":"a\u0001b"'),
      good.replace('"c1":"a\\"b"', '"c1":"a\\xb"'),
      good.replace('"c1":"a\\"b"', '"c1":"\\ud83d\\ude00 é"'),
      good.replace('"c2":-0}', '"c2":1e400}'),
      good.replace('"c2":-0}', '"c2":"NaN"}'),
      good.replace('"c2":-0}', '"c2":-}'),
      good.replace('"after":{', '"after":{},"x":{'),
      good.replace('"before":null,', ''),
      good.replace('"before":null,', '"before":null,"before":null,'),
      good.replace('"before":null,"after":', '"after":{"c0":1,"c1":null,"c2":null},"before":null,"after":'),
      good.replace('"before":null,', '"before":[],'),
      // After the row: the payload's other members, read by the schema's names, straying.
      good.replace(/}}$/, ',}}'),
      good.replace(/,"op":"c",.*}}$/, ',}}'), // a trailing comma after a member read by name was once taken
      good.replace('"op":', '"\\u006fp":'),
      good.replace('"op":"c",', '').replace(/}}$/, ',"op":"c"}}'),
      good.replace('"before":null,"after":{"c0":7,', '"after":{"c0":7,').replace('"op":', '"before":{"c0":6,"c1":null,"c2":1},"op":'),
      good.replace(/}}$/, ',"ts_ms":1}}'),
      good.replace('"op":"c"', '"op" : "c" '),
      good.replace('"op":"c"', '"op":"c",'),
      good.replace('"lsn":', '"lsn":01,"x":'),
      good.replace('"source":{', '"source":{"extra":1,'),
    ];
    expect(new Set(variants).size, 'every variant differs').toBe(variants.length);
    expect(expectEncodedAsReference(variants.map(asBytes))).toBeGreaterThan(0);
  });

  it('keep a plain row object when the schema names columns a JS object would reorder', () => {
    const columns: ColumnCase[] = [{ schema: { type: 'int32', optional: true }, value: '1' }];
    const text = changeEvent(columns, 'pg.public.t.Value', 'c').replaceAll('"c0"', '"10"');
    const event = decodeRecord(asBytes(text), { encodedRows: true });
    expect(event.kind === 'upsert' && event.encodedRow).toBe(undefined);
    expect(expectEncodedAsReference([asBytes(text)])).toBe(0);
  });
});
