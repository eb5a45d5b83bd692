/**
 * Debezium change events as the PostgreSQL connector writes them with the
 * JSON converter and schemas enabled (`{schema, payload}`), for a
 * `public.products` table of ~1 KB rows: 13 columns, among them a Decimal
 * (bytes, scale 2), two MicroTimestamps, a Json column and `seq`, the
 * change's number, which the lag workload reads back to see a change land.
 */

export const CDC_TABLE = 'products' as const;
export const CDC_TOPIC = `pg.public.${CDC_TABLE}` as const;

/** What the benchmark knows of a generated change: its row's key and its number. */
export interface GeneratedChange {
  readonly id: number;
  readonly seq: number;
}

const optional = (type: string, field: string, extra: Readonly<Record<string, unknown>> = {}) => ({ type, optional: true, ...extra, field });

const ROW_FIELDS = [
  { type: 'int64', optional: false, field: 'id' },
  { type: 'string', optional: false, field: 'sku' },
  optional('string', 'name'),
  optional('string', 'description'),
  optional('string', 'category'),
  optional('bytes', 'price', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '12' } }),
  optional('int32', 'quantity'),
  optional('float64', 'weight_kg'),
  optional('boolean', 'active'),
  optional('string', 'attributes', { name: 'io.debezium.data.Json', version: 1 }),
  optional('int64', 'created_at', { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
  optional('int64', 'updated_at', { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
  { type: 'int64', optional: false, field: 'seq' },
];

const SOURCE_FIELDS = [
  { type: 'string', optional: false, field: 'version' },
  { type: 'string', optional: false, field: 'connector' },
  { type: 'string', optional: false, field: 'name' },
  { type: 'int64', optional: false, field: 'ts_ms' },
  optional('string', 'snapshot', {
    name: 'io.debezium.data.Enum',
    version: 1,
    parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' },
    default: 'false',
  }),
  { type: 'string', optional: false, field: 'db' },
  optional('string', 'sequence'),
  optional('int64', 'ts_us'),
  optional('int64', 'ts_ns'),
  { type: 'string', optional: false, field: 'schema' },
  { type: 'string', optional: false, field: 'table' },
  optional('int64', 'txId'),
  optional('int64', 'lsn'),
  optional('int64', 'xmin'),
];

const rowSchema = (field: string) => ({ type: 'struct', fields: ROW_FIELDS, optional: true, name: `${CDC_TOPIC}.Value`, field });

/** The envelope schema, the same text in every event, as the converter sends it. */
const ENVELOPE_SCHEMA = JSON.stringify({
  type: 'struct',
  fields: [
    rowSchema('before'),
    rowSchema('after'),
    { type: 'struct', fields: SOURCE_FIELDS, optional: false, name: 'io.debezium.connector.postgresql.Source', field: 'source' },
    {
      type: 'struct',
      fields: [
        { type: 'string', optional: false, field: 'id' },
        { type: 'int64', optional: false, field: 'total_order' },
        { type: 'int64', optional: false, field: 'data_collection_order' },
      ],
      optional: true,
      name: 'event.block',
      version: 1,
      field: 'transaction',
    },
    { type: 'string', optional: false, field: 'op' },
    optional('int64', 'ts_ms'),
    optional('int64', 'ts_us'),
    optional('int64', 'ts_ns'),
  ],
  optional: false,
  name: `${CDC_TOPIC}.Envelope`,
  version: 2,
});

const KEY_SCHEMA = JSON.stringify({ type: 'struct', fields: [{ type: 'int64', optional: false, field: 'id' }], optional: false, name: `${CDC_TOPIC}.Key` });

const WORDS = 'harbour anchor coral reef tide current drift shoal kelp brine lantern compass beacon quay mooring keel rudder ballast'.split(' ');
const CATEGORIES = ['hardware', 'rigging', 'navigation', 'safety', 'apparel', 'electronics'] as const;
const BASE_TIME_US = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

function words(from: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[(from + i * 7) % WORDS.length]!);
  return out.join(' ');
}

/** The unscaled value of a Decimal as Kafka Connect writes it: big-endian two's complement, base64 (positive values here). */
function decimalBase64(unscaled: number): string {
  let hex = unscaled.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The after state of row `id` at change `seq`: about 1 KB of JSON. */
function rowJson(id: number, seq: number, nowUs: number): string {
  const description = `${words(id, 40)} ${words(seq, 40)}`.slice(0, 560);
  const attributes = JSON.stringify({ colour: WORDS[id % WORDS.length], size: (id % 5) + 1, rev: seq });
  return (
    `{"id":${id},"sku":"SKU-${String(id).padStart(8, '0')}","name":${JSON.stringify(words(id, 4))},` +
    `"description":${JSON.stringify(description)},"category":"${CATEGORIES[id % CATEGORIES.length]}",` +
    `"price":"${decimalBase64(100 + ((id * 7919 + seq) % 9_999_900))}","quantity":${(id + seq) % 500},"weight_kg":${((id % 1000) / 7).toFixed(3)},` +
    `"active":${seq % 10 !== 0},"attributes":${JSON.stringify(attributes)},"created_at":${BASE_TIME_US + id * 1_000_000},"updated_at":${nowUs},"seq":${seq}}`
  );
}

/**
 * An update (`op: c` the first time a row is written, `u` after) of row
 * `id` as change number `seq`, made at `tsMs` (`source.ts_ms`, so the
 * ingester's lag metric reads it). LSNs grow with `seq`.
 */
export function changeEventValue(id: number, seq: number, tsMs: number, op: 'c' | 'u'): string {
  const lsn = 30_000_000 + seq * 512;
  const nowUs = Math.round(tsMs * 1_000);
  const source =
    `{"version":"2.7.3.Final","connector":"postgresql","name":"pg","ts_ms":${tsMs},"snapshot":"false","db":"shop",` +
    `"sequence":"[\\"${lsn - 256}\\",\\"${lsn}\\"]","ts_us":${nowUs},"ts_ns":${nowUs * 1000},"schema":"public","table":"${CDC_TABLE}",` +
    `"txId":${1000 + seq},"lsn":${lsn},"xmin":null}`;
  const payload = `{"before":null,"after":${rowJson(id, seq, nowUs)},"source":${source},"transaction":null,"op":"${op}","ts_ms":${tsMs + 1},"ts_us":${nowUs + 1000},"ts_ns":${(nowUs + 1000) * 1000}}`;
  return `{"schema":${ENVELOPE_SCHEMA},"payload":${payload}}`;
}

/** The record key of row `id`, with its schema. */
export function changeEventKey(id: number): string {
  return `{"schema":${KEY_SCHEMA},"payload":{"id":${id}}}`;
}
