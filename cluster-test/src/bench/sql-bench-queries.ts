import type { Shoal } from '@shoal/client';
import type Database from 'better-sqlite3';
import { type LatencySummary, measureSequentialLatency } from './latency-sampler.js';
import { CATEGORIES, productRow, sampleIds } from './sql-bench-data.js';

export const PK_LOOKUP = 'SELECT * FROM products WHERE id = ?';
export const NAME_LOOKUP = 'SELECT id, price FROM products WHERE name = ?';
export const CATEGORY_LIMIT = 'SELECT id, price FROM products WHERE category = ? LIMIT 10';
export const GROUP_BY = 'SELECT category, count(*), sum(price), avg(qty) FROM products GROUP BY category';
/**
 * SQLite's planner answers GROUP_BY through the category index (ordered
 * groups, but a table lookup per row), about 3× slower here than a scan with
 * a temporary B-tree: the full-scan figure Shoal is measured against is
 * SQLite's faster plan, forced by NOT INDEXED.
 */
export const GROUP_BY_FULL_SCAN = 'SELECT category, count(*), sum(price), avg(qty) FROM products NOT INDEXED GROUP BY category';

/** One system answering SQL: rows as arrays in column order. */
export interface SqlSide {
  readonly name: string;
  query(text: string, params?: readonly unknown[]): Promise<unknown[][]>;
}

export function shoalSide(grid: Shoal): SqlSide {
  return { name: 'Shoal', query: async (text, params = []) => (await grid.sql(text, params)).rows };
}

/** SQLite in process, each statement prepared once (as an application would keep them). */
export function sqliteSide(db: Database.Database): SqlSide {
  const prepared = new Map<string, Database.Statement>();
  return {
    name: 'SQLite',
    query: async (text, params = []) => {
      let statement = prepared.get(text);
      if (!statement) prepared.set(text, (statement = db.prepare(text).raw(true)));
      return statement.all(...params) as unknown[][];
    },
  };
}

/** The parameter of the i-th lookup of each kind: the same sequence for both systems. */
export function lookupParams(rows: number, count: number): { ids: number[]; names: string[]; categories: string[] } {
  const ids = sampleIds(rows, count, 1);
  const names = sampleIds(rows, count, 2).map((id) => productRow(id).name);
  const categories = sampleIds(rows, count, 3).map((id) => `cat-${String(id % CATEGORIES).padStart(2, '0')}`);
  return { ids, names, categories };
}

/** Sequential latency of `text` with the i-th parameter of `params` per call, after a warm-up. */
export function measureLookups(side: SqlSide, text: string, params: readonly unknown[], warmup: number): Promise<LatencySummary> {
  let i = 0;
  return measureSequentialLatency(() => side.query(text, [params[i++ % params.length]]), params.length - warmup, warmup);
}

/** rows/s of the full-scan GROUP BY: `rows` over the median of `runs` timed runs (after one warm-up). */
export async function measureGroupBy(side: SqlSide, rows: number, runs: number, text = GROUP_BY): Promise<{ rowsPerSecond: number; medianMs: number }> {
  await side.query(text);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await side.query(text);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return { rowsPerSecond: rows / (medianMs / 1000), medianMs };
}
