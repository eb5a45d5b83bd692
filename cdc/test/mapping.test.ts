import { describe, expect, it } from 'vitest';
import {
  CdcConfigError,
  CdcEventError,
  decodeRecord,
  GtidSourceChangedError,
  EventMapper,
  gridKeyOf,
  noRules,
  parseCacheRules,
  parseKeyColumnRules,
  positionVersion,
  SchemaTextCache,
  tableNames,
  type MappedEvent,
  type MappingRules,
} from '../src/index.js';
import { encodeValue } from '@shoal/client/protocol';
import { fixtureText } from './support/fixtures.js';
import { changeEvent } from './support/generated-events.js';
import { thrown } from './support/events.js';

const mapper = (rules: Partial<MappingRules> = {}) => new EventMapper({ rules: { ...noRules, ...rules } });
const map = (record: { key?: string | null; value: string | null; topic?: string | null }, rules: Partial<MappingRules> = {}): MappedEvent =>
  mapper(rules).map(decodeRecord({ key: record.key ?? null, value: record.value, topic: record.topic ?? null }));

const pgSource = (table: string, lsn: number) =>
  `{"connector":"postgresql","name":"pg","ts_ms":1700000000000,"snapshot":"false","db":"shop","schema":"public","table":"${table}","lsn":${lsn}}`;
const upsert = (table: string, row: object, lsn = 100, op = 'c') => `{"before":null,"after":${JSON.stringify(row)},"source":${pgSource(table, lsn)},"op":"${op}","ts_ms":1700000000005}`;
const del = (table: string, before: object | null, lsn = 100) => `{"before":${JSON.stringify(before)},"after":null,"source":${pgSource(table, lsn)},"op":"d","ts_ms":1700000000005}`;

describe('table names a rule can use', () => {
  it('most specific first: topic, db.schema.table, db.table, schema.table, table', () => {
    expect(tableNames({ db: 'shop', schema: 'public', table: 'customers' }, 'pg.public.customers')).toEqual([
      'pg.public.customers',
      'shop.public.customers',
      'shop.customers',
      'public.customers',
      'customers',
    ]);
    expect(tableNames({ db: 'inventory', schema: null, table: 'customers' }, null)).toEqual(['inventory.customers', 'customers']);
  });

  it('without a table, the topic and its last part', () => {
    expect(tableNames(null, 'dbserver1.inventory.customers')).toEqual(['dbserver1.inventory.customers', 'customers']);
  });
});

describe('mapping rules', () => {
  it('parses --map and --key', () => {
    expect(parseCacheRules(['pg.public.customers=people', 'orders=o'])).toEqual(
      new Map([
        ['pg.public.customers', 'people'],
        ['orders', 'o'],
      ]),
    );
    expect(parseKeyColumnRules(['order_lines=order_id, line'])).toEqual(new Map([['order_lines', ['order_id', 'line']]]));
  });

  it('refuses malformed and repeated rules with CdcConfigError', () => {
    for (const bad of [['nocache'], ['=x'], ['t='], ['a=b', 'a=c']]) expect(() => parseCacheRules(bad)).toThrow(CdcConfigError);
    for (const bad of [['t=a,,b'], ['t=a,a'], ['t'], ['t=a', 't=b']]) expect(() => parseKeyColumnRules(bad)).toThrow(CdcConfigError);
  });
});

