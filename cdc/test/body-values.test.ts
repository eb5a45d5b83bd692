import fc from 'fast-check';
import { parse, stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { SchemaTextCache, bodyValues, type ChangeRecord } from '../src/index.js';
import { changeEvent, columnCase, layouts } from './support/generated-events.js';
import { outcome, referenceParser } from './support/reference-decode.js';

/** How the HTTP source read a body before: lossless-json over the whole array, each element stringified again. */
function referenceValues(body: string): (string | null)[] {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('[')) return [body];
  let parsed: unknown;
  try {
    parsed = parse(trimmed);
  } catch {
    return [body];
  }
  return Array.isArray(parsed) ? parsed.map((part: unknown) => (part === null || part === undefined ? null : typeof part === 'string' ? part : (stringify(part) ?? null))) : [body];
}

/** Each event of the body as the decoder makes it, the new way and the reference way. */
function decodedBoth(body: string, cache: SchemaTextCache): { actual: string[]; expected: string[] } {
  const actual = bodyValues(body, cache).map((v) => outcome({ ...v, topic: 'pg.public.t' } as ChangeRecord, { parser: cache }));
  const expected = referenceValues(body).map((value) => outcome({ value, topic: 'pg.public.t' }, { parser: referenceParser }));
  return { actual, expected };
}

/** Every layout but those with a repeated key, for which the reference refused the whole body (see the last test). */
const sameKeysLayouts = layouts.filter((layout) => {
  try {
    parse(layout(changeEvent([{ schema: { type: 'int32' }, value: '1' }], 'pg.public.t.Value', 'c')));
    return true;
  } catch (error) {
    return !String(error).includes('Duplicate key');
  }
});

const element = fc.oneof(
  fc
    .record({ columns: fc.array(columnCase, { minLength: 1, maxLength: 4 }), name: fc.constantFrom('pg.public.t.Value', 'pg.public.u.Value'), layout: fc.nat({ max: sameKeysLayouts.length - 1 }) })
    .map(({ columns, name, layout }) => sameKeysLayouts[layout]!(changeEvent(columns, name, 'c')).trim()),
  fc.record({ columns: fc.array(columnCase, { minLength: 1, maxLength: 2 }) }).map(({ columns }) => JSON.stringify(changeEvent(columns, 'pg.public.t.Value', 'u'))),
  fc.constantFrom('null', '7', '"not json"', '""', '[1,2]', '{"ts_ms":1}', 'true'),
);

describe('bodyValues', () => {
  it('gives the decoder exactly the events the parse → stringify → parse path gave', () => {
    const cache = new SchemaTextCache();
    fc.assert(
      fc.property(fc.array(fc.tuple(element, fc.constantFrom('', ' ', '\n ')), { maxLength: 6 }), fc.constantFrom('', ' ', '\n'), (items, outer) => {
        const body = `${outer}[${items.map(([e, ws]) => ws + e + ws).join(',')}]${outer}`;
        const { actual, expected } = decodedBoth(body, cache);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a broken body as one value, as before', () => {
    const event = changeEvent([{ schema: { type: 'int64' }, value: '9007199254740993' }], 'pg.public.t.Value', 'c');
    const cache = new SchemaTextCache();
    for (const body of [`[${event},]`, `[${event}`, `[${event}] x`, `[${event.slice(0, -1)}]`, `[${event} ${event}]`, '[', 'not json', `${event}`, ` [${event}]`]) {
      const { actual, expected } = decodedBoth(body, cache);
      expect(actual, body.slice(0, 80)).toEqual(expected);
    }
  });

  it('hands objects over as their own bytes, and JSON text in strings as text', () => {
    const event = changeEvent([{ schema: { type: 'int64' }, value: '9007199254740993' }], 'pg.public.t.Value', 'c');
    const cache = new SchemaTextCache();
    for (const round of [1, 2]) {
      const values = bodyValues(Buffer.from(`[${event}, ${JSON.stringify(event)}, null]`), cache);
      expect(values.map((v) => (v.value instanceof Uint8Array ? Buffer.from(v.value).toString() : v.value)), `round ${round}`).toEqual([event, event, null]);
      expect(values[0]!.value).toBeInstanceOf(Buffer);
      expect(outcome({ value: values[0]!.value }, { parser: cache })).toContain('"row":{"c0":9007199254740993n}');
    }
  });

  it('decodes an element with a repeated key like the same event posted alone (the reference refused the whole body)', () => {
    const event = changeEvent([{ schema: { type: 'int32' }, value: '1' }], 'pg.public.t.Value', 'c').replace('"op":"c"', '"op":"u","op":"c"');
    const cache = new SchemaTextCache();
    const [alone] = bodyValues(event, cache).map((v) => outcome(v, { parser: cache }));
    expect(bodyValues(`[${event}]`, cache).map((v) => outcome(v, { parser: cache }))).toEqual([alone]);
    expect(alone).toContain('"op":"c"');
  });
});
