import { describe, expect, it } from 'vitest';
import { sqlErrorOf } from './fixtures.js';
import { InMemoryGrid } from '../support/in-memory-host.js';

async function products(): Promise<InMemoryGrid> {
  const grid = new InMemoryGrid(3, 16);
  await grid.sql('CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL, price DECIMAL(6,2), qty INT, seen TIMESTAMP, meta JSON)');
  return grid;
}

const sqlError = sqlErrorOf;

describe('INSERT', () => {
  it('stores the row as the grid entry: key = primary key, value = every column', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products VALUES (1, 'apple', 1.5, 3, '2024-01-02T03:04:05Z', '{\"a\": [1]}')");
    const [row] = grid.rows('products');
    expect(row!.key).toBe(1);
    expect(row!.value).toEqual({ id: 1, name: 'apple', price: '1.50', qty: 3, seen: new Date('2024-01-02T03:04:05Z'), meta: { a: [1] } });
  });

  it('uses an object of the key columns as the key of a composite primary key', async () => {
    const grid = new InMemoryGrid(2, 8);
    await grid.sql('CREATE TABLE pairs (a INT, b TEXT, v INT, PRIMARY KEY (a, b))');
    await grid.sql("INSERT INTO pairs (b, a, v) VALUES ('x', 1, 10)");
    expect(grid.rows('pairs')[0]!.key).toEqual({ a: 1, b: 'x' });
    expect((await grid.sql("SELECT v FROM pairs WHERE a = 1 AND b = 'x'")).rows).toEqual([[10]]);
  });

  it('checks every value against its column and writes nothing when one row is bad', async () => {
    const grid = await products();
    const cases: [string, RegExp][] = [
      ["(1, 'ok', 1, 1, NULL, NULL), (2, 'ok', 1, 'abc', NULL, NULL)", /value 'abc' for column "qty" \(INT\) is not an integer/],
      ["(1, 'ok', 1, 1, NULL, NULL), (2, 'ok', 1, 1.5, NULL, NULL)", /column "qty" \(INT\) is not an integer/],
      ["(1, 'toolong', 1, 1, NULL, NULL)", /column "name" \(VARCHAR\(5\)\) is too long/],
      ["(1, NULL, 1, 1, NULL, NULL)", /null value in column "name" of relation "products" violates not-null constraint/],
      ["(NULL, 'x', 1, 1, NULL, NULL)", /null value in column "id"/],
      ["(1, 'x', 12345.6, 1, NULL, NULL)", /column "price" \(DECIMAL\(6,2\)\) does not fit/],
      ["(1, 'x', 'cheap', 1, NULL, NULL)", /column "price" \(DECIMAL\(6,2\)\) is not a number/],
      ["(1, 'x', 1, 1, 'yesterday', NULL)", /column "seen" \(TIMESTAMP\) is not a timestamp/],
      ["(1, 'x', 1, 1, NULL, NULL, 7)", /more expressions than target columns/],
    ];
    for (const [values, message] of cases) {
      expect(await sqlError(grid, `INSERT INTO products VALUES ${values}`)).toMatch(message);
    }
    expect(await sqlError(grid, "INSERT INTO products (id, prise) VALUES (1, 2)")).toBe('column "prise" of relation "products" does not exist');
    expect(grid.writes).toBe(0);
  });

  it('accepts integer text and integers where PostgreSQL would', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name, price, qty) VALUES (1, 'a', 2, '7')");
    expect((await grid.sql('SELECT price, qty FROM products')).rows).toEqual([['2.00', 7]]);
  });

  it('refuses a duplicate key like PostgreSQL, writing nothing of a multi-row insert', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name) VALUES (1, 'a')");
    const writes = grid.writes;
    expect(await sqlError(grid, "INSERT INTO products (id, name) VALUES (1, 'b')")).toBe('duplicate key value violates primary key of "products": (id)=(1)');
    expect(await sqlError(grid, "INSERT INTO products (id, name) VALUES (2, 'b'), (1, 'c')")).toMatch(/duplicate key/);
    expect(await sqlError(grid, "INSERT INTO products (id, name) VALUES (3, 'b'), (3, 'c')")).toMatch(/duplicate key/);
    expect(grid.writes).toBe(writes);
  });

  it('ON CONFLICT DO NOTHING counts only inserted rows', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name) VALUES (1, 'a')");
    const result = await grid.sql("INSERT INTO products (id, name) VALUES (1, 'x'), (2, 'b'), (2, 'c') ON CONFLICT (id) DO NOTHING");
    expect(result.rowCount).toBe(1);
    expect((await grid.sql('SELECT id, name FROM products ORDER BY id')).rows).toEqual([[1, 'a'], [2, 'b']]);
  });

  it('ON CONFLICT DO UPDATE applies SET with excluded, honoring its WHERE', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name, qty) VALUES (1, 'a', 1), (2, 'b', 5)");
    const result = await grid.sql(
      "INSERT INTO products (id, name, qty) VALUES (1, 'a2', 10), (2, 'b2', 1), (3, 'c', 3) ON CONFLICT (id) DO UPDATE SET qty = products.qty + excluded.qty, name = excluded.name WHERE excluded.qty > 2",
    );
    expect(result).toEqual({ command: 'INSERT', columns: [], rows: [], rowCount: 2 });
    expect((await grid.sql('SELECT id, name, qty FROM products ORDER BY id')).rows).toEqual([[1, 'a2', 11], [2, 'b', 5], [3, 'c', 3]]);
    expect(await sqlError(grid, "INSERT INTO products (id, name) VALUES (1, 'z') ON CONFLICT (name) DO NOTHING")).toMatch(/no unique or exclusion constraint/);
    expect(await sqlError(grid, "INSERT INTO products (id, name) VALUES (1, 'z'), (1, 'y') ON CONFLICT (id) DO UPDATE SET name = excluded.name")).toMatch(/cannot affect row a second time/);
  });

  it('ON CONFLICT without a column list writes every column in table order', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products VALUES (1, 'a', 1.5, 1, NULL, NULL)");
    const skipped = await grid.sql("INSERT INTO products VALUES (1, 'x', 9, 9, NULL, NULL), (2, 'b', 2, 2, NULL, '[1]') ON CONFLICT (id) DO NOTHING");
    expect(skipped.rowCount).toBe(1);
    const upserted = await grid.sql(
      "INSERT INTO products VALUES ($1, $2, $3, $4, NULL, NULL), (3, 'c', 3, 3, NULL, NULL) ON CONFLICT (id) DO UPDATE SET qty = products.qty + excluded.qty, name = excluded.name",
      [2, 'b2', 2, 5],
    );
    expect(upserted.rowCount).toBe(2);
    expect((await grid.sql('SELECT id, name, price, qty, meta FROM products ORDER BY id')).rows).toEqual([[1, 'a', '1.50', 1, null], [2, 'b2', '2.00', 7, [1]], [3, 'c', '3.00', 3, null]]);
    expect(await sqlError(grid, "INSERT INTO products VALUES (4, 'd') ON CONFLICT (id) DO NOTHING")).toMatch(/INSERT has more target columns than expressions/);
  });

  it('ON CONFLICT DO UPDATE through a target alias', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name, qty) VALUES (1, 'a', 1), (2, 'b', 20)");
    const result = await grid.sql("INSERT INTO products AS p (id, name, qty) VALUES (1, 'a', 5), (2, 'b', 5) ON CONFLICT (id) DO UPDATE SET qty = p.qty + excluded.qty WHERE p.qty < 10");
    expect(result.rowCount).toBe(1);
    expect((await grid.sql('SELECT id, qty FROM products ORDER BY id')).rows).toEqual([[1, 6], [2, 20]]);
  });
});