describe('event mapper', () => {
  it('c, r, u put the after row under the record key, in the cache named like the table, with the position as version', () => {
    const mapped = map({ key: '{"id":7}', value: upsert('customers', { id: 7, name: 'Ada' }, 123), topic: 'pg.public.customers' });
    expect(mapped).toMatchObject({ kind: 'put', cache: 'customers', key: 7, value: { id: 7, name: 'Ada' }, sourceTsMs: 1700000000000 });
    const expectedVersion = positionVersion({ kind: 'postgres', server: 'pg', snapshot: false, lsn: 123n, commitLsn: null });
    expect((mapped as { version: Uint8Array }).version).toEqual(expectedVersion);
    for (const op of ['r', 'u']) expect(map({ key: '{"id":7}', value: upsert('customers', { id: 7 }, 1, op) }).kind).toBe('put');
  });

  it('d removes the key; tombstones, transaction metadata and messages are skipped', () => {
    expect(map({ key: '{"id":7}', value: del('customers', { id: 7 }) })).toMatchObject({ kind: 'remove', cache: 'customers', key: 7 });
    expect(map({ key: '{"id":7}', value: null })).toEqual({ kind: 'skip', eventKind: 'tombstone' });
    expect(map({ value: fixtureText('postgres-transaction-metadata-begin.json') })).toEqual({ kind: 'skip', eventKind: 'transaction' });
    expect(map({ value: fixtureText('postgres-message-noschema.json') })).toEqual({ kind: 'skip', eventKind: 'message' });
  });

  it('t truncates the mapped cache', () => {
    const truncate = `{"source":${pgSource('customers', 200)},"op":"t","ts_ms":1700000000005}`;
    expect(map({ value: truncate }, { caches: new Map([['customers', 'people']]) })).toEqual({ kind: 'truncate', cache: 'people', sourceTsMs: 1700000000000 });
  });

  it('--map by topic wins over table names; unmapped tables go to their own name', () => {
    const caches = new Map([
      ['pg.public.customers', 'by-topic'],
      ['customers', 'by-table'],
      ['shop.public.orders', 'qualified'],
    ]);
    expect(map({ key: '{"id":1}', value: upsert('customers', { id: 1 }), topic: 'pg.public.customers' }, { caches })).toMatchObject({ cache: 'by-topic' });
    expect(map({ key: '{"id":1}', value: upsert('customers', { id: 1 }), topic: null }, { caches })).toMatchObject({ cache: 'by-table' });
    expect(map({ key: '{"id":1}', value: upsert('orders', { id: 1 }) }, { caches })).toMatchObject({ cache: 'qualified' });
    expect(map({ key: '{"id":1}', value: upsert('items', { id: 1 }) }, { caches })).toMatchObject({ cache: 'items' });
  });

  it('composite keys become an object of the key columns; --key columns work without a record key and win over it', () => {
    expect(map({ key: '{"order_id":3,"line":2}', value: upsert('order_lines', { order_id: 3, line: 2, qty: 1 }) })).toMatchObject({ key: { order_id: 3, line: 2 } });
    const keyColumns = new Map([['order_lines', ['line', 'order_id']]]);
    expect(map({ value: upsert('order_lines', { order_id: 3, line: 2, qty: 1 }) }, { keyColumns })).toMatchObject({ key: { line: 2, order_id: 3 } });
    expect(map({ value: del('order_lines', { order_id: 3, line: 2 }) }, { keyColumns })).toMatchObject({ kind: 'remove', key: { line: 2, order_id: 3 } });
    expect(map({ key: '{"sku":"x"}', value: upsert('customers', { id: 5, sku: 'x' }) }, { keyColumns: new Map([['customers', ['id']]]) })).toMatchObject({ key: 5 });
  });

  it('an unwrapped row without __table maps by its topic', () => {
    const mapped = map({ key: '{"id":1}', value: '{"id":1,"name":"x","__op":"c","__lsn":5}', topic: 'pg.public.customers' });
    expect(mapped).toMatchObject({ kind: 'put', cache: 'customers', key: 1 });
  });

  it('no key, a missing or null key column, no table and no topic: CdcEventError with a stable code', () => {
    const code = (fn: () => unknown) => (thrown(fn) as { code: string }).code;
    expect(code(() => map({ value: upsert('customers', { id: 1 }) }))).toBe('NO_KEY');
    expect((thrown(() => map({ value: upsert('customers', { id: 1 }) })) as Error).message).toContain('--key customers=');
    expect(code(() => map({ value: upsert('customers', { name: 'x' }) }, { keyColumns: new Map([['customers', ['id']]]) }))).toBe('UNUSABLE_KEY');
    expect(code(() => map({ key: '{"id":null}', value: upsert('customers', { id: null }) }))).toBe('UNUSABLE_KEY');
    expect(code(() => map({ value: del('customers', null) }, { keyColumns: new Map([['customers', ['id']]]) }))).toBe('UNUSABLE_KEY');
    expect(code(() => map({ key: '{"id":1}', value: '{"id":1}' }))).toBe('NO_CACHE');
  });

  it("key columns are the row's own: `toString` is missing from a row without it, and a `__proto__` column keys like any other", () => {
    const message = (fn: () => unknown) => (thrown(fn) as Error).message;
    for (const columns of [['toString'], ['id', 'toString']]) {
      expect(message(() => map({ value: upsert('customers', { id: 1 }) }, { keyColumns: new Map([['customers', columns]]) }))).toBe('the row has no key column toString');
    }
    const row = '{"id":1,"__proto__":{"a":5}}';
    const value = upsert('t', { id: 1 }).replace('{"id":1}', row);
    expect(map({ value }, { keyColumns: new Map([['t', ['__proto__']]]) })).toMatchObject({ kind: 'put', key: { a: 5 } });
    expect(map({ value }, { keyColumns: new Map([['t', ['id', '__proto__']]]) })).toMatchObject({ kind: 'put', key: JSON.parse('{"id":1,"__proto__":{"a":5}}') });
  });
});

