import { describe, expect, it } from 'vitest';
import { InMemoryGrid } from '../support/in-memory-host.js';

describe('smoke', () => {
  it('creates, inserts, selects', async () => {
    const grid = new InMemoryGrid();
    await grid.sql('CREATE TABLE t (id INT PRIMARY KEY, name TEXT, qty INT)');
    const inserted = await grid.sql('INSERT INTO t (id, name, qty) VALUES (1, $1, 10), (2, $2, 20), (3, NULL, 30)', ['a', 'b']);
    expect(inserted.rowCount).toBe(3);
    const all = await grid.sql('SELECT id, name, qty FROM t ORDER BY id');
    expect(all.rows).toEqual([[1, 'a', 10], [2, 'b', 20], [3, null, 30]]);
    const sum = await grid.sql('SELECT count(*), sum(qty), avg(qty) FROM t');
    expect(sum.columns).toEqual(['count', 'sum', 'avg']);
    expect(sum.rows).toEqual([[3, 60, 20]]);
    const point = await grid.sql('SELECT name FROM t WHERE id = ?', [2]);
    expect(point.rows).toEqual([['b']]);
  });
});
