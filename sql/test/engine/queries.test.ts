import { beforeAll, describe, expect, it } from 'vitest';
import type { InMemoryGrid } from '../support/in-memory-host.js';
import { shop, sqlErrorOf } from './fixtures.js';

let grid: InMemoryGrid;
let single: InMemoryGrid;

beforeAll(async () => {
  grid = await shop(3, 16);
  single = await shop(1, 1);
});

async function rows(text: string, params: unknown[] = []) {
  return (await grid.sql(text, params)).rows;
}

const sqlError = (text: string, params: unknown[] = []) => sqlErrorOf(grid, text, params);

const sorted = (input: readonly (readonly unknown[])[]) => [...input].map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).sort();

describe('distributed results equal single-owner results', () => {
  const queries = [
    'SELECT region, count(*), sum(qty), avg(qty), min(qty), max(qty), count(qty), count(DISTINCT product) FROM orders GROUP BY region',
    'SELECT count(*), sum(qty), avg(qty) FROM orders WHERE qty > 3',
    'SELECT product, sum(qty) AS total FROM orders GROUP BY product HAVING sum(qty) > 20 ORDER BY total DESC',
    'SELECT DISTINCT region FROM orders ORDER BY region',
    'SELECT id, qty FROM orders ORDER BY qty DESC NULLS LAST, id LIMIT 5 OFFSET 2',
    'SELECT id FROM orders WHERE note LIKE \'note 1%\' ORDER BY id',
    'SELECT category, sum(price), avg(price), count(*) FROM products GROUP BY category ORDER BY category',
    'SELECT o.id, r.name FROM orders o LEFT JOIN regions r ON r.code = o.region WHERE o.id < 10 ORDER BY o.id',
    'SELECT r.name, count(*) FROM orders o JOIN regions r ON r.code = o.region GROUP BY r.name ORDER BY r.name',
    'SELECT p.name, s.qty FROM products p LEFT JOIN stock s ON s.id = p.id ORDER BY p.id',
    'SELECT count(*) FROM orders WHERE product IN (SELECT id FROM products WHERE category = \'fruit\')',
    'SELECT placed, count(*) FROM orders GROUP BY placed ORDER BY placed DESC LIMIT 3',
    'SELECT count(DISTINCT qty), count(DISTINCT region) FROM orders',
  ];
  it.each(queries)('%s', async (text) => {
    const distributed = await grid.sql(text);
    const local = await single.sql(text);
    expect(distributed.columns).toEqual(local.columns);
    if (text.includes('ORDER BY')) expect(distributed.rows).toEqual(local.rows);
    else expect(sorted(distributed.rows)).toEqual(sorted(local.rows));
  });
});

describe('aggregates', () => {
  it('computes exact decimal sums and averages', async () => {
    expect(await rows("SELECT sum(price), avg(price), min(price), max(price) FROM products WHERE category = 'fruit'")).toEqual([['3.25', '1.6250000000000000', '1.20', '2.05']]);
  });

  it('answers one row over no rows: COUNT 0, SUM NULL', async () => {
    expect(await rows('SELECT count(*), count(qty), sum(qty), avg(qty), max(qty) FROM orders WHERE id < 0')).toEqual([[0, 0, null, null, null]]);
  });

  it('answers no rows for GROUP BY over no rows', async () => {
    expect(await rows('SELECT region, count(*) FROM orders WHERE id < 0 GROUP BY region')).toEqual([]);
  });

  it('groups by ordinal and alias, and refuses ungrouped columns', async () => {
    expect(await rows('SELECT upper(region) AS r, count(*) FROM orders GROUP BY 1 ORDER BY 1 LIMIT 1')).toEqual([['AP', 15]]);
    expect(await rows('SELECT upper(region) AS r, count(*) FROM orders GROUP BY r ORDER BY r LIMIT 1')).toEqual([['AP', 15]]);
    expect(await sqlError('SELECT region, qty FROM orders GROUP BY region')).toBe('column "qty" must appear in the GROUP BY clause or be used in an aggregate function');
  });

  it('orders by an aggregate not in the select list', async () => {
    const sums = new Map<string, number>();
    for (let id = 1; id <= 60; id++) {
      const region = ['eu', 'us', 'ap', 'xx'][id % 4]!;
      sums.set(region, (sums.get(region) ?? 0) + (id % 5 === 0 ? 0 : (id * 7) % 13));
    }
    const expected = [...sums].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, 2).map(([region]) => [region]);
    expect(await rows('SELECT region FROM orders GROUP BY region ORDER BY sum(qty) DESC, region LIMIT 2')).toEqual(expected);
  });

  it('refuses aggregates in WHERE and nested aggregates', async () => {
    expect(await sqlError('SELECT id FROM orders WHERE count(*) > 1')).toMatch(/aggregate functions are not allowed in WHERE/);
    expect(await sqlError('SELECT sum(count(*)) FROM orders')).toMatch(/cannot be nested/);
  });

  it('refuses SUM of text', async () => {
    expect(await sqlError('SELECT sum(note) FROM orders')).toMatch(/function sum\(text\) does not exist/);
  });
});

