import type { ResultKind } from './expr.js';
import { type Cell, type Side, cellsEqual, normaliseCell, showCell } from './normalise.js';
import type { OrderCheck } from './query.js';
import type { Answer } from './sqlite-oracle.js';

export interface Expectation {
  readonly kinds: readonly ResultKind[];
  readonly columns?: readonly string[];
  readonly check: OrderCheck;
}

type NRow = readonly Cell[];

const MAX_SHOWN = 12;

function normalise(answer: Answer, kinds: readonly ResultKind[], side: Side): NRow[] {
  return answer.rows.map((row) => row.map((v, i) => normaliseCell(v, kinds[i] ?? 'text', side)));
}

const rowsEqual = (a: NRow, b: NRow) => a.length === b.length && a.every((c, i) => cellsEqual(c, b[i]!));
const showRow = (r: NRow) => `(${r.map(showCell).join(', ')})`;
const exactKey = (r: NRow) => JSON.stringify(r.map((c) => (typeof c === 'string' ? c : '~')));

/**
 * Why the answers differ, or undefined when they agree: equal column names,
 * then the rows as multisets, row by row, or by runs of equal sort keys,
 * as the query's ORDER BY decides.
 */
export function differenceOf(expected: Answer, actual: Answer, spec: Expectation): string | undefined {
  if (spec.columns && JSON.stringify(actual.columns) !== JSON.stringify(spec.columns)) {
    return `columns: expected ${JSON.stringify(spec.columns)}, Shoal answered ${JSON.stringify(actual.columns)}`;
  }
  const want = normalise(expected, spec.kinds, 'oracle');
  const got = normalise(actual, spec.kinds, 'shoal');
  if (spec.check.kind === 'total') return sequenceDifference(want, got);
  if (spec.check.kind === 'keys') return runsDifference(want, got, spec.check.columns);
  return multisetDifference(want, got);
}

/** Rows missing from Shoal's answer and rows it has too many of, matched with the tolerance of approximate cells. */
function multisetDifference(want: readonly NRow[], got: readonly NRow[]): string | undefined {
  const buckets = new Map<string, NRow[]>();
  for (const row of got) {
    const key = exactKey(row);
    buckets.set(key, [...(buckets.get(key) ?? []), row]);
  }
  const missing: NRow[] = [];
  for (const row of want) {
    const bucket = buckets.get(exactKey(row)) ?? [];
    const at = bucket.findIndex((candidate) => rowsEqual(candidate, row));
    if (at >= 0) bucket.splice(at, 1);
    else missing.push(row);
  }
  const extra = [...buckets.values()].flat();
  if (missing.length === 0 && extra.length === 0) return undefined;
  return [
    `${want.length} row(s) expected, Shoal answered ${got.length}`,
    `missing from Shoal (${missing.length}): ${missing.slice(0, MAX_SHOWN).map(showRow).join(' ')}${missing.length > MAX_SHOWN ? ' ...' : ''}`,
    `unexpected from Shoal (${extra.length}): ${extra.slice(0, MAX_SHOWN).map(showRow).join(' ')}${extra.length > MAX_SHOWN ? ' ...' : ''}`,
  ].join('\n');
}

function sequenceDifference(want: readonly NRow[], got: readonly NRow[]): string | undefined {
  const at = want.findIndex((row, i) => got[i] === undefined || !rowsEqual(row, got[i]!));
  if (at < 0 && want.length === got.length) return undefined;
  const first = at < 0 ? want.length : at;
  const window = (rows: readonly NRow[]) => rows.slice(Math.max(0, first - 2), first + 4).map(showRow).join(' ');
  return [
    `in order: ${want.length} row(s) expected, Shoal answered ${got.length}; first difference at row ${first}`,
    `expected from row ${Math.max(0, first - 2)}: ${window(want)}`,
    `Shoal from row ${Math.max(0, first - 2)}:    ${window(got)}`,
  ].join('\n');
}

/** Sort keys must come in the same order; rows that tie on them may come in any order. */
function runsDifference(want: readonly NRow[], got: readonly NRow[], keys: readonly number[]): string | undefined {
  const keyOf = (r: NRow) => JSON.stringify(keys.map((k) => r[k]));
  const runs = (rows: readonly NRow[]) => {
    const out: { key: string; rows: NRow[] }[] = [];
    for (const row of rows) {
      const key = keyOf(row);
      if (out.at(-1)?.key === key) out.at(-1)!.rows.push(row);
      else out.push({ key, rows: [row] });
    }
    return out;
  };
  const a = runs(want);
  const b = runs(got);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.key !== b[i]?.key) return `sort keys out of order at run ${i}: expected ${a[i]?.key ?? 'end'}, Shoal has ${b[i]?.key ?? 'end'}\n${multisetDifference(want, got) ?? '(same rows, different order)'}`;
    const inRun = multisetDifference(a[i]!.rows, b[i]!.rows);
    if (inRun) return `rows sorted under key ${a[i]!.key} differ:\n${inRun}`;
  }
  return undefined;
}
