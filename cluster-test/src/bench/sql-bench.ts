import { Shoal } from '@shoal/client';
import Database from 'better-sqlite3';
import { HAND_PLACEHOLDER } from './benchmarks-file.js';
import { log } from './bench-session.js';
import { currentLoad } from './machine-info.js';
import { loadShoal, loadSqlite } from './sql-bench-data.js';
import { CATEGORY_LIMIT, GROUP_BY_FULL_SCAN, NAME_LOOKUP, PK_LOOKUP, lookupParams, measureGroupBy, measureLookups, shoalSide, sqliteSide } from './sql-bench-queries.js';
import { type SqlBenchResult, type SqlMetric, sqlConsole, sqlMarkdown } from './sql-bench-report.js';
import { verifyAnswers } from './sql-bench-verify.js';
import { ShoalNodeProcess } from './shoal-node-process.js';
import { withTimeout } from './with-timeout.js';

export interface SqlBenchOptions {
  readonly rows: number;
  /** Measured lookups per query kind (after a tenth as many unmeasured). */
  readonly lookups: number;
  readonly groupByRuns: number;
}

/** 1M rows unless SHOAL_BENCH_SQL_ROWS says otherwise (a quick try on fewer rows). */
export function sqlBenchOptions(env: NodeJS.ProcessEnv = process.env): SqlBenchOptions {
  const rows = Number(env.SHOAL_BENCH_SQL_ROWS ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1_000) throw new Error(`SHOAL_BENCH_SQL_ROWS must be an integer ≥ 1000, got '${env.SHOAL_BENCH_SQL_ROWS}'`);
  return { rows, lookups: 5_000, groupByRuns: 5 };
}

/** Every number of the SQL table: the same queries and parameters on both systems. */
async function measureBoth(grid: Shoal, db: Database.Database, options: SqlBenchOptions): Promise<{ metrics: SqlMetric[]; disagreements: string[] }> {
  const [shoal, sqlite] = [shoalSide(grid), sqliteSide(db)];
  const warmup = Math.ceil(options.lookups / 10);
  const params = lookupParams(options.rows, options.lookups + warmup);
  const disagreements = await verifyAnswers(shoal, sqlite, params);
  log(`SQL: answers checked against SQLite (${disagreements.length} disagreement(s))`);
  const metrics: SqlMetric[] = [];
  const lookups: [string, string, unknown[], boolean][] = [
    ['primary-key lookup', PK_LOOKUP, params.ids, true],
    ['indexed equality, ~10 rows (name = ?)', NAME_LOOKUP, params.names, true],
    ['indexed equality LIMIT 10 (category = ?)', CATEGORY_LIMIT, params.categories, false],
  ];
  for (const [label, text, values, targeted] of lookups) {
    const a = await measureLookups(shoal, text, values, warmup);
    const b = await measureLookups(sqlite, text, values, warmup);
    log(`SQL: ${label}: Shoal p50 ${a.p50Us.toFixed(0)} µs p99 ${a.p99Us.toFixed(0)} µs; SQLite p50 ${b.p50Us.toFixed(1)} µs p99 ${b.p99Us.toFixed(1)} µs`);
    metrics.push({ label: `${label} p50 (µs)`, shoal: a.p50Us, sqlite: b.p50Us, target: targeted ? { kind: 'below', value: 1_000 } : null });
    metrics.push({ label: `${label} p99 (µs)`, shoal: a.p99Us, sqlite: b.p99Us, target: null });
  }
  const a = await measureGroupBy(shoal, options.rows, options.groupByRuns);
  const scan = await measureGroupBy(sqlite, options.rows, options.groupByRuns, GROUP_BY_FULL_SCAN);
  const planned = await measureGroupBy(sqlite, options.rows, options.groupByRuns);
  log(`SQL: GROUP BY: Shoal ${a.medianMs.toFixed(0)} ms, SQLite ${scan.medianMs.toFixed(0)} ms scanning, ${planned.medianMs.toFixed(0)} ms through its category index`);
  metrics.push({ label: 'full-scan GROUP BY category (rows/s)', shoal: a.rowsPerSecond, sqlite: scan.rowsPerSecond, target: { kind: 'ratio', atLeast: 0.5 } });
  metrics.push({ label: "GROUP BY category, SQLite's own plan (its category index) (rows/s)", shoal: a.rowsPerSecond, sqlite: planned.rowsPerSecond, target: null });
  return { metrics, disagreements };
}

/**
 * Starts a fresh Shoal node (after the other scenarios stopped theirs), loads
 * the same rows into it and into SQLite in memory, checks both answer alike,
 * then measures.
 */
export async function measureSql(options: SqlBenchOptions): Promise<SqlBenchResult> {
  const loadAverage = currentLoad();
  const node = await withTimeout('start the Shoal node for SQL', 30_000, () => ShoalNodeProcess.start());
  const db = new Database(':memory:');
  let grid: Shoal | undefined;
  try {
    grid = await Shoal.connect({ endpoints: [node.endpoint], clientName: 'shoal-sql-bench', requestTimeoutMs: 300_000 });
    const connected = grid;
    const shoalLoad = await withTimeout('load the products into Shoal', 600_000, () => loadShoal(connected, options.rows));
    log(`SQL: ${options.rows.toLocaleString('en-US')} rows into Shoal in ${shoalLoad.rowsSeconds.toFixed(1)} s, indexes ${shoalLoad.indexSeconds.toFixed(1)} s`);
    const sqliteLoad = loadSqlite(db, options.rows);
    log(`SQL: the same rows into SQLite in ${sqliteLoad.rowsSeconds.toFixed(1)} s, indexes ${sqliteLoad.indexSeconds.toFixed(1)} s`);
    const measured = await withTimeout('measure SQL', 900_000, () => measureBoth(connected, db, options));
    return { rows: options.rows, loadAverage, shoalLoad, sqliteLoad, lookups: options.lookups, groupByRuns: options.groupByRuns, ...measured };
  } finally {
    await grid?.close().catch(() => undefined);
    db.close();
    await node.stop();
  }
}

/** The SQL scenario's result, or why it did not complete (the other numbers of the run stay). */
export type SqlOutcome = { readonly ok: true; readonly value: SqlBenchResult } | { readonly ok: false; readonly error: string };

export async function runSqlBench(options: SqlBenchOptions = sqlBenchOptions()): Promise<SqlOutcome> {
  const started = performance.now();
  try {
    const value = await measureSql(options);
    log(`SQL: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (err) {
    log(`SQL did not complete:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { ok: false, error: (err instanceof Error ? err.message : String(err)).split('\n')[0]! };
  }
}

export function sqlOutcomeConsole(outcome: SqlOutcome): string {
  return outcome.ok ? sqlConsole(outcome.value) : `SQL did not complete: ${outcome.error}`;
}

/** The run's BENCHMARKS.md section with the SQL part added above the hand-written paragraph. */
export function withSqlSection(section: string, outcome: SqlOutcome): string {
  const part = outcome.ok ? sqlMarkdown(outcome.value) : `**SQL** did not complete: ${outcome.error}`;
  return section.replace(HAND_PLACEHOLDER, `${part}\n\n${HAND_PLACEHOLDER}`);
}
