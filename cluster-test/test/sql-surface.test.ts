import type { Shoal } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError } from './support/helpers.js';

/** `grid.sql`, `grid.kysely()` and tables made through the SDK, against one `shoal node` child process. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
});

afterAll(() => fixtures.cleanup());

interface ProductsTable {
  id: number;
  name: string;
  category: string;
  price: string;
  qty: number | null;
}
interface Database {
  products: ProductsTable;
}

describe('tables are caches', () => {
  it('a row inserted by SQL answers cache.get by its key, and a put row answers SQL', async () => {
    await grid.sql(`CREATE TABLE customers (id INT PRIMARY KEY, name TEXT NOT NULL, tier VARCHAR(10)) WITH (mode = 'partitioned', backups = 1)`);
    const inserted = await grid.sql('INSERT INTO customers (id, name, tier) VALUES (?, ?, ?), (?, ?, ?)', [1, 'Ann', 'gold', 2, 'Bob', 'silver']);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 2 });
    expect(await grid.cache('customers').get(1)).toEqual({ id: 1, name: 'Ann', tier: 'gold' });
    await grid.cache('customers').put(3, { id: 3, name: 'Cy', tier: 'gold' });
    const gold = await grid.sql('SELECT name FROM customers WHERE tier = ? ORDER BY name', ['gold']);
    expect(gold.columns).toEqual(['name']);
    expect(gold.rows).toEqual([['Ann'], ['Cy']]);
  });

  it('a cache created through the SDK with a schema is a table', async () => {
    await grid.createCache('sdk_table', {
      mode: 'replicated',
      schema: { columns: [{ name: 'code', type: 'VARCHAR(8)' }, { name: 'rate', type: 'DECIMAL(10,4)' }], primaryKey: ['code'] },
    });
    await grid.sql("INSERT INTO sdk_table VALUES ('EUR', 1.0825), ('GBP', 1.2650)");
    const rates = await grid.sql('SELECT code, rate FROM sdk_table ORDER BY code');
    // DECIMAL stays exact: its text, never a float.
    expect(rates.rows).toEqual([
      ['EUR', '1.0825'],
      ['GBP', '1.2650'],
    ]);
  });
});

describe('results', () => {
  it('a large result arrives whole through pages', async () => {
    await grid.sql('CREATE TABLE numbers (n INT PRIMARY KEY, square BIGINT)');
    const values = Array.from({ length: 2500 }, (_, n) => `(${n}, ${n * n})`).join(', ');
    await grid.sql(`INSERT INTO numbers VALUES ${values}`);
    const all = await grid.sql('SELECT n, square FROM numbers ORDER BY n');
    expect(all.rowCount).toBe(2500);
    expect(all.rows).toHaveLength(2500);
    expect(all.rows[2499]).toEqual([2499, 2499 * 2499]);
    const sum = await grid.sql('SELECT count(*), sum(n) FROM numbers');
    expect(sum.rows).toEqual([[2500, (2499 * 2500) / 2]]);
  });

  it('EXPLAIN shows where each phase runs and the index it uses', async () => {
    await grid.sql('CREATE INDEX numbers_square_idx ON numbers (square)');
    const plan = await grid.sql('EXPLAIN SELECT n FROM numbers WHERE square = 144');
    const text = plan.rows.map((row) => row.join(' ')).join('\n');
    expect(text).toMatch(/numbers_square_idx/);
    expect(text).toMatch(/map/i);
    expect(text).toMatch(/reduce/i);
    expect((await grid.sql('SELECT n FROM numbers WHERE square = 144')).rows).toEqual([[12]]);
    const point = await grid.sql('EXPLAIN SELECT square FROM numbers WHERE n = 7');
    expect(point.rows.map((row) => row.join(' ')).join('\n')).toMatch(/1 partition/);
  });
});

describe('bad SQL answers SQL_ERROR and the node goes on serving', () => {
  it.each([
    ['SELEC 1', [], /syntax|line 1/i],
    ['SELECT * FROM no_such_table', [], /no_such_table/],
    ['SELECT nope FROM customers', [], /nope/],
    ["INSERT INTO customers (id, name) VALUES ('x', 'Ann')", [], /id/],
    ['INSERT INTO customers (name) VALUES (?)', ['Zed'], /id/],
    ['SELECT name FROM customers WHERE id = ?', [], /parameter/],
  ])('%s', async (statement, params, message) => {
    const err = await expectShoalError(grid.sql(statement, params), 'SQL_ERROR');
    expect(err.message).toMatch(message);
    expect((await grid.sql('SELECT count(*) FROM customers')).rows).toEqual([[3]]);
  });
});

describe('Kysely over the grid', () => {
  it('compiles the Postgres way and runs against the node', async () => {
    await grid.sql('CREATE TABLE products (id INT PRIMARY KEY, name TEXT, category TEXT, price DECIMAL(10,2), qty INT)');
    const db = grid.kysely<Database>();
    const insert = db.insertInto('products').values([
      { id: 1, name: 'pen', category: 'office', price: '1.50', qty: 10 },
      { id: 2, name: 'ink', category: 'office', price: '7.25', qty: null },
      { id: 3, name: 'mug', category: 'kitchen', price: '4.00', qty: 3 },
    ]);
    expect(insert.compile()).toMatchObject({
      sql: 'insert into "products" ("id", "name", "category", "price", "qty") values ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10), ($11, $12, $13, $14, $15)',
    });
    const result = await insert.executeTakeFirst();
    expect(result.numInsertedOrUpdatedRows).toBe(3n);

    const query = db.selectFrom('products').select(['name', 'price']).where('category', '=', 'office').orderBy('price', 'desc');
    expect(query.compile()).toMatchObject({
      sql: 'select "name", "price" from "products" where "category" = $1 order by "price" desc',
      parameters: ['office'],
    });
    expect(await query.execute()).toEqual([
      { name: 'ink', price: '7.25' },
      { name: 'pen', price: '1.50' },
    ]);

    const updated = await db.updateTable('products').set({ qty: 0 }).where('qty', 'is', null).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    const deleted = await db.deleteFrom('products').where('id', 'in', [1, 3]).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(2n);
    expect(await db.selectFrom('products').selectAll().execute()).toEqual([{ id: 2, name: 'ink', category: 'office', price: '7.25', qty: 0 }]);
  });
});
