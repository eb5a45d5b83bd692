import fc from 'fast-check';
import { unscaledBase64 } from './events.js';

/** Change events with schemas made of generated columns: numbers past 2^53, decimals as numbers, the traps of exactness. */

export interface ColumnCase {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly value: string;
}

const int64Literal = fc.oneof(
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }).map(String),
  fc.constantFrom('1.0', '1e3', '1.5', '1.0000000000000001', '9007199254740993.0', '"7"', 'true'),
);
const decimalNumeral = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.nat({ max: 6 })).map(([n, s]) => (s === 0 ? String(n) : `${n}.${'5'.repeat(s)}`)),
  fc.constantFrom('12.50', '1.0000000000000001', '0.30000000000000001', '1e3', '2.5E-1', '-0.0', '12345678901234567.89'),
);

export const columnCase: fc.Arbitrary<ColumnCase> = fc.oneof(
  int64Literal.map((value) => ({ schema: { type: 'int64', optional: false }, value })),
  fc.integer().map((n) => ({ schema: { type: 'int32', optional: true }, value: String(n) })),
  fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.constantFrom('1.000', '"NaN"', '1e400', '142.714')).map((value) => ({ schema: { type: 'float64', optional: true }, value })),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => JSON.stringify(unscaledBase64(n))), decimalNumeral)).map(([scale, value]) => ({
    schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: String(scale), 'connect.decimal.precision': '30' } },
    value,
  })),
  fc.tuple(fc.integer({ min: 0, max: 5 }), decimalNumeral).map(([scale, numeral]) => ({
    schema: { type: 'struct', optional: true, name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }] },
    value: `{"scale":${scale},"value":${numeral}}`,
  })),
  fc.oneof(int64Literal, fc.constant('1767225600000000')).map((value) => ({ schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 }, value })),
  fc.constantFrom('1767225600000000000', '-9223372036854775808', '9223372036854775807').map((value) => ({ schema: { type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, value })),
  fc.constantFrom('{"a":9007199254740993,"b":1.50,"c":[1e2,-0]}', '{"a":1,"a":2}', '', '[').map((doc) => ({ schema: { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 }, value: JSON.stringify(doc) })),
  fc.string().map((s) => ({ schema: { type: 'string', optional: true }, value: JSON.stringify(s) })),
  fc.constantFrom('true', 'false', 'null', '0').map((value) => ({ schema: { type: 'boolean', optional: true }, value })),
  fc.tuple(fc.constantFrom('int8', 'int16'), fc.integer({ min: -40_000, max: 40_000 }), fc.constantFrom(-129, -128, 127, 128, -32769, 32767, 32768)).map(([type, n, edge]) => ({
    schema: { type, optional: true },
    value: String(n % 3 === 0 ? edge : n),
  })),
  fc.oneof(fc.integer({ min: -200_000_000, max: 200_000_000 }).map(String), fc.constantFrom('0', '-1', '19723', '100000001', '1.5')).map((value) => ({
    schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 },
    value,
  })),
  fc.oneof(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }).map(String), int64Literal).map((value) => ({ schema: { type: 'int64', optional: true, name: 'io.debezium.time.Timestamp' }, value })),
  fc.constantFrom('"red"', '"a\\u00e9"', 'null', '7').map((value) => ({ schema: { type: 'string', optional: true, name: 'io.debezium.data.Enum', parameters: { allowed: 'red,green' } }, value })),
  fc.constantFrom('"x"', 'null').map((value) => ({ schema: { type: 'string', optional: false, default: 'dflt' }, value })),
  fc.constantFrom('"x"', 'null').map((value) => ({ schema: { type: 'int32', optional: false }, value })),
  fc.oneof(fc.uint8Array({ maxLength: 12 }).map((b) => JSON.stringify(Buffer.from(b).toString('base64'))), fc.constantFrom('"!!"', '"QQ="', '3')).map((value) => ({ schema: { type: 'bytes', optional: true }, value })),
  fc.double().map((d) => ({ schema: { type: 'float32', optional: true }, value: Number.isFinite(d) ? JSON.stringify(d) : JSON.stringify(String(d)) })),
);

