import { type Shoal, SqlError } from '@shoal/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures, expectShoalError } from './support/helpers.js';

/**
 * Bad SQL against one `shoal node` child process: each statement answers
 * SQL_ERROR with a message naming what is wrong (the table, the column, the
 * parameter, the position), writes nothing, and the node goes on serving
 * key/value requests and valid queries.
 */
const fixtures = new Fixtures();
let grid: Shoal;

/** Rows of `items` after setup; a refused statement must leave exactly these. */
const ITEMS = [
  [1, 'pen', 10, 1.5],
  [2, 'ink', 0, 7.25],
  [3, 'mug', null, 4],
] as const;

beforeAll(async () => {
  grid = await fixtures.connect(await fixtures.node());
  await grid.createCache('kv');
  await grid.sql(`CREATE TABLE items (id INT, name VARCHAR(10), qty INT, price DOUBLE, PRIMARY KEY (id)) WITH (mode = 'partitioned', backups = 0)`);
  await grid.sql(`CREATE TABLE orders (id INT, item INT, amount INT, PRIMARY KEY (id)) WITH (mode = 'partitioned', backups = 0)`);
  await grid.sql(`CREATE TABLE lines (order_id INT, line INT, item INT, PRIMARY KEY (order_id, line)) WITH (mode = 'partitioned', backups = 0)`);
  await grid.sql(`CREATE TABLE colours (id INT, name TEXT, PRIMARY KEY (id)) WITH (mode = 'replicated')`);
  await grid.sql('INSERT INTO items (id, name, qty, price) VALUES (1, $1, 10, 1.5), (2, $2, 0, 7.25), (3, $3, NULL, 4.0)', ['pen', 'ink', 'mug']);
  await grid.sql('INSERT INTO orders VALUES (1, 1, 5), (2, 3, 1)');
  await grid.sql('INSERT INTO lines VALUES (1, 1, 1), (1, 2, 3)');
  await grid.sql(`INSERT INTO colours VALUES (1, 'red')`);
});

afterAll(() => fixtures.cleanup());

/** After every refusal: the data is as it was, and the node serves the cache API and SQL. */
let probe = 0;
afterEach(async () => {
  const kv = grid.cache<string, number>('kv');
  await kv.put('alive', ++probe);
  expect(await kv.get('alive')).toBe(probe);
  const items = await grid.sql('SELECT id, name, qty, price FROM items ORDER BY id');
  expect(items.rows).toEqual(ITEMS);
  expect((await grid.sql('SELECT count(*) FROM orders')).rows).toEqual([[2]]);
});

/** Fails unless `statement` answers SQL_ERROR (a SqlError) whose message contains every fragment. */
async function expectSqlError(statement: string, params: readonly unknown[], ...fragments: (string | RegExp)[]): Promise<string> {
  const err = await expectShoalError(grid.sql(statement, params), 'SQL_ERROR', SqlError);
  for (const fragment of fragments) {
    // A name as a whole word: 'id' must not pass because the message says "invalid".
    const pattern = typeof fragment === 'string' ? new RegExp(`\\b${fragment}\\b`) : fragment;
    expect(err.message, `the message for: ${statement}`).toMatch(pattern);
  }
  return err.message;
}

describe('syntax errors name where the text went wrong', () => {
  it.each([
    ['SELEC id FROM items', /SELEC|line 1|column 1|position/i],
    ['SELECT id FROM items WHERE', /end of input|line 1|column|position|WHERE/i],
    ['SELECT id,, name FROM items', /line 1|column|position|,/i],
    ['SELECT id FROM items ORDER BY', /end of input|line 1|column|position|ORDER/i],
    ["INSERT INTO items (id, name) VALUES (9, 'x'", /end of input|line 1|column|position|\)/i],
    ['CREATE TABLE broken (id INT, PRIMARY KEY (id)', /end of input|line 1|column|position/i],
  ])('%s', async (statement, where) => {
    await expectSqlError(statement, [], where);
  });
});

describe('unknown tables and columns are named', () => {
  it.each([
    ['SELECT * FROM no_such_table', 'no_such_table'],
    ['SELECT a.id FROM items i JOIN no_such_table a ON a.id = i.id', 'no_such_table'],
    ["INSERT INTO no_such_table (id) VALUES (1)", 'no_such_table'],
    ['UPDATE no_such_table SET x = 1', 'no_such_table'],
    ['DELETE FROM no_such_table WHERE id = 1', 'no_such_table'],
    ['SELECT id FROM items WHERE id IN (SELECT id FROM no_such_table)', 'no_such_table'],
  ])('%s', async (statement, name) => {
    await expectSqlError(statement, [], name);
  });

  it.each([
    ['SELECT nope FROM items', 'nope'],
    ['SELECT id FROM items WHERE nope = 1', 'nope'],
    ['SELECT id FROM items ORDER BY nope', 'nope'],
    ['SELECT nope, count(*) FROM items GROUP BY nope', 'nope'],
    ['SELECT sum(nope) FROM items', 'nope'],
    ['SELECT i.nope FROM items i', 'nope'],
    ['SELECT zz.id FROM items i', 'zz'],
    ["INSERT INTO items (id, nope) VALUES (9, 'a')", 'nope'],
    ['UPDATE items SET nope = 1 WHERE id = 1', 'nope'],
    ['DELETE FROM items WHERE nope = 1', 'nope'],
  ])('%s', async (statement, name) => {
    await expectSqlError(statement, [], name);
  });

  it('an ambiguous column of a join is named', async () => {
    await expectSqlError('SELECT id FROM orders o JOIN colours c ON o.item = c.id', [], 'id');
  });

  it('an unknown function is named', async () => {
    await expectSqlError('SELECT frobnicate(id) FROM items', [], 'frobnicate');
  });
});

