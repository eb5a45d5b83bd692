import { BadRequestError, CacheConfigConflictError, CacheNotFoundError, type CacheConfig, type Shoal } from '@shoal/client';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { decodeRecord, EventMapper, GridWriter, noRules, parseKeyColumnRules, parseStructSchema, planBatch, type MappedEvent, type MappingRules } from '../src/index.js';
import { sqlTableOf } from '../src/mapping/sql-table.js';
import { envelopeWithSchema, unscaledBase64, type Column } from './support/events.js';
import { fixtureText } from './support/fixtures.js';

const intKey = (id: number) => `{"schema":{"type":"struct","name":"pg.public.t.Key","fields":[{"type":"int32","optional":false,"field":"id"}]},"payload":{"id":${id}}}`;

/** Every kind of column a Debezium row schema has, and the grid type each becomes. */
const columns: Readonly<Record<string, Column & { readonly grid: string }>> = {
  id: { schema: { type: 'int32', optional: false }, value: '1', grid: 'INT' },
  small: { schema: { type: 'int16', optional: true }, value: '2', grid: 'INT' },
  big: { schema: { type: 'int64', optional: true }, value: '9007199254740993', grid: 'BIGINT' },
  ratio: { schema: { type: 'float64', optional: true }, value: '0.5', grid: 'DOUBLE' },
  name: { schema: { type: 'string', optional: false }, value: '"Ada"', grid: 'TEXT' },
  active: { schema: { type: 'boolean', optional: true }, value: 'true', grid: 'BOOLEAN' },
  price: {
    schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' } },
    value: `"${unscaledBase64(12345n)}"`,
    grid: 'DECIMAL(10,2)',
  },
  unbounded: {
    schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '3' } },
    value: `"${unscaledBase64(5n)}"`,
    grid: 'DECIMAL',
  },
  amount: {
    schema: { type: 'struct', optional: true, name: 'io.debezium.data.VariableScaleDecimal', fields: [{ type: 'int32', field: 'scale' }, { type: 'bytes', field: 'value' }] },
    value: `{"scale":4,"value":"${unscaledBase64(123456789n)}"}`,
    grid: 'DECIMAL',
  },
  born: { schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date' }, value: '19000', grid: 'DATE' },
  opens: { schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime' }, value: '3600000000', grid: 'TEXT' },
  seen: { schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp' }, value: '1700000000123456', grid: 'TIMESTAMP' },
  zoned: { schema: { type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp' }, value: '"2024-01-02T03:04:05.6Z"', grid: 'TIMESTAMP' },
  doc: { schema: { type: 'string', optional: true, name: 'io.debezium.data.Json' }, value: '"{\\"a\\":1}"', grid: 'JSON' },
  raw: { schema: { type: 'bytes', optional: true }, value: '"AAE="', grid: 'TEXT' },
  tags: { schema: { type: 'array', optional: true, items: { type: 'string' } }, value: '["a"]', grid: 'JSON' },
};

const mapperWith = (rules: Partial<MappingRules> = {}) => new EventMapper({ rules: { ...noRules, ...rules } });

function mapped(mapper: EventMapper, record: { key?: string | null; value: string | null; topic?: string | null }): MappedEvent {
  return mapper.map(decodeRecord({ key: record.key ?? null, value: record.value, topic: record.topic ?? null }));
}

function tableOf(event: MappedEvent) {
  if (event.kind !== 'put' && event.kind !== 'remove') throw new Error(`expected a row change, got ${event.kind}`);
  return event.table;
}

/** A row schema of the given `{name: [type, optional]}` columns. */
const rowSchema = (fields: Readonly<Record<string, Readonly<Record<string, unknown>>>>) =>
  parseStructSchema({ type: 'struct', fields: Object.entries(fields).map(([field, schema]) => ({ optional: true, ...schema, field })) }, 'schema');

describe('the SQL table of a cache fed with schemas', () => {
  it('has the row schema columns, typed for the grid, and the record key as primary key', () => {
    const table = tableOf(mapped(mapperWith(), { key: intKey(1), value: envelopeWithSchema(columns) }));
    expect(table).toEqual({
      columns: Object.entries(columns).map(([name, c]) => ({ name, type: c.grid, notNull: c.schema['optional'] === false })),
      primaryKey: ['id'],
    });
  });

  it('comes with deletes too, from the before schema (SQL Server, Decimal(19,4), Timestamp)', () => {
    const event = mapped(mapperWith(), { key: fixtureText('sqlserver-key-schema-redis-doc.json'), value: fixtureText('sqlserver-delete-schema-redis-doc.json') });
    expect(event.kind).toBe('remove');
    expect(tableOf(event)).toEqual({
      columns: [
        { name: 'empno', type: 'INT', notNull: true },
        { name: 'fname', type: 'TEXT', notNull: false },
        { name: 'lname', type: 'TEXT', notNull: false },
        { name: 'job', type: 'TEXT', notNull: false },
        { name: 'mgr', type: 'INT', notNull: false },
        { name: 'hiredate', type: 'TIMESTAMP', notNull: false },
        { name: 'sal', type: 'DECIMAL(19,4)', notNull: false },
        { name: 'comm', type: 'DECIMAL(19,4)', notNull: false },
        { name: 'dept', type: 'INT', notNull: false },
      ],
      primaryKey: ['empno'],
    });
  });

  it('takes its primary key from --key columns, for transports without record keys', () => {
    const rules = { keyColumns: parseKeyColumnRules(['t=name,id']) };
    const table = tableOf(mapped(mapperWith(rules), { value: envelopeWithSchema(columns) }));
    expect(table?.primaryKey).toEqual(['name', 'id']);
  });

  it('is none for schemaless events: a plain cache', () => {
    const value = `{"before":null,"after":{"id":1},"source":{"connector":"postgresql","name":"pg","ts_ms":1,"db":"shop","schema":"public","table":"t","lsn":5},"op":"c","ts_ms":2}`;
    expect(tableOf(mapped(mapperWith(), { key: '{"id":1}', value }))).toBeNull();
  });

  it('is described once per cache: later events reuse the first table', () => {
    const mapper = mapperWith();
    const first = tableOf(mapped(mapper, { key: intKey(1), value: envelopeWithSchema({ id: columns['id']!, name: columns['name']! }) }));
    const second = tableOf(mapped(mapper, { key: intKey(2), value: envelopeWithSchema({ id: columns['id']! }) }));
    expect(second).toBe(first);
  });

  it('is none without a key, with a key field that is no row column, or a key type SQL cannot key by', () => {
    const row = rowSchema({ id: { type: 'int32' }, flag: { type: 'boolean' }, at: { type: 'int64', name: 'io.debezium.time.Timestamp' }, doc: { type: 'string', name: 'io.debezium.data.Json' } });
    const key = (field: string, schema: Readonly<Record<string, unknown>>) => parseStructSchema({ type: 'struct', fields: [{ ...schema, field }] }, 'key');
    expect(sqlTableOf(row, null, undefined)).toBeNull();
    expect(sqlTableOf(row, key('other', { type: 'int32' }), undefined)).toBeNull();
    expect(sqlTableOf(row, null, ['missing'])).toBeNull();
    for (const name of ['flag', 'at', 'doc']) expect(sqlTableOf(row, null, [name]), name).toBeNull();
    expect(sqlTableOf(row, key('id', { type: 'int32' }), undefined)?.primaryKey).toEqual(['id']);
  });

  it('declares decimals the grid cannot bound (no precision, negative scale, scale above precision) as DECIMAL', () => {
    const decimal = (parameters: Readonly<Record<string, string>>) => ({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters });
    const row = rowSchema({
      id: { type: 'int32' },
      plain: decimal({ scale: '2' }),
      negative: decimal({ scale: '-2', 'connect.decimal.precision': '5' }),
      above: decimal({ scale: '7', 'connect.decimal.precision': '5' }),
      fits: decimal({ scale: '0', 'connect.decimal.precision': '38' }),
    });
    const types = sqlTableOf(row, null, ['id'])?.columns.map((c) => c.type);
    expect(types).toEqual(['INT', 'DECIMAL', 'DECIMAL', 'DECIMAL', 'DECIMAL(38,0)']);
  });

  it('reaches the batch plan: each write step names the first table its changes carry per cache', () => {
    const mapper = mapperWith();
    const records = [
      { key: '{"id":9}', value: `{"before":null,"after":{"id":9},"source":{"connector":"postgresql","name":"pg","ts_ms":1,"db":"shop","schema":"public","table":"t","lsn":5},"op":"c","ts_ms":2}` },
      { key: intKey(1), value: envelopeWithSchema({ id: columns['id']! }) },
    ];
    const steps = planBatch(records.map((r, record) => ({ mapped: mapped(mapper, r), record })));
    expect(steps).toHaveLength(1);
    const step = steps[0]!;
    if (step.kind !== 'write') throw new Error('expected a write');
    expect(step.tables.get('t')?.columns).toEqual([{ name: 'id', type: 'INT', notNull: true }]);
  });
});

/** A grid that records createCache calls and answers them as `answer` says. */
function fakeGrid(answer: (config: CacheConfig) => Error | null) {
  const created: CacheConfig[] = [];
  const cleared: string[] = [];
  const grid = {
    createCache: async (_name: string, config: CacheConfig) => {
      const error = answer(config);
      if (error !== null) throw error;
      created.push(config);
    },
    cache: (name: string) => ({
      applyChanges: async (changes: readonly unknown[]) => changes.map(() => true),
      clear: async () => {
        if (created.length === 0) throw new CacheNotFoundError(`no cache ${name}`);
        cleared.push(name);
      },
    }),
  };
  return { grid: grid as unknown as Shoal, created, cleared };
}

const table = { columns: [{ name: 'id', type: 'INT', notNull: true }], primaryKey: ['id'] };
const put = { kind: 'put', key: 1, value: { id: 1 }, version: Uint8Array.of(0x20, 1) } as const;

describe('GridWriter creating SQL tables', () => {
  it('creates the cache with the table schema and the configured layout', async () => {
    const { grid, created } = fakeGrid(() => null);
    await new GridWriter(grid, { backups: 2 }).applyChanges('t', [put], table);
    expect(created).toEqual([{ backups: 2, schema: table }]);
  });

  it('makes a plain cache, with a warning, when the grid refuses the schema', async () => {
    const { grid, created } = fakeGrid((config) => (config.schema === undefined ? null : new BadRequestError('no such type')));
    const warnings: unknown[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    expect(await new GridWriter(grid, {}, log).applyChanges('t', [put], table)).toEqual([true]);
    expect(created).toEqual([{}]);
    expect(warnings).toMatchObject([{ cache: 't', reason: 'no such type' }]);
  });

  it('uses a cache that exists with another definition as it is', async () => {
    const { grid, created } = fakeGrid(() => new CacheConfigConflictError('exists'));
    expect(await new GridWriter(grid).applyChanges('t', [put], table)).toEqual([true]);
    expect(created).toEqual([]);
  });

  it('does not create a cache to clear it: a truncate first leaves the table to the first row', async () => {
    const { grid, created, cleared } = fakeGrid(() => null);
    const writer = new GridWriter(grid);
    await writer.clear('t');
    expect(created).toEqual([]);
    await writer.applyChanges('t', [put], table);
    await writer.clear('t');
    expect(created).toEqual([{ schema: table }]);
    expect(cleared).toEqual(['t']);
  });
});