const sourceBlock =
  '{"version":"2.7.3.Final","connector":"postgresql","name":"pg","ts_ms":1767225600000,"snapshot":"false","db":"shop","sequence":"[\\"29999744\\",\\"30000000\\"]",' +
  '"ts_us":1767225600000000,"ts_ns":1767225600000000000,"schema":"public","table":"t","txId":1001,"lsn":30000000,"xmin":null}';

// The envelope's other fields as the PostgreSQL connector describes them, so that the payload after the row is read by their names.
const sourceSchema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.Source',
  field: 'source',
  fields: ['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'ts_us', 'ts_ns', 'schema', 'table', 'txId', 'lsn', 'xmin'].map((field) => ({
    type: ['ts_ms', 'ts_us', 'ts_ns', 'txId', 'lsn', 'xmin'].includes(field) ? 'int64' : 'string',
    optional: true,
    field,
  })),
};
const transactionSchema = {
  type: 'struct',
  optional: true,
  name: 'event.block',
  field: 'transaction',
  fields: [
    { type: 'string', optional: false, field: 'id' },
    { type: 'int64', optional: false, field: 'total_order' },
    { type: 'int64', optional: false, field: 'data_collection_order' },
  ],
};

/** A PostgreSQL change with schemas whose row is made of the columns; `name` is the row schema's name, so that two different schemas can share one. */
export function changeEvent(columns: readonly ColumnCase[], name: string, op: 'c' | 'u' | 'd'): string {
  const fields = columns.map((c, i) => ({ ...c.schema, field: `c${i}` }));
  const row = { type: 'struct', optional: true, name, version: 1, fields };
  const envelopeFields = [{ ...row, field: 'before' }, { ...row, field: 'after' }, sourceSchema, transactionSchema, { type: 'string', field: 'op' }];
  const schema = { type: 'struct', name: 'pg.public.t.Envelope', version: 2, fields: [...envelopeFields, ...['ts_ms', 'ts_us', 'ts_ns'].map((field) => ({ type: 'int64', optional: true, field }))] };
  const state = `{${columns.map((c, i) => `"c${i}":${c.value}`).join(',')}}`;
  const [before, after] = op === 'd' ? [state, 'null'] : ['null', state];
  return `{"schema":${JSON.stringify(schema)},"payload":{"before":${before},"after":${after},"source":${sourceBlock},"transaction":null,"op":"${op}","ts_ms":1767225600001,"ts_us":1767225600001000,"ts_ns":1767225600001000000}}`;
}

/** Ways a record can stray from `{"schema":S,"payload":P}`, which must be read as they were before. */
export const layouts: readonly ((text: string) => string)[] = [
  (t) => t,
  (t) => ` ${t}`,
  (t) => `${t} \n`,
  (t) => `${t}\u00a0`,
  (t) => t.replace(',"payload":', ', "payload":'),
  (t) => `${t.slice(0, -1)},"extra":1}`,
  (t) => `${t.slice(0, -1)}}`,
  (t) => t.replace('"payload":{', '"payload":{"op":"x",'),
  (t) => t.slice(0, -2),
  (t) => t.replace(/"payload":.*$/, '"payload":null}'),
  (t) => t.replace(/"payload":.*$/, '"payload":7}'),
  (t) => t.replace('{"schema":', '{"schema":{"type":"struct"},"schema":'),
];

/** Texts of a few change events each: generated columns under one of two schema names, any op, any layout (a stray one included). */
export const changeEventTexts: fc.Arbitrary<string[]> = fc
  .array(
    fc.record({
      columns: fc.array(columnCase, { minLength: 1, maxLength: 6 }),
      name: fc.constantFrom('pg.public.t.Value', 'pg.public.u.Value'),
      op: fc.constantFrom('c' as const, 'u' as const, 'd' as const),
      layout: fc.nat({ max: layouts.length - 1 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((events) => events.map((e) => layouts[e.layout]!(changeEvent(e.columns, e.name, e.op))));
