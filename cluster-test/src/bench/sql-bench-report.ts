import { formatNumber, markdownGrid, textGrid } from './results-table.js';
import { CATEGORIES, NAMES } from './sql-bench-data.js';

/** A target on Shoal's own value (`below`, e.g. p50 < 1,000 µs) or on the ratio Shoal/SQLite (`ratio`). */
export type SqlTarget = { readonly kind: 'below'; readonly value: number } | { readonly kind: 'ratio'; readonly atLeast: number };

export interface SqlMetric {
  readonly label: string;
  readonly shoal: number;
  readonly sqlite: number;
  readonly target: SqlTarget | null;
}

export interface SqlBenchResult {
  readonly rows: number;
  readonly loadAverage: number;
  readonly shoalLoad: { readonly rowsSeconds: number; readonly indexSeconds: number };
  readonly sqliteLoad: { readonly rowsSeconds: number; readonly indexSeconds: number };
  readonly lookups: number;
  readonly groupByRuns: number;
  readonly metrics: readonly SqlMetric[];
  /** Where the two systems answered differently (should be none). */
  readonly disagreements: readonly string[];
}

const HEADER = ['metric', 'Shoal', 'SQLite', 'Shoal/SQLite', 'target', 'verdict'];

function describe(target: SqlTarget | null): string {
  if (target === null) return 'report only';
  return target.kind === 'below' ? `Shoal < ${formatNumber(target.value)}` : `≥ ${target.atLeast.toFixed(1)}`;
}

export function sqlVerdict(m: SqlMetric): 'met' | 'missed' | 'report only' {
  if (m.target === null) return 'report only';
  const ok = m.target.kind === 'below' ? m.shoal < m.target.value : m.sqlite > 0 && m.shoal / m.sqlite >= m.target.atLeast;
  return ok ? 'met' : 'missed';
}

function rows(result: SqlBenchResult): string[][] {
  return result.metrics.map((m) => {
    const verdict = sqlVerdict(m);
    return [m.label, formatNumber(m.shoal), formatNumber(m.sqlite), m.sqlite === 0 ? 'n/a' : (m.shoal / m.sqlite).toFixed(2), describe(m.target), verdict === 'met' ? '✅ met' : verdict === 'missed' ? '❌ missed' : '—'];
  });
}

/** One sentence per missed SQL target, and one if the answers differed. */
export function missedSqlTargets(result: SqlBenchResult): string[] {
  const missed = result.metrics.filter((m) => sqlVerdict(m) === 'missed').map((m) => `${m.label}: Shoal ${formatNumber(m.shoal)}, SQLite ${formatNumber(m.sqlite)}, target ${describe(m.target)}`);
  if (result.disagreements.length > 0) missed.push(`SQL answers differed from SQLite's (${result.disagreements.length})`);
  return missed;
}

const loadLine = (r: SqlBenchResult) =>
  `Load of ${formatNumber(r.rows)} rows: Shoal ${r.shoalLoad.rowsSeconds.toFixed(1)} s (putAll of 1,000 row objects, 8 in flight) + ${r.shoalLoad.indexSeconds.toFixed(1)} s for both indexes; ` +
  `SQLite ${r.sqliteLoad.rowsSeconds.toFixed(1)} s (one transaction of prepared inserts) + ${r.sqliteLoad.indexSeconds.toFixed(1)} s.`;

export function sqlConsole(result: SqlBenchResult): string {
  const title = `SQL: Shoal (one node, through the SDK) beside SQLite in memory (in process), ${formatNumber(result.rows)} rows`;
  const differ = result.disagreements.length === 0 ? 'Both systems gave the same answers to the checked queries.' : `ANSWERS DIFFER:\n${result.disagreements.map((d) => `  - ${d}`).join('\n')}`;
  return [title, textGrid(HEADER, rows(result)), loadLine(result), differ].join('\n');
}

/** The SQL part of the BENCHMARKS.md section. */
export function sqlMarkdown(result: SqlBenchResult): string {
  const intro =
    `**SQL.** \`products(id INT PRIMARY KEY, category TEXT, price DOUBLE, qty INT, name TEXT)\` with ${formatNumber(result.rows)} rows ` +
    `(${CATEGORIES} categories, ${formatNumber(NAMES)} names), indexes on \`category\` and \`name\`, in a fresh Shoal node ` +
    `(partitioned, backups 0) queried through the SDK, and in better-sqlite3 \`:memory:\` in the client process (statements prepared once; ` +
    `its latency has no network in it, so the latency ratios say what a round trip costs, not what the engine does). Lookups: ` +
    `${formatNumber(result.lookups)} sequential queries after a warm-up, the same parameters for both. The indexed equality is on \`name\` ` +
    `(${formatNumber(result.rows / NAMES)} rows per value on average; an equality on \`category\` returns ${formatNumber(result.rows / CATEGORIES)} rows, too many for a sub-millisecond answer, so it is shown with LIMIT 10). ` +
    `GROUP BY: rows in the table over the median of ${result.groupByRuns} runs; SQLite's planner would go through the category index ` +
    `(a table lookup per row), so its full-scan figure is taken with \`NOT INDEXED\`, its faster plan here, and its own plan is shown too. ${loadLine(result)} ` +
    `1-minute load average at the start: ${result.loadAverage.toFixed(2)}.`;
  const missed = missedSqlTargets(result);
  const verdict = missed.length === 0 ? 'Every SQL target was met in this run.' : `SQL targets missed in this run: ${missed.join('; ')}.`;
  return [intro, markdownGrid(HEADER, rows(result)), verdict].join('\n\n');
}
