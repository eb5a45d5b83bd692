import { describe, expect, it } from 'vitest';
import { InMemoryGrid } from '../support/in-memory-host.js';

describe('rows written by other writers (SDK, CDC ingester)', () => {
  it('reads ISO timestamps, bigints, missing key columns and absent fields', async () => {
    const grid = new InMemoryGrid(2, 8);
    await grid.sql('CREATE TABLE events (id INT PRIMARY KEY, happened TIMESTAMP, n BIGINT, price DECIMAL(8,2), tag TEXT)');
    await grid.put('events', [
      [1, { id: 1, happened: '2024-05-01T10:00:00.000Z', n: 5n, price: '1.5', tag: 'a' }],
      [2, { happened: '2024-05-02T10:00:00Z', n: 2n ** 60n, price: '1.50' }],
      [3, 'not an object'],
    ]);
    const result = await grid.sql('SELECT id, happened, n, price, tag FROM events ORDER BY id');
    expect(result.rows).toEqual([
      [1, new Date('2024-05-01T10:00:00Z'), 5, '1.5', 'a'],
      [2, new Date('2024-05-02T10:00:00Z'), 2n ** 60n, '1.50', null],
      [3, null, null, null, null],
    ]);
    expect((await grid.sql("SELECT id FROM events WHERE happened > '2024-05-01 12:00:00'")).rows).toEqual([[2]]);
    expect((await grid.sql('SELECT price, count(*) FROM events WHERE price IS NOT NULL GROUP BY price')).rows).toEqual([['1.5', 2]]);
    expect((await grid.sql('SELECT sum(n) FROM events')).rows).toEqual([[2n ** 60n + 5n]]);
  });

  it('reads composite keys from the key object when the value lacks them', async () => {
    const grid = new InMemoryGrid(2, 8);
    await grid.sql('CREATE TABLE pairs (a INT, b TEXT, v INT, PRIMARY KEY (a, b))');
    await grid.put('pairs', [[{ a: 1, b: 'x' }, { v: 7 }]]);
    expect((await grid.sql("SELECT a, b, v FROM pairs WHERE a = 1 AND b = 'x'")).rows).toEqual([[1, 'x', 7]]);
  });
});

describe('column names that are Object.prototype members', () => {
  it('stores and reads them as plain data', async () => {
    const grid = new InMemoryGrid(1, 4);
    await grid.sql('CREATE TABLE odd (id INT PRIMARY KEY, "constructor" TEXT, "toString" TEXT)');
    await grid.put('odd', [[2, { id: 2 }]]);
    await grid.sql('INSERT INTO odd VALUES (1, $1, $2)', ['c', 't']);
    expect((await grid.sql('SELECT id, "constructor", "toString" FROM odd ORDER BY id')).rows).toEqual([[1, 'c', 't'], [2, null, null]]);
    await expect(grid.sql('CREATE TABLE bad (id INT PRIMARY KEY, "__proto__" TEXT)')).rejects.toThrow(/cannot be named "__proto__"/);
  });
});
