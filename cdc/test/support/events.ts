import { decodeRecord, type DecodeOptions, type Row } from '../../src/index.js';
import { expectKind } from './fixtures.js';

/** A column of a hand-made event: its Kafka Connect field schema and the JSON text of its value. */
export interface Column {
  readonly schema: Readonly<Record<string, unknown>>;
  /** JSON text, so that numbers keep every digit on their way in. */
  readonly value: string;
}

const postgresSource = '{"version":"2.5.0.Final","connector":"postgresql","name":"pg","ts_ms":1700000000000,"snapshot":"false","db":"shop","schema":"public","table":"t","txId":7,"lsn":1000,"sequence":"[\\"900\\",\\"1000\\"]"}';

/** A PostgreSQL create event with schemas, its after state made of `columns`. */
export function envelopeWithSchema(columns: Readonly<Record<string, Column>>): string {
  const fields = Object.entries(columns).map(([name, c]) => ({ ...c.schema, field: name }));
  const row = { type: 'struct', optional: true, name: 'pg.public.t.Value', fields };
  const schema = {
    type: 'struct',
    name: 'pg.public.t.Envelope',
    fields: [{ ...row, field: 'before' }, { ...row, field: 'after' }, { type: 'struct', fields: [], field: 'source' }, { type: 'string', field: 'op' }],
  };
  const after = `{${Object.entries(columns)
    .map(([name, c]) => `${JSON.stringify(name)}:${c.value}`)
    .join(',')}}`;
  return `{"schema":${JSON.stringify(schema)},"payload":{"before":null,"after":${after},"source":${postgresSource},"op":"c","ts_ms":1700000000001}}`;
}

/** The same event without schemas: `after` is the JSON text given. */
export function envelopeWithoutSchema(after: string, op = 'c'): string {
  return `{"before":null,"after":${after},"source":${postgresSource},"op":"${op}","ts_ms":1700000000001}`;
}

/** Decodes a one-column event and returns that column's value. */
export function decodeColumn(schema: Readonly<Record<string, unknown>>, value: string): unknown {
  return decodeRow({ c: { schema, value } })['c'];
}

export function decodeRow(columns: Readonly<Record<string, Column>>, options?: DecodeOptions): Row {
  return expectKind(decodeRecord({ value: envelopeWithSchema(columns) }, options), 'upsert').row;
}

/** Big-endian two's complement base64, as Kafka's Decimal carries an unscaled value. */
export function unscaledBase64(n: bigint): string {
  let hex = (n < 0n ? -n : n).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (n < 0n) {
    const width = bytes.length + 1;
    const twos = (1n << BigInt(width * 8)) + n;
    bytes = Buffer.from(twos.toString(16).padStart(width * 2, '0'), 'hex');
    while (bytes.length > 1 && bytes[0] === 0xff && (bytes[1] ?? 0) >= 0x80) bytes = bytes.subarray(1);
  } else if ((bytes[0] ?? 0) >= 0x80) {
    bytes = Buffer.concat([Buffer.from([0]), bytes]);
  }
  return bytes.toString('base64');
}

/** Catches what `fn` throws. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
