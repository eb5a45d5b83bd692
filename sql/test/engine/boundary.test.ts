import { describe, expect, it } from 'vitest';
import { checkTableSchema, SecondaryIndex } from '../../src/index.js';
import type { MapScope, TableSchema } from '../../src/index.js';
import { InMemoryGrid } from '../support/in-memory-host.js';

const emptyScope: MapScope = {
  scan: () => [],
  get: () => undefined,
  indexRange: () => undefined,
  replicated: () => [],
};

describe('runMap takes untrusted requests', () => {
  it('answers garbage with BAD_REQUEST or SQL_ERROR, never a crash', async () => {
    const grid = new InMemoryGrid(1, 4);
    await grid.sql('CREATE TABLE t (id INT PRIMARY KEY, v TEXT)');
    const valid = { v: 1, sql: 'SELECT * FROM t', params: [], target: 0, scan: 0, subqueries: [] };
    const garbage: unknown[] = [
      null,
      42,
      'SELECT 1',
      [],
      {},
      { ...valid, v: 2 },
      { ...valid, sql: 7 },
      { ...valid, params: 'x' },
      { ...valid, params: [1] },
      { ...valid, target: -1 },
      { ...valid, target: 1.5 },
      { ...valid, target: 3 },
      { ...valid, scan: 2 },
      { ...valid, subqueries: [null] },
      { ...valid, sql: 'SELECT * FROM t WHERE id IN (SELECT id FROM t)', subqueries: [{ values: 'x', kind: 'int' }] },
      { ...valid, sql: 'SELECT * FROM t WHERE id IN (SELECT id FROM t)', subqueries: [{ values: [], kind: 'nope' }] },
      { ...valid, sql: 'SELECT * FROM t WHERE id IN (SELECT id FROM t)', subqueries: [null] },
      { ...valid, sql: 'SELEKT' },
      { ...valid, sql: 'SELECT * FROM missing' },
      { ...valid, sql: "INSERT INTO t VALUES (1, 'a')" },
      { v: 1, get: 5, keys: [] },
      { v: 1, get: 't', keys: [true] },
      { v: 1, get: 'missing', keys: [1] },
    ];
    for (const request of garbage) {
      let code: string | undefined;
      try {
        grid.engine.runMap(request, emptyScope);
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(['BAD_REQUEST', 'SQL_ERROR'], JSON.stringify(request)).toContain(code);
    }
    expect(grid.engine.runMap(valid, emptyScope)).toEqual([]);
  });
});

describe('checkTableSchema', () => {
  it('normalizes type names into SqlTypes and marks key columns NOT NULL', () => {
    const schema = checkTableSchema({
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'price', type: 'DECIMAL(10,2)' },
        { name: 'name', type: 'varchar(20)', notNull: true },
        { name: 'at', type: { kind: 'timestamp' } },
        { name: 'doc', type: 'JSON' },
      ],
      primaryKey: ['id'],
      indexes: [{ name: 'by_name', columns: ['name'] }],
    });
    expect(schema).toEqual({
      columns: [
        { name: 'id', type: { kind: 'bigint' }, notNull: true },
        { name: 'price', type: { kind: 'decimal', precision: 10, scale: 2 }, notNull: false },
        { name: 'name', type: { kind: 'text', maxLength: 20 }, notNull: true },
        { name: 'at', type: { kind: 'timestamp' }, notNull: false },
        { name: 'doc', type: { kind: 'json' }, notNull: false },
      ],
      primaryKey: ['id'],
      indexes: [{ name: 'by_name', columns: ['name'] }],
    });
  });

  it.each([
    [null, /must be an object/],
    [{ columns: [], primaryKey: ['id'] }, /non-empty columns/],
    [{ columns: [{ name: 'id', type: 'INTEGRAL' }], primaryKey: ['id'] }, /column "id": unknown type 'INTEGRAL'/],
    [{ columns: [{ name: 'id', type: 'INT' }], primaryKey: [] }, /primaryKey of at least one column/],
    [{ columns: [{ name: 'id', type: 'INT' }], primaryKey: ['nope'] }, /column "nope" is not a column/],
    [{ columns: [{ name: 'id', type: 'INT' }, { name: 'id', type: 'TEXT' }], primaryKey: ['id'] }, /declared twice/],
    [{ columns: [{ name: 'id', type: 'JSON' }], primaryKey: ['id'] }, /cannot be a key/],
    [{ columns: [{ name: 'id', type: 'DECIMAL(2,5)' }], primaryKey: ['id'] }, /DECIMAL precision/],
    [{ columns: [{ name: 'id', type: 'INT', notNull: 'yes' }], primaryKey: ['id'] }, /notNull must be a boolean/],
    [{ columns: [{ name: 'id', type: 'INT' }], primaryKey: ['id'], indexes: [{ name: 'i', columns: ['x'] }] }, /column "x" is not a column/],
  ])('refuses %j', (input, message) => {
    expect(() => checkTableSchema(input)).toThrow(message);
    try {
      checkTableSchema(input);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('BAD_REQUEST');
    }
  });
});

describe('SecondaryIndex', () => {
  const schema: TableSchema = {
    columns: [
      { name: 'id', type: { kind: 'int' }, notNull: true },
      { name: 'price', type: { kind: 'decimal', precision: 10, scale: 2 }, notNull: false },
      { name: 'tag', type: { kind: 'text' }, notNull: false },
    ],
    primaryKey: ['id'],
    indexes: [],
  };

  it('orders by SQL value (decimals numerically, NULL last), ids breaking ties', () => {
    const index = new SecondaryIndex(schema, { name: 'p', columns: ['price', 'tag'] });
    const rows: [string, unknown][] = [
      ['a', { id: 1, price: '9.50', tag: 'x' }],
      ['b', { id: 2, price: '12.00', tag: 'x' }],
      ['c', { id: 3, price: null, tag: 'x' }],
      ['d', { id: 4, price: '9.50', tag: 'a' }],
      ['e', { id: 5, price: '9.50', tag: null }],
      ['f', { id: 6, tag: 'z' }],
    ];
    for (const [id, row] of rows) index.insert(id, row);
    expect(index.size).toBe(6);
    expect([...index.range({})]).toEqual(['d', 'a', 'e', 'b', 'c', 'f']);
    expect([...index.range({ lower: { values: ['9.50'], inclusive: true }, upper: { values: ['9.50'], inclusive: true } })]).toEqual(['d', 'a', 'e']);
    expect([...index.range({ lower: { values: ['9.50'], inclusive: false } })]).toEqual(['b', 'c', 'f']);
    expect([...index.range({ upper: { values: ['12.00'], inclusive: false } })]).toEqual(['d', 'a', 'e']);
    expect([...index.range({ lower: { values: ['9.5', 'b'], inclusive: true }, upper: { values: ['9.5'], inclusive: true } })]).toEqual(['a', 'e']);
    expect([...index.range({ lower: { values: [null], inclusive: true }, upper: { values: [null], inclusive: true } })]).toEqual(['c', 'f']);
    index.delete('a', { id: 1, price: '9.50', tag: 'x' });
    index.delete('f', { id: 6, tag: 'z' });
    expect([...index.range({})]).toEqual(['d', 'e', 'b', 'c']);
    expect(index.size).toBe(4);
  });
});