describe('values of the wrong type are refused, naming the column, and nothing is written', () => {
  it.each([
    ["INSERT INTO items (id, name, qty, price) VALUES (9, 'x', 'many', 1.0)", 'qty'],
    ["INSERT INTO items (id, name, qty, price) VALUES (9, 'x', 1, 'cheap')", 'price'],
    ["INSERT INTO items (id, name, qty, price) VALUES ('nine', 'x', 1, 1.0)", 'id'],
    ["INSERT INTO items (id, name, qty, price) VALUES (9, 'x', TRUE, 1.0)", 'qty'],
    ["INSERT INTO items (id, name, qty, price) VALUES (9, 'far too long a name', 1, 1.0)", 'name'],
    ["INSERT INTO items (id, name, qty, price) VALUES (9, 'x', 3000000000, 1.0)", 'qty'],
    // The third row is bad: the first two must not be written either.
    ["INSERT INTO items (id, name, qty, price) VALUES (7, 'a', 1, 1.0), (8, 'b', 2, 2.0), (9, 'c', 'x', 3.0)", 'qty'],
    ["UPDATE items SET qty = 'lots' WHERE id = 1", 'qty'],
    ["UPDATE items SET name = 'far too long a name' WHERE id = 2", 'name'],
  ])('%s', async (statement, column) => {
    await expectSqlError(statement, [], column);
  });

  it('a parameter of the wrong type is refused the same way', async () => {
    await expectSqlError('INSERT INTO items (id, name, qty, price) VALUES ($1, $2, $3, $4)', [9, 'x', 'many', 1.0], 'qty');
    await expectSqlError('INSERT INTO items (id, name, qty, price) VALUES (?, ?, ?, ?)', [{ not: 'an int' }, 'x', 1, 1.0], 'id');
  });

  it('an expression over mismatched types is refused', async () => {
    await expectSqlError('SELECT name + 1 FROM items', [], /name|text|integer|operator|type/i);
  });
});

describe('primary keys', () => {
  it.each([
    ["INSERT INTO items (name, qty) VALUES ('x', 1)", 'id'],
    ["INSERT INTO items (id, name) VALUES (NULL, 'x')", 'id'],
    ['INSERT INTO lines (order_id, item) VALUES (5, 1)', 'line'],
    ["UPDATE items SET id = NULL WHERE id = 1", 'id'],
  ])('a missing key column is named: %s', async (statement, column) => {
    await expectSqlError(statement, [], column);
  });

  it('a second row with a key that exists is refused (INSERT is not an upsert), nothing written', async () => {
    await expectSqlError("INSERT INTO items (id, name, qty, price) VALUES (9, 'new', 1, 1.0), (1, 'again', 1, 1.0)", [], /duplicate|exists|unique|conflict|key/i);
  });

  it('a table without a primary key is refused', async () => {
    await expectSqlError('CREATE TABLE keyless (a INT, b TEXT)', [], /primary key/i);
    await expectSqlError('SELECT * FROM keyless', [], 'keyless');
  });
});

describe('joins Shoal cannot answer are refused, never answered wrongly', () => {
  it.each([
    ['partitioned to partitioned on a column that is not the key', 'SELECT o.id, i.name FROM orders o JOIN items i ON o.item = i.id'],
    ['partitioned to partitioned on part of a composite key', 'SELECT l.line, o.amount FROM orders o JOIN lines l ON l.order_id = o.id'],
    ['partitioned to partitioned, LEFT, not on the key', 'SELECT o.id, i.name FROM orders o LEFT JOIN items i ON o.item = i.id'],
  ])('%s', async (_, statement) => {
    await expectSqlError(statement, [], /join/i);
  });
});

describe('parameters', () => {
  it.each([
    ['SELECT * FROM items WHERE id = $1', []],
    ['SELECT * FROM items WHERE id = $2', [1]],
    ['SELECT * FROM items WHERE id = ? AND qty = ?', [1]],
    ['SELECT * FROM items WHERE id = ?', [1, 2]],
  ] as const)('%s with %j', async (statement, params) => {
    await expectSqlError(statement, params, /param|\$\d|placeholder|bind|argument/i);
  });
});

describe('errors at run time', () => {
  it.each([
    ['SELECT qty / 0 FROM items', /division by zero/i],
    // INT is 32 bits in PostgreSQL: 10 + 2147483647 does not fit.
    ['SELECT qty + 2147483647 FROM items', /out of range|overflow/i],
    ['SELECT id FROM items WHERE qty % 0 = 1', /division by zero/i],
    ['SELECT name, count(*) FROM items', /name|group by/i],
    ['SELECT id FROM items WHERE count(*) > 1', /aggregate|where|count/i],
  ])('%s', async (statement, message) => {
    await expectSqlError(statement, [], message);
  });
});
