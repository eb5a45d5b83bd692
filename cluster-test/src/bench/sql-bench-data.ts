import type { Shoal } from '@shoal/client';
import type Database from 'better-sqlite3';
import { loadInBatches } from './batch-loader.js';

/** One row of the benchmark table; the grid stores it whole as the value under key `id`. */
export interface ProductRow {
  readonly id: number;
  readonly category: string;
  readonly price: number;
  readonly qty: number;
  readonly name: string;
}

export const CATEGORIES = 100;
/** About ten rows per name at 1M rows: an indexed equality that returns a handful of rows. */
export const NAMES = 100_000;

/** A 32-bit integer hash, so rows look random but every run (and both systems) gets the same ones. */
function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function productRow(id: number): ProductRow {
  return {
    id,
    category: `cat-${String(mix(id) % CATEGORIES).padStart(2, '0')}`,
    price: (mix(id * 3 + 1) % 100_000) / 100,
    qty: mix(id * 7 + 2) % 1_000,
    name: `name-${mix(id * 11 + 3) % NAMES}`,
  };
}

/** A deterministic sequence of row ids in [0, rows), for lookups both systems answer in the same order. */
export function sampleIds(rows: number, count: number, salt: number): number[] {
  return Array.from({ length: count }, (_, i) => mix(i * 31 + salt) % rows);
}

export const SHOAL_PRODUCTS_DDL = "CREATE TABLE products (id INT, category TEXT, price DOUBLE, qty INT, name TEXT, PRIMARY KEY (id)) WITH (mode = 'partitioned', backups = 0)";
export const INDEXES = ['CREATE INDEX products_category ON products (category)', 'CREATE INDEX products_name ON products (name)'];

/** Seconds the steps of a load took. */
export interface LoadTimes {
  readonly rowsSeconds: number;
  readonly indexSeconds: number;
}

const seconds = (from: number) => (performance.now() - from) / 1000;

/**
 * The table through SQL, its rows through `putAll` of row objects (the stored
 * format of a table: key = the primary key, value = every column), then the
 * indexes over the rows already there.
 */
export async function loadShoal(grid: Shoal, rows: number): Promise<LoadTimes> {
  await grid.sql(SHOAL_PRODUCTS_DDL);
  const started = performance.now();
  const products = grid.cache<number, ProductRow>('products');
  await loadInBatches({
    total: rows,
    batchSize: 1_000,
    inFlight: 8,
    makeBatch: (from, to) => Array.from({ length: to - from }, (_, i) => [from + i, productRow(from + i)] as const),
    write: (batch) => products.putAll(batch),
  });
  const rowsSeconds = seconds(started);
  const indexed = performance.now();
  for (const statement of INDEXES) await grid.sql(statement);
  return { rowsSeconds, indexSeconds: seconds(indexed) };
}

/** The same table in SQLite: one transaction of prepared inserts, then the same indexes. */
export function loadSqlite(db: Database.Database, rows: number): LoadTimes {
  db.exec('CREATE TABLE products (id INTEGER PRIMARY KEY, category TEXT, price REAL, qty INTEGER, name TEXT)');
  const started = performance.now();
  const insert = db.prepare('INSERT INTO products (id, category, price, qty, name) VALUES (@id, @category, @price, @qty, @name)');
  db.transaction(() => {
    for (let id = 0; id < rows; id++) insert.run(productRow(id));
  })();
  const rowsSeconds = seconds(started);
  const indexed = performance.now();
  for (const statement of INDEXES) db.exec(statement);
  return { rowsSeconds, indexSeconds: seconds(indexed) };
}
