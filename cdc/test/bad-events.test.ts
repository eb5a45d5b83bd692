import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdcDecodeError, decodeRecord, tryDecodeRecord, type ChangeRecord, type DecodeOptions } from '../src/index.js';
import { fixtureNames, fixtureText } from './support/fixtures.js';
import { envelopeWithSchema, envelopeWithoutSchema } from './support/events.js';

function failure(record: ChangeRecord, options?: DecodeOptions): CdcDecodeError {
  const result = tryDecodeRecord(record, options);
  if (result.ok) throw new Error(`expected a failure, decoded a ${result.event.kind}`);
  return result.error;
}

const source = '{"connector":"postgresql","name":"pg","db":"d","schema":"s","table":"t","lsn":1,"snapshot":"false"}';

describe('undecodable events', () => {
  it.each([
    ['invalid JSON', { value: '{"op":"c",' }, 'value', '', /invalid JSON/],
    ['JSON that is not UTF-8', { value: Uint8Array.from([0x7b, 0xff, 0x7d]) }, 'value', '', /not UTF-8/],
    ['a key that is not JSON', { key: '{id:1}', value: envelopeWithoutSchema('{"id":1}') }, 'key', '', /invalid JSON/],
    ['a key that is not a struct', { key: '"k1"', value: envelopeWithoutSchema('{"id":1}') }, 'key', '', /object of key columns/],
    ['an array', { value: '[1,2]' }, 'value', '', /expected a Debezium event object/],
    ['a number', { value: '42' }, 'value', '', /expected a Debezium event object/],
    ['an unknown op', { value: `{"op":"x","source":${source},"after":{}}` }, 'value', 'op', /unknown op "x"/],
    ['a create without after', { value: `{"op":"c","source":${source},"after":null}` }, 'value', 'after', /without an after state/],
    ['an envelope without its source', { value: '{"op":"c","after":{"id":1}}' }, 'value', 'source', /expected an object/],
    ['a row change without its table', { value: '{"op":"c","source":{"connector":"postgresql","lsn":1},"after":{"id":1}}' }, 'value', 'source.table', /must name its table/],
    ['a row that is not an object', { value: `{"op":"c","source":${source},"after":[1]}` }, 'value', 'after', /object of columns/],
    ['a message without content', { value: `{"op":"m","source":${source},"message":{"prefix":"p"}}` }, 'value', 'message.content', /expected a string/],
    ['a bad snapshot marker', { value: `{"op":"c","source":{"connector":"mysql","table":"t","snapshot":1},"after":{}}` }, 'value', 'source.snapshot', /expected a string/],
    ['an unwrapped row with an unknown __op', { value: '{"id":1,"__op":"z"}' }, 'value', '__op', /unknown op/],
    ['a transaction with a bad status', { value: '{"schema":{"type":"struct","fields":[],"name":"io.debezium.connector.common.TransactionMetadataValue"},"payload":{"status":"MIDDLE","id":"1"}}' }, 'value', 'payload.status', /BEGIN or END/],
    ['a heartbeat without its time', { value: '{"schema":{"type":"struct","fields":[],"name":"io.debezium.connector.common.Heartbeat"},"payload":{"ts_ms":"soon"}}' }, 'value', 'payload.ts_ms', /expected an integer/],
  ] as const)('%s', (_what, record, part, path, reason) => {
    const error = failure(record);
    expect(error).toBeInstanceOf(CdcDecodeError);
    expect(error.code).toBe('UNDECODABLE_EVENT');
    expect(error.part).toBe(part);
    expect(error.path).toBe(path);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(error.reason);
  });

  it('a value that does not fit its schema names the column', () => {
    const error = failure({ value: envelopeWithSchema({ sal: { schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '4' } }, value: '"%%%"' } }) });
    expect(error.toDeadLetter()).toEqual({ code: 'UNDECODABLE_EVENT', reason: 'invalid base64: "%%%"', part: 'value', path: 'payload.after.sal' });
    expect(error.message).toBe('value payload.after.sal: invalid base64: "%%%"');
  });

  it('a malformed schema says where', () => {
    const value = '{"schema":{"type":"struct","name":"x.Envelope","fields":[{"type":"struct","field":"after","fields":[{"type":"decimal","field":"a"}]}]},"payload":{"op":"c","source":' + source + ',"after":{"a":1}}}';
    expect(failure({ value })).toMatchObject({ path: 'schema.fields[0].fields[0].type', part: 'value' });
    const noAfter = `{"schema":{"type":"struct","name":"x.Envelope","fields":[]},"payload":{"op":"c","source":${source},"after":{"a":1}}}`;
    expect(failure({ value: noAfter }).reason).toMatch(/no "after" field/);
  });

  it('schemas=enabled refuses a bare payload, schemas=disabled reads an envelope as a row', () => {
    expect(failure({ value: envelopeWithoutSchema('{"id":1}') }, { schemas: 'enabled' }).reason).toMatch(/schemas are enabled/);
    const asRow = decodeRecord({ value: fixtureText('mysql-key-schema.json') }, { schemas: 'disabled' });
    expect(asRow).toMatchObject({ kind: 'upsert', shape: 'unwrapped' });
  });

  it('tryDecodeRecord returns the event when it decodes', () => {
    expect(tryDecodeRecord({ value: fixtureText('mysql-create-noschema.json') })).toMatchObject({ ok: true, event: { kind: 'upsert' } });
  });
});

describe('decoding never fails with anything but CdcDecodeError', () => {
  const check = (record: ChangeRecord) => {
    try {
      decodeRecord(record);
    } catch (error) {
      expect(error).toBeInstanceOf(CdcDecodeError);
    }
  };

  it('on arbitrary JSON values and keys', () => {
    fc.assert(
      fc.property(fc.option(fc.json()), fc.option(fc.json()), (key, value) => {
        check({ key, value });
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (value) => check({ value })), { numRuns: 300 });
  });

  it('on the fixtures with fields removed or replaced', () => {
    const texts = fixtureNames().map(fixtureText);
    const mangle = (node: unknown, path: readonly number[], replacement: unknown): unknown => {
      if (path.length === 0 || node === null || typeof node !== 'object') return replacement;
      const entries = Object.entries(node as object);
      const index = (path[0] ?? 0) % Math.max(entries.length, 1);
      if (entries.length === 0) return replacement;
      const out = entries.map(([k, v], i) => [k, i === index ? mangle(v, path.slice(1), replacement) : v]);
      return Array.isArray(node) ? out.map(([, v]) => v) : Object.fromEntries(out);
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.constant(null), fc.constant(undefined), fc.jsonValue(), fc.constant('dzWUAA==')),
        (text, path, replacement) => {
          check({ value: JSON.stringify(mangle(JSON.parse(text), path, replacement)) ?? null });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
