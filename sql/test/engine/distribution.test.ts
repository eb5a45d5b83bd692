import { encodeKey, partitionOf } from '@shoal/client/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InMemoryGrid } from '../support/in-memory-host.js';
import { shop } from './fixtures.js';

let grid: InMemoryGrid;

beforeAll(async () => {
  grid = await shop(3, 16);
});

async function explain(text: string): Promise<string[]> {
  const result = await grid.sql(`EXPLAIN ${text}`);
  expect(result.command).toBe('EXPLAIN');
  expect(result.columns).toEqual(['QUERY PLAN']);
  return result.rows.map((row) => row[0] as string);
}

describe('point lookups', () => {
  it('sends a primary-key equality to the one partition of the key', async () => {
    grid.mapCalls = [];
    expect((await grid.sql('SELECT name FROM products WHERE id = $1', [3])).rows).toEqual([['kale']]);
    expect(grid.mapCalls).toEqual([{ table: 'products', partitions: [partitionOf(encodeKey(3), 16)] }]);
  });

  it('sends pk IN (...) to the partitions of those keys only', async () => {
    grid.mapCalls = [];
    expect((await grid.sql('SELECT id FROM products WHERE id IN (1, 2, 99) ORDER BY id')).rows).toEqual([[1], [2]]);
    const expected = [...new Set([1, 2, 99].map((id) => partitionOf(encodeKey(id), 16)))].sort((a, b) => a - b);
    expect(grid.mapCalls).toEqual([{ table: 'products', partitions: expected }]);
  });

  it('finds nothing without a map call when no key can match', async () => {
    grid.mapCalls = [];
    expect((await grid.sql('SELECT id FROM products WHERE id = 1.5')).rows).toEqual([]);
    expect(grid.mapCalls).toEqual([]);
  });

  it('still checks the rest of the WHERE on the looked-up row', async () => {
    expect((await grid.sql("SELECT id FROM products WHERE id = 3 AND category = 'fruit'")).rows).toEqual([]);
  });

  it('routes UPDATE and DELETE by key as well', async () => {
    grid.mapCalls = [];
    await grid.sql('UPDATE stock SET qty = qty WHERE id = 7');
    expect(grid.mapCalls).toEqual([{ table: 'stock', partitions: [partitionOf(encodeKey(7), 16)] }]);
  });
});

describe('EXPLAIN', () => {
  it('shows a point lookup', async () => {
    expect(await explain('SELECT * FROM products WHERE id = 1')).toEqual([
      'point lookup on 1 partition of "products" (1 primary key)',
      '  filter: WHERE conditions on "products"',
      '  projection',
      'reduce on the receiving node: concatenate',
    ]);
  });

  it('shows the map and reduce phases of an aggregation with a join', async () => {
    expect(await explain('SELECT r.name, count(*) FROM orders o JOIN regions r ON r.code = o.region GROUP BY r.name ORDER BY 2 DESC LIMIT 3')).toEqual([
      'map on the primaries of partitioned "orders"\'s 16 partitions: full scan',
      '  inner join replicated "regions" as r from the node\'s own copy (hash on an equality)',
      '  partial aggregation per owner: 1 group key, 1 aggregate',
      'reduce on the receiving node: merge groups, re-aggregate, sort, limit',
    ]);
  });

  it('shows the index a query uses', async () => {
    await grid.sql('CREATE INDEX orders_region ON orders (region, qty)');
    try {
      const plan = await explain("SELECT id FROM orders WHERE region = 'eu' AND qty > 3");
      expect(plan[0]).toBe('map on the primaries of partitioned "orders"\'s 16 partitions: index range scan using "orders_region" (region, qty)');
    } finally {
      await grid.sql('DROP INDEX orders_region');
    }
  });

  it('shows a key join and subqueries', async () => {
    const plan = await explain('SELECT p.name FROM products p JOIN stock s ON s.id = p.id WHERE p.id IN (SELECT id FROM stock)');
    expect(plan).toContain('reduce on the receiving node: inner hash join on the primary keys');
    expect(plan[0]).toBe('subquery 1 (run first, its values sent with the map requests):');
  });

  it('describes DML without running it', async () => {
    const writes = grid.writes;
    expect(await explain('INSERT INTO stock VALUES (50, 1)')).toEqual(['write: putIfAbsent 1 row into "stock" on their partitions\' primaries']);
    expect((await explain('DELETE FROM stock WHERE qty = 0')).at(-1)).toBe('write on the receiving node: remove the matched keys of "stock"');
    expect(grid.writes).toBe(writes);
  });
});

describe('secondary indexes', () => {
  const queries = [
    "SELECT id FROM orders WHERE region = 'eu' ORDER BY id",
    "SELECT id FROM orders WHERE region = 'eu' AND qty > 3 ORDER BY id",
    "SELECT id FROM orders WHERE region = 'eu' AND qty BETWEEN 2 AND 6 ORDER BY id",
    "SELECT id FROM orders WHERE region >= 'eu' ORDER BY id",
    "SELECT id FROM orders WHERE region < 'eu' ORDER BY id",
    "SELECT id FROM orders WHERE region = 'eu' AND qty IS NULL ORDER BY id",
    "SELECT id FROM orders WHERE region = 'eu' AND qty >= 3 AND qty < 9 ORDER BY id",
    'SELECT id FROM orders WHERE qty = 3 ORDER BY id',
    "SELECT count(*) FROM orders WHERE region = 'nowhere'",
  ];

  it('answers as a scan does', async () => {
    const scanned = await Promise.all(queries.map((text) => grid.sql(text)));
    await grid.sql('CREATE INDEX ON orders (region, qty)');
    try {
      for (const [i, text] of queries.entries()) expect((await grid.sql(text)).rows, text).toEqual(scanned[i]!.rows);
      await grid.sql("UPDATE orders SET region = 'eu' WHERE id = 2");
      await grid.sql('DELETE FROM orders WHERE id = 4');
      await grid.sql("INSERT INTO orders (id, region, qty) VALUES (100, 'eu', 4)");
      expect((await grid.sql("SELECT id FROM orders WHERE region = 'eu' AND qty = 4 ORDER BY id")).rows).toEqual(
        (await grid.sql("SELECT id FROM orders WHERE region || '' = 'eu' AND qty + 0 = 4 ORDER BY id")).rows,
      );
    } finally {
      await grid.sql('DROP INDEX orders_region_qty_idx');
    }
  });
});