describe('grid keys from key columns', () => {
  it('scalars pass; bigints become decimal text, booleans text, bytes base64', () => {
    expect(gridKeyOf({ id: 'a' }, 'k')).toBe('a');
    expect(gridKeyOf({ id: 2n ** 60n }, 'k')).toBe('1152921504606846976');
    expect(gridKeyOf({ flag: true }, 'k')).toBe('true');
    expect(gridKeyOf({ raw: Uint8Array.of(1, 2, 255) }, 'k')).toBe('AQL/');
    expect(gridKeyOf({ a: 1, b: [1, 'x'] }, 'k')).toEqual({ a: 1, b: [1, 'x'] });
  });

  it('refuses empty keys, nulls and non-finite numbers', () => {
    for (const bad of [{}, { id: null }, { id: Number.NaN }, { id: new Date(0) }]) expect(() => gridKeyOf(bad, 'k')).toThrow(expect.objectContaining({ code: 'UNUSABLE_KEY' }));
  });
});

describe('MySQL GTID versions refuse a change of GTID source', () => {
  const mysqlEvent = (id: number, gtid: string | null, pos: number) =>
    decodeRecord({
      key: `{"id":${id}}`,
      value: JSON.stringify({
        op: 'u',
        before: null,
        after: { id },
        source: { connector: 'mysql', name: 'm', ts_ms: 1, snapshot: 'false', db: 'shop', table: 'customers', server_id: 1, gtid, file: 'mysql-bin.000001', pos, row: 0 },
        ts_ms: 2,
      }),
      topic: null,
    });
  const gtidMapper = () => new EventMapper({ rules: noRules, mysql: 'gtid' });

  it('a MySQL failover (another source uuid) fails loudly instead of being skipped as stale', () => {
    const mapper = gtidMapper();
    expect(mapper.map(mysqlEvent(1, '3E11FA47-71CA-11E1-9E33-C80AA9429562:5000', 10)).kind).toBe('put');
    expect(mapper.map(mysqlEvent(1, '3e11fa47-71ca-11e1-9e33-c80aa9429562:5001', 20)).kind).toBe('put'); // same source, case aside
    expect(mapper.map(mysqlEvent(2, null, 30)).kind).toBe('put'); // no GTID: nothing to check
    const err = thrown(() => mapper.map(mysqlEvent(1, '9f11fa47-71ca-11e1-9e33-c80aa9429562:3', 4)));
    expect(err).toBeInstanceOf(GtidSourceChangedError);
    expect(err).not.toBeInstanceOf(CdcEventError); // not set aside: it fails the batch
    expect((err as Error).message).toMatch(/GTID source changed from mysql 3e11fa47.* to mysql 9f11fa47.*--mysql-version binlog/);
    // A tagged GTID is another source too.
    const tagged = gtidMapper();
    tagged.map(mysqlEvent(1, '3e11fa47-71ca-11e1-9e33-c80aa9429562:5000', 10));
    expect(thrown(() => tagged.map(mysqlEvent(1, '3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1', 20)))).toBeInstanceOf(GtidSourceChangedError);
  });

  it("MariaDB's domain-wide sequence goes on across servers of one domain; another domain is refused", () => {
    const mapper = gtidMapper();
    mapper.map(mysqlEvent(1, '0-1-41', 10));
    expect(mapper.map(mysqlEvent(1, '0-2-42', 4)).kind).toBe('put');
    expect(thrown(() => mapper.map(mysqlEvent(1, '1-2-43', 5)))).toBeInstanceOf(GtidSourceChangedError);
  });

  it('the binlog form does not check GTIDs', () => {
    const mapper = new EventMapper({ rules: noRules });
    mapper.map(mysqlEvent(1, '3e11fa47-71ca-11e1-9e33-c80aa9429562:5000', 10));
    expect(mapper.map(mysqlEvent(1, '9f11fa47-71ca-11e1-9e33-c80aa9429562:3', 4)).kind).toBe('put');
  });
});

