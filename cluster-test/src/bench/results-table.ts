import { type MetricResult, describeTarget, ratioOf, verdictOf } from './metric.js';

const HEADER = ['metric', 'Shoal', 'Redis', 'Shoal/Redis', 'target', 'verdict'] as const;

/** The table rows as text cells. */
function rows(results: readonly MetricResult[]): string[][] {
  return results.map((r) => [
    r.spec.label,
    formatNumber(r.shoal),
    formatNumber(r.redis),
    Number.isNaN(ratioOf(r)) ? 'n/a' : ratioOf(r).toFixed(2),
    describeTarget(r.spec.target),
    verdictOf(r) === 'met' ? '✅ met' : verdictOf(r) === 'missed' ? '❌ missed' : '—',
  ]);
}

/** A fixed-width table for the terminal. */
export function consoleTable(results: readonly MetricResult[]): string {
  return textGrid(HEADER, rows(results));
}

/** The same table in GitHub markdown. */
export function markdownTable(results: readonly MetricResult[]): string {
  return markdownGrid(HEADER, rows(results));
}

/** Any table for the terminal: the first column left-aligned, the others right-aligned. */
export function textGrid(header: readonly string[], body: readonly (readonly string[])[]): string {
  const all = [header, ...body];
  const widths = header.map((_, col) => Math.max(...all.map((row) => row[col]!.length)));
  const line = (row: readonly string[]) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Any table in GitHub markdown: the first column left-aligned, the last `centred` (target, verdict) centred, the rest right-aligned. */
export function markdownGrid(header: readonly string[], body: readonly (readonly string[])[], centred = 2): string {
  const line = (row: readonly string[]) => `| ${row.join(' | ')} |`;
  const align = header.map((_, col) => (col === 0 ? '---' : col >= header.length - centred ? ':---:' : '---:'));
  return [line(header), line(align), ...body.map(line)].join('\n');
}

/** One sentence per missed target, e.g. "concurrent get (ops/s): Shoal/Redis = 0.83, target ≥ 1.0". */
export function missedTargets(results: readonly MetricResult[]): string[] {
  return results
    .filter((r) => verdictOf(r) === 'missed')
    .map((r) => `${r.spec.label}: Shoal/Redis = ${ratioOf(r).toFixed(2)}, target ${describeTarget(r.spec.target)}`);
}

/** Thousands separated; one decimal below 100. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.abs(n) < 100 ? 1 : 0;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
