import type { MapScope } from '../../sql-host.js';
import type { Evaluator } from '../expr/compiled.js';
import type { JoinStep, SelectPlan } from '../plan/select-plan.js';
import type { KeyOf } from '../values/compare.js';

/** A join step with its replicated table decoded once and, for an equality, bucketed by key. */
interface PreparedStep {
  readonly offset: number;
  readonly width: number;
  readonly left: boolean;
  readonly conditions: readonly Evaluator[];
  readonly rows: readonly (readonly unknown[])[];
  readonly buckets?: ReadonlyMap<unknown, (readonly unknown[])[]>;
  readonly probe?: Evaluator;
  readonly keyOf?: KeyOf;
}

const NO_ROWS: readonly (readonly unknown[])[] = [];

function prepare(plan: SelectPlan, step: JoinStep, scope: MapScope): PreparedStep {
  const source = plan.sources[step.source]!;
  const layout = source.layout;
  const rows: unknown[][] = [];
  for (const stored of scope.replicated(layout.name)) rows.push(layout.decode(stored));
  const base = { offset: source.offset, width: layout.width, left: step.kind === 'left', conditions: step.conditions, rows };
  if (!step.hash) return base;
  const { buildPosition, keyOf, probe } = step.hash;
  const buckets = new Map<unknown, unknown[][]>();
  for (const row of rows) {
    const value = row[buildPosition];
    if (value === null || value === undefined) continue;
    const key = keyOf(value);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(row);
    else buckets.set(key, [row]);
  }
  return { ...base, buckets, probe, keyOf };
}

/**
 * Extends a row of the driving table with the replicated tables' rows, in
 * step order, calling `next` for every combined row; answers false once
 * `next` wants no more rows.
 */
export function joinRunner(plan: SelectPlan, steps: readonly JoinStep[], scope: MapScope, next: (row: unknown[]) => boolean): (row: unknown[]) => boolean {
  if (steps.length === 0) return next;
  const prepared = steps.map((step) => prepare(plan, step, scope));
  const run = (row: unknown[], index: number): boolean => {
    if (index === prepared.length) return next(row);
    const step = prepared[index]!;
    let candidates = step.rows;
    if (step.buckets) {
      const probed = step.probe!(row);
      candidates = probed === null ? NO_ROWS : (step.buckets.get(step.keyOf!(probed)) ?? NO_ROWS);
    }
    let matched = false;
    for (const candidate of candidates) {
      for (let i = 0; i < step.width; i++) row[step.offset + i] = candidate[i];
      if (!allTrue(step.conditions, row)) continue;
      matched = true;
      if (!run(row, index + 1)) return false;
    }
    if (matched || !step.left) return true;
    for (let i = 0; i < step.width; i++) row[step.offset + i] = null;
    return run(row, index + 1);
  };
  return (row) => run(row, 0);
}

export function allTrue(conditions: readonly Evaluator[], row: readonly unknown[]): boolean {
  for (const condition of conditions) if (condition(row) !== true) return false;
  return true;
}