describe('cache names the grid would refuse', () => {
  it('--map to a reserved or over-long name is a configuration error', () => {
    expect(thrown(() => parseCacheRules(['t=__shoal.x']))).toBeInstanceOf(CdcConfigError);
    expect(thrown(() => parseCacheRules([`t=${'c'.repeat(256)}`]))).toBeInstanceOf(CdcConfigError);
    expect(parseCacheRules([`t=${'c'.repeat(255)}`]).get('t')).toBe('c'.repeat(255));
  });

  it('a table whose default cache name is unusable is set aside (NO_CACHE), not sent to the grid', () => {
    const err = thrown(() => map({ key: '{"id":1}', value: upsert('__shoal.sneaky', { id: 1 }) }));
    expect(err).toBeInstanceOf(CdcEventError);
    expect(err).toMatchObject({ code: 'NO_CACHE', reason: expect.stringMatching(/reserved/) });
  });
});

describe('rows transcoded to their stored form', () => {
  const columns = [
    { schema: { type: 'int64', optional: false }, value: '9007199254740993' },
    { schema: { type: 'string', optional: true }, value: '"north"' },
  ];
  const record = () => ({ key: null, value: Buffer.from(changeEvent(columns, 'pg.public.t.Value', 'c')), topic: 'pg.public.t' });
  const mapBoth = (rules: Partial<MappingRules>) => {
    const cache = new SchemaTextCache();
    decodeRecord(record(), { parser: cache }); // the first sight of a schema takes the text path
    const encoded = decodeRecord(record(), { parser: cache, encodedRows: true });
    const plain = decodeRecord(record(), { parser: cache });
    return { encoded, mapped: () => mapper(rules).map(encoded), reference: () => mapper(rules).map(plain) };
  };

  it('key the row by its columns as the row object does, and carry the encoded value', () => {
    const { encoded, mapped, reference } = mapBoth({ keyColumns: parseKeyColumnRules(['t=c0,c1']) });
    expect(encoded.kind === 'upsert' && encoded.encodedRow !== undefined).toBe(true);
    const [got, want] = [mapped(), reference()];
    if (got.kind !== 'put' || want.kind !== 'put') throw new Error('expected puts');
    expect(got.key).toEqual({ c0: '9007199254740993', c1: 'north' });
    expect(got.key).toEqual(want.key);
    expect(Buffer.from(encodeValue(got.value)).equals(Buffer.from(encodeValue(want.value)))).toBe(true);
  });

  it('refuse a key column the row does not have, as the row object does', () => {
    const { mapped, reference } = mapBoth({ keyColumns: parseKeyColumnRules(['t=missing']) });
    expect(thrown(mapped)).toMatchObject({ code: 'UNUSABLE_KEY' });
    expect((thrown(mapped) as CdcEventError).reason).toBe((thrown(reference) as CdcEventError).reason);
  });
});