describe('UPDATE and DELETE', () => {
  it('updates matching rows, counting them, and checks the new values first', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name, qty, price) VALUES (1, 'a', 1, 1), (2, 'b', 2, 2), (3, 'c', 3, 3)");
    const updated = await grid.sql('UPDATE products SET qty = qty * 10, price = price / 3 WHERE qty >= $1', [2]);
    expect(updated).toEqual({ command: 'UPDATE', columns: [], rows: [], rowCount: 2 });
    expect((await grid.sql('SELECT id, qty, price FROM products ORDER BY id')).rows).toEqual([[1, 1, '1.00'], [2, 20, '0.67'], [3, 30, '1.00']]);
    const writes = grid.writes;
    expect(await sqlError(grid, "UPDATE products SET name = 'far too long' WHERE id > 1")).toMatch(/too long/);
    expect(await sqlError(grid, 'UPDATE products SET name = NULL')).toMatch(/not-null/);
    expect(grid.writes).toBe(writes);
  });

  it('moves a row whose primary key changes', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name) VALUES (1, 'a'), (2, 'b')");
    expect((await grid.sql('UPDATE products SET id = id + 100 WHERE id = 1')).rowCount).toBe(1);
    expect((await grid.sql('SELECT id, name FROM products ORDER BY id')).rows).toEqual([[2, 'b'], [101, 'a']]);
    expect(grid.rows('products').map((row) => row.key).sort()).toEqual([101, 2]);
  });

  it('deletes matching rows and counts them', async () => {
    const grid = await products();
    await grid.sql("INSERT INTO products (id, name, qty) VALUES (1, 'a', 1), (2, 'b', NULL), (3, 'c', 3)");
    expect((await grid.sql('DELETE FROM products WHERE qty IS NULL OR id = 3')).rowCount).toBe(2);
    expect((await grid.sql('DELETE FROM products WHERE id = 42')).rowCount).toBe(0);
    expect((await grid.sql('DELETE FROM products')).rowCount).toBe(1);
    expect(grid.rows('products')).toEqual([]);
  });
});

