import { SqlError } from '@shoal/client/protocol';
import type { Row } from '../expr/compiled.js';
import type { RowSource, SelectPlan } from '../plan/select-plan.js';
import { keyFunctionFor, tupleKey } from '../values/compare.js';
import { allTrue } from './join-steps.js';
import { rowComparator } from './row-order.js';
import { distinctKey, makeSink } from './sinks.js';

function malformed(): never {
  throw new SqlError('a map phase answered with a malformed output');
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : malformed();
}

/** Runs the filter and sink over rows already at hand (no FROM, or a key join the reducer made). */
export function runLocally(plan: SelectPlan, rows: Iterable<unknown[]>): unknown[] {
  const sink = makeSink(plan);
  const filter = plan.filter;
  for (const row of rows) {
    if (filter !== undefined && filter(row) !== true) continue;
    if (!sink.accept(row)) break;
  }
  return sink.output();
}

/** Joins the two scans of a key join on their key columns (a LEFT JOIN keeps unmatched left rows). */
export function* joinByKey(plan: SelectPlan, rowSource: Extract<RowSource, { kind: 'key-join' }>, leftRows: readonly unknown[], rightRows: readonly unknown[]): Generator<unknown[]> {
  const [leftScan, rightScan] = rowSource.scans;
  const left = plan.sources[leftScan.source]!;
  const right = plan.sources[rightScan.source]!;
  const keyFunctions = leftScan.keyKinds.map(keyFunctionFor);
  const keyOf = (cells: readonly unknown[], positions: readonly number[], offset: number): string =>
    tupleKey(positions.map((position, i) => keyFunctions[i]!(cells[position - offset] ?? null)));
  const buckets = new Map<string, (readonly unknown[])[]>();
  for (const cells of rightRows.map(asArray)) {
    const key = keyOf(cells, rightScan.keyPositions, right.offset);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(cells);
    else buckets.set(key, [cells]);
  }
  for (const cells of leftRows.map(asArray)) {
    const matches = buckets.get(keyOf(cells, leftScan.keyPositions, left.offset)) ?? [];
    let matched = false;
    for (const match of matches) {
      const row = combine(plan.width, left.offset, cells, right.offset, match);
      if (!allTrue(rowSource.residual, row)) continue;
      matched = true;
      yield row;
    }
    if (!matched && rowSource.joinKind === 'left') yield combine(plan.width, left.offset, cells, right.offset, undefined);
  }
}

function combine(width: number, leftOffset: number, left: readonly unknown[], rightOffset: number, right: readonly unknown[] | undefined): unknown[] {
  const row = new Array<unknown>(width).fill(null);
  for (let i = 0; i < left.length; i++) row[leftOffset + i] = left[i];
  if (right) for (let i = 0; i < right.length; i++) row[rightOffset + i] = right[i];
  return row;
}

/** Merges the owners' partial outputs and finishes: HAVING, outputs, DISTINCT, ORDER BY, OFFSET/LIMIT. */
export function reduce(plan: SelectPlan, outputs: readonly unknown[]): unknown[][] {
  const rows = plan.sink.kind === 'aggregate' ? finishGroups(plan, mergeGroups(plan, outputs)) : outputs.flatMap((output) => asArray(output).map((row) => [...asArray(row)]));
  return finishRows(plan, rows);
}

function mergeGroups(plan: SelectPlan, outputs: readonly unknown[]): Map<string, { keys: readonly unknown[]; states: unknown[] }> {
  const sink = plan.sink as Extract<SelectPlan['sink'], { kind: 'aggregate' }>;
  const groups = new Map<string, { keys: readonly unknown[]; states: unknown[] }>();
  for (const output of outputs) {
    for (const entry of asArray(output)) {
      const [keys, states] = asArray(entry).map(asArray) as [readonly unknown[], readonly unknown[]];
      if (keys.length !== sink.keys.length || states.length !== sink.aggregates.length) malformed();
      const key = tupleKey(keys.map((value, i) => sink.keyFunctions[i]!(value ?? null)));
      let group = groups.get(key);
      if (!group) {
        group = { keys, states: sink.aggregates.map((aggregate) => aggregate.fn.initial()) };
        groups.set(key, group);
      }
      for (let i = 0; i < states.length; i++) group.states[i] = sink.aggregates[i]!.fn.merge(group.states[i], states[i]);
    }
  }
  // Without GROUP BY an aggregate query has one group even over no rows: COUNT(*) is 0.
  if (groups.size === 0 && sink.keys.length === 0) groups.set('', { keys: [], states: sink.aggregates.map((aggregate) => aggregate.fn.initial()) });
  return groups;
}

function finishGroups(plan: SelectPlan, groups: Map<string, { keys: readonly unknown[]; states: unknown[] }>): unknown[][] {
  const sink = plan.sink as Extract<SelectPlan['sink'], { kind: 'aggregate' }>;
  const { having, outputs = [] } = plan.finish;
  const rows: unknown[][] = [];
  for (const group of groups.values()) {
    const groupRow = [...group.keys, ...group.states.map((state, i) => sink.aggregates[i]!.fn.finish(state))];
    if (having !== undefined && having(groupRow) !== true) continue;
    rows.push(outputs.map((output) => output(groupRow)));
  }
  return rows;
}

function finishRows(plan: SelectPlan, input: unknown[][]): unknown[][] {
  const finish = plan.finish;
  let rows: Row[] = input;
  if (finish.distinct) {
    const keyFunctions = plan.kinds.map(keyFunctionFor);
    const seen = new Set<string>();
    rows = rows.filter((row) => {
      const key = distinctKey(row, keyFunctions);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (finish.order.length > 0) rows = [...rows].sort(rowComparator(finish.order));
  const end = finish.limit === undefined ? rows.length : finish.offset + finish.limit;
  return rows.slice(finish.offset, end).map((row) => (row.length === finish.visible ? (row as unknown[]) : row.slice(0, finish.visible)));
}
