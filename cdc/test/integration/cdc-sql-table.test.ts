import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Shoal } from '@shoal/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeProcess } from '../../../cluster-test/src/harness/index.js';
import { parseCacheRules, startCdc } from '../../src/index.js';
import { unscaledBase64 } from '../support/events.js';
import { quietLog, testConfig } from '../support/grid.js';

/** Tables the CDC ingester creates from Debezium schemas, read back with SQL from a real `shoal node`. */
let node: NodeProcess;
let grid: Shoal;
let dir: string;

beforeAll(async () => {
  node = await NodeProcess.start();
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-sql-'));
});

beforeEach(async () => {
  for (const cache of ['products', 'legacy']) await grid.destroyCache(cache);
});

afterAll(async () => {
  await grid?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const decimal = (scale: number, precision: number) => ({ type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) } });
const FIELDS = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'string', optional: false, field: 'name' },
  { ...decimal(2, 10), field: 'price' },
  { type: 'struct', optional: true, name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }], field: 'ratio' },
  { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', field: 'updated_at' },
  { type: 'boolean', optional: true, field: 'active' },
];
const ENVELOPE = {
  type: 'struct',
  name: 'pg.public.products.Envelope',
  fields: [
    { type: 'struct', optional: true, name: 'pg.public.products.Value', fields: FIELDS, field: 'before' },
    { type: 'struct', optional: true, name: 'pg.public.products.Value', fields: FIELDS, field: 'after' },
    { type: 'struct', fields: [], field: 'source' },
    { type: 'string', field: 'op' },
  ],
};
const KEY_SCHEMA = { type: 'struct', name: 'pg.public.products.Key', fields: [{ type: 'int32', optional: false, field: 'id' }] };

interface Product {
  readonly id: number;
  readonly name: string;
  /** Unscaled cents. */
  readonly cents: bigint;
  readonly ratio: { readonly scale: number; readonly unscaled: bigint };
  readonly micros: number;
  readonly active: boolean;
}

function rowJson(p: Product): string {
  const ratio = `{"scale":${p.ratio.scale},"value":"${unscaledBase64(p.ratio.unscaled)}"}`;
  return `{"id":${p.id},"name":${JSON.stringify(p.name)},"price":"${unscaledBase64(p.cents)}","ratio":${ratio},"updated_at":${p.micros},"active":${p.active}}`;
}

/** One NDJSON record as a Kafka consumer hands it over: topic, key and value, both with schemas. */
function line(op: 'c' | 'u' | 'd', product: Product, lsn: number, schema = true): string {
  const source = `{"connector":"postgresql","name":"pg","ts_ms":1700000000000,"snapshot":"false","db":"shop","schema":"public","table":"products","lsn":${lsn}}`;
  const [before, after] = op === 'd' ? [rowJson(product), 'null'] : ['null', rowJson(product)];
  const payload = `{"before":${before},"after":${after},"source":${source},"op":"${op}","ts_ms":1700000000001}`;
  const value = schema ? `{"schema":${JSON.stringify(ENVELOPE)},"payload":${payload}}` : payload;
  const key = schema ? `{"schema":${JSON.stringify(KEY_SCHEMA)},"payload":{"id":${product.id}}}` : `{"id":${product.id}}`;
  return `{"topic":"pg.public.products","key":${key},"value":${value}}`;
}

const products: readonly Product[] = [
  { id: 1, name: 'anchor', cents: 1250n, ratio: { scale: 3, unscaled: 125n }, micros: 1_700_000_000_123_456, active: true },
  { id: 2, name: 'rope', cents: 10n, ratio: { scale: 0, unscaled: 7n }, micros: 1_700_000_001_000_000, active: false },
  { id: 3, name: 'keel', cents: 12_345_678_999n, ratio: { scale: 10, unscaled: 12_345_678_901_234n }, micros: 1_700_000_002_000_001, active: true },
];

async function ingest(lines: readonly string[], rules: readonly string[] = []): Promise<void> {
  const input = join(dir, `input-${Date.now()}-${Math.random()}.ndjson`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const config = testConfig({ kind: 'file', path: input, checkpoint: null }, node.endpoint, { rules: { caches: parseCacheRules(rules), keyColumns: new Map() } });
  const cdc = await startCdc(config, quietLog);
  await cdc.finished;
  expect(cdc.ingester.totals.deadLettered).toBe(0);
}

describe('SQL tables from Debezium schemas', () => {
  it('creates the cache as a table with the schema columns and key: SELECT returns the rows, decimals exact', async () => {
    const renamed = { ...products[1]!, name: 'rope, tarred', cents: 1999n };
    await ingest([...products.map((p, i) => line('c', p, 100 + i)), line('u', renamed, 200), line('d', products[0]!, 300)]);

    const all = await grid.sql('SELECT id, name, price, ratio, active FROM products ORDER BY id');
    expect(all.columns).toEqual(['id', 'name', 'price', 'ratio', 'active']);
    expect(all.rows).toEqual([
      [2, 'rope, tarred', '19.99', '7', false],
      [3, 'keel', '123456789.99', '1234.5678901234', true],
    ]);
    const cheap = await grid.sql('SELECT id FROM products WHERE price < 100.00');
    expect(cheap.rows).toEqual([[2]]);
    const one = await grid.sql('SELECT name, updated_at FROM products WHERE id = ?', [3]);
    expect(one.rows).toEqual([['keel', new Date('2023-11-14T22:13:22.000Z')]]);
    // The same rows answer get: the key is the id, the value the whole row.
    expect(await grid.cache<number, Record<string, unknown>>('products').get(3)).toMatchObject({ id: 3, price: '123456789.99', updated_at: '2023-11-14T22:13:22.000001Z' });
  });

  it('keeps a cache that already exists as it is, and makes a plain cache from events without schemas', async () => {
    await grid.createCache('legacy');
    await ingest([line('c', products[0]!, 100)], ['products=legacy']);
    await ingest([line('c', products[1]!, 100, false)]);

    for (const table of ['legacy', 'products']) {
      await expect(grid.sql(`SELECT id FROM ${table}`), table).rejects.toMatchObject({ code: ErrorCode.SqlError });
    }
    expect(await grid.cache<number, Record<string, unknown>>('legacy').get(1)).toMatchObject({ id: 1, price: '12.50' });
    expect(await grid.cache<number, Record<string, unknown>>('products').get(2)).toMatchObject({ id: 2, name: 'rope' });
  });
});