describe('ordering and limits', () => {
  it('sorts NULLs as larger than everything by default', async () => {
    const ascending = await rows('SELECT category FROM products ORDER BY category');
    expect(ascending.at(-1)).toEqual([null]);
    const descending = await rows('SELECT category FROM products ORDER BY category DESC');
    expect(descending[0]).toEqual([null]);
    const first = await rows('SELECT category FROM products ORDER BY category NULLS FIRST');
    expect(first[0]).toEqual([null]);
  });

  it('takes LIMIT and OFFSET as parameters', async () => {
    expect(await rows('SELECT id FROM products ORDER BY id LIMIT $1 OFFSET $2', [2, 1])).toEqual([[2], [3]]);
  });

  it('orders by an expression that is not selected', async () => {
    expect(await rows('SELECT name FROM products ORDER BY -id LIMIT 2')).toEqual([['mystery'], ['salt']]);
  });

  it('refuses ORDER BY of an unselected expression with DISTINCT', async () => {
    expect(await sqlError('SELECT DISTINCT region FROM orders ORDER BY qty')).toMatch(/must appear in select list/);
  });

  it('expands * and t.*', async () => {
    const result = await grid.sql('SELECT * FROM products WHERE id = 1');
    expect(result.columns).toEqual(['id', 'name', 'price', 'category']);
    expect(result.rows).toEqual([[1, 'apple', '1.20', 'fruit']]);
    const joined = await grid.sql("SELECT r.*, o.id FROM orders o JOIN regions r ON r.code = o.region WHERE o.id = 1");
    expect(joined.columns).toEqual(['code', 'name', 'id']);
    expect(joined.rows).toEqual([['us', 'Americas', 1]]);
  });
});

describe('subqueries', () => {
  it('runs IN (SELECT ...) first and substitutes its values', async () => {
    expect(await rows("SELECT name FROM products WHERE id IN (SELECT id FROM stock WHERE qty > 0) ORDER BY name")).toEqual([['apple'], ['kale']]);
  });

  it('gives NOT IN over a set with NULL no rows, as PostgreSQL does', async () => {
    expect(await rows('SELECT id FROM products WHERE price NOT IN (SELECT price FROM products WHERE id > 4)')).toEqual([]);
    expect(await rows('SELECT id FROM products WHERE id NOT IN (SELECT id FROM stock) ORDER BY id')).toEqual([[4], [5], [6]]);
  });

  it('answers NULL IN an empty set false and NOT IN it true (seed 1049132240 of the differential test)', async () => {
    expect(await rows('SELECT count(*) FROM products WHERE NULL NOT IN (SELECT id FROM stock WHERE id < 0)')).toEqual([[6]]);
    expect(await rows('SELECT count(*) FROM products WHERE NULL IN (SELECT id FROM stock WHERE id < 0)')).toEqual([[0]]);
  });

  it('nests subqueries', async () => {
    expect(await rows('SELECT count(*) FROM orders WHERE product IN (SELECT id FROM products WHERE id IN (SELECT id FROM stock WHERE qty = 0))')).toEqual([[9]]);
  });

  it('refuses a subquery with two columns', async () => {
    expect(await sqlError('SELECT id FROM products WHERE id IN (SELECT id, qty FROM stock)')).toMatch(/too many columns/);
  });
});

describe('joins', () => {
  it('joins two partitioned tables on their primary keys', async () => {
    expect(await rows('SELECT p.name, s.qty FROM products p JOIN stock s ON p.id = s.id WHERE s.qty > 0 ORDER BY p.name')).toEqual([['apple', 10], ['kale', 5]]);
    expect(await rows("SELECT p.id, s.qty FROM products p LEFT JOIN stock s ON s.id = p.id AND s.qty > 0 WHERE p.category = 'fruit' ORDER BY p.id")).toEqual([[1, 10], [2, null]]);
  });

  it('keeps LEFT JOIN semantics: WHERE on the nullable side is not pushed into its scan', async () => {
    expect(await rows('SELECT p.id FROM products p LEFT JOIN stock s ON s.id = p.id WHERE s.qty IS NULL ORDER BY p.id')).toEqual([[4], [5], [6]]);
  });

  it('drives from the partitioned table when a replicated table comes first in an inner join', async () => {
    expect(await rows("SELECT count(*) FROM regions r JOIN orders o ON o.region = r.code WHERE r.name = 'Asia'")).toEqual([[15]]);
  });

  it('refuses joins it cannot answer correctly', async () => {
    const refusal = /joins between partitioned tables must be on their primary keys/;
    expect(await sqlError('SELECT * FROM orders o JOIN products p ON p.id = o.product')).toMatch(refusal);
    expect(await sqlError('SELECT * FROM regions r LEFT JOIN orders o ON o.region = r.code')).toMatch(refusal);
    expect(await sqlError('SELECT * FROM products p JOIN stock s ON s.qty = p.id')).toMatch(refusal);
  });

  it('resolves columns and reports unknown and ambiguous ones', async () => {
    expect(await sqlError('SELECT prise FROM products')).toBe('column "prise" does not exist in table "products"');
    expect(await sqlError('SELECT id FROM products p JOIN stock s ON s.id = p.id')).toBe('column reference "id" is ambiguous');
    expect(await sqlError('SELECT * FROM nothing')).toBe('relation "nothing" does not exist');
  });
});