describe('DDL', () => {
  it('creates tables once, drops them, and manages indexes', async () => {
    const grid = new InMemoryGrid(1, 4);
    expect((await grid.sql('CREATE TABLE t (id INT PRIMARY KEY, v TEXT)')).command).toBe('CREATE TABLE');
    expect(await sqlError(grid, 'CREATE TABLE t (id INT PRIMARY KEY)')).toBe('relation "t" already exists');
    expect((await grid.sql('CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY)')).command).toBe('CREATE TABLE');
    expect((await grid.sql('CREATE INDEX ON t (v)')).command).toBe('CREATE INDEX');
    expect(grid.table('t')!.schema.indexes).toEqual([{ name: 't_v_idx', columns: ['v'] }]);
    expect(await sqlError(grid, 'CREATE INDEX t_v_idx ON t (v)')).toBe('relation "t_v_idx" already exists');
    expect(await sqlError(grid, 'CREATE INDEX ON t (nope)')).toMatch(/column "nope" does not exist/);
    expect((await grid.sql('DROP INDEX t_v_idx')).command).toBe('DROP INDEX');
    expect(await sqlError(grid, 'DROP INDEX t_v_idx')).toBe('index "t_v_idx" does not exist');
    expect((await grid.sql('DROP INDEX IF EXISTS t_v_idx')).command).toBe('DROP INDEX');
    expect((await grid.sql('DROP TABLE t')).command).toBe('DROP TABLE');
    expect(await sqlError(grid, 'DROP TABLE t')).toBe('table "t" does not exist');
    expect((await grid.sql('DROP TABLE IF EXISTS t')).command).toBe('DROP TABLE');
  });

  it('refuses a primary key column that cannot be a grid key', async () => {
    const grid = new InMemoryGrid(1, 4);
    expect(await sqlError(grid, 'CREATE TABLE t (b BOOLEAN PRIMARY KEY)')).toMatch(/cannot be a key/);
  });

  it('passes WITH options to the host', async () => {
    const grid = new InMemoryGrid(1, 4);
    await grid.sql("CREATE TABLE r (id INT PRIMARY KEY) WITH (mode = 'replicated', backups = 2)");
    expect(grid.table('r')!.mode).toBe('replicated');
  });
});
