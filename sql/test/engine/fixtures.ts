import { expect } from 'vitest';
import { InMemoryGrid } from '../support/in-memory-host.js';

/** A small shop: partitioned orders and products, a replicated region table. */
export async function shop(owners = 3, partitions = 16): Promise<InMemoryGrid> {
  const grid = new InMemoryGrid(owners, partitions);
  await grid.sql("CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL) WITH (mode = 'replicated')");
  await grid.sql('CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2), category TEXT)');
  await grid.sql('CREATE TABLE stock (id INT PRIMARY KEY, qty INT)');
  await grid.sql('CREATE TABLE orders (id INT PRIMARY KEY, product INT, region TEXT, qty INT, placed DATE, note TEXT)');
  await grid.sql("INSERT INTO regions VALUES ('eu', 'Europe'), ('us', 'Americas'), ('ap', 'Asia')");
  await grid.sql(`INSERT INTO products VALUES
    (1, 'apple', 1.20, 'fruit'), (2, 'pear', 2.05, 'fruit'), (3, 'kale', 3.50, 'veg'),
    (4, 'leek', 0.99, 'veg'), (5, 'salt', 0.10, NULL), (6, 'mystery', NULL, 'misc')`);
  await grid.sql('INSERT INTO stock VALUES (1, 10), (2, 0), (3, 5), (7, 99)');
  const rows: string[] = [];
  for (let id = 1; id <= 60; id++) {
    const product = (id % 7) + 1;
    const region = ['eu', 'us', 'ap', 'xx'][id % 4];
    const qty = id % 5 === 0 ? 'NULL' : String((id * 7) % 13);
    const day = String((id % 28) + 1).padStart(2, '0');
    rows.push(`(${id}, ${product}, '${region}', ${qty}, '2024-03-${day}', ${id % 3 === 0 ? 'NULL' : `'note ${id}'`})`);
  }
  await grid.sql(`INSERT INTO orders VALUES ${rows.join(', ')}`);
  return grid;
}

/** The message of the SQL_ERROR a statement fails with; fails the test if it succeeds or fails otherwise. */
export async function sqlErrorOf(grid: InMemoryGrid, text: string, params: unknown[] = []): Promise<string> {
  try {
    await grid.sql(text, params);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('SQL_ERROR');
    return (err as Error).message;
  }
  throw new Error(`expected ${text} to fail`);
}
