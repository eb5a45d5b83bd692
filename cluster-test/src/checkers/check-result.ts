import type { Operation } from './history.js';

/** The checkers, by the name a violation carries. */
export type CheckerName = 'lost-writes' | 'phantom-reads' | 'counters' | 'linearizability';

/** One thing the grid certainly did wrong, with the operations that prove it. */
export interface Violation {
  readonly checker: CheckerName;
  /** The register key or counter name it concerns. */
  readonly subject: string;
  /** A sentence a person can act on, operations named by `describeOperation`. */
  readonly message: string;
  readonly operations: readonly Operation[];
}

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly violations: readonly Violation[] };

export function resultOf(violations: readonly Violation[]): CheckResult {
  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

/** The violations a result holds (none when it is ok). */
export function violationsOf(result: CheckResult): readonly Violation[] {
  return result.ok ? [] : result.violations;
}

/**
 * Keeps the first `limit` violations of one rule on one subject and sums up the
 * rest in one more: a counter that reset after a node loss breaks a rule for
 * every later increment, and a thousand lines of that hide the first, telling one.
 */
export function capViolations(violations: readonly Violation[], limit = 5): Violation[] {
  if (violations.length <= limit) return [...violations];
  const first = violations[0]!;
  const rest = violations.length - limit;
  return [
    ...violations.slice(0, limit),
    { checker: first.checker, subject: first.subject, message: `...and ${rest} more like the above on ${JSON.stringify(first.subject)}`, operations: [] },
  ];
}
