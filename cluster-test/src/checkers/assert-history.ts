import { violationsOf, type CheckResult, type Violation } from './check-result.js';
import { checkCounters } from './counters.js';
import type { RecordedRun } from './history-json.js';
import { checkLinearizability, type LinearizabilityOptions, type LinearizabilityResult } from './linearizability.js';
import { checkLostWrites } from './lost-writes.js';
import { checkPhantomReads } from './phantom-reads.js';

export interface HistoryCheckOptions {
  readonly linearizability?: LinearizabilityOptions;
  /**
   * Whether a key whose linearizability search ran out of steps may pass.
   * By default it fails the assertion: a check that gave up has proved nothing,
   * and a green run should mean the history was checked.
   */
  readonly allowUndecided?: boolean;
}

export interface HistoryReport {
  /** Lost writes are only checked when the run has final reads. */
  readonly lostWrites?: CheckResult;
  readonly phantomReads: CheckResult;
  readonly counters: CheckResult;
  readonly linearizability: LinearizabilityResult;
  /** Every violation, in the order above. */
  readonly violations: readonly Violation[];
}

/** Runs every checker on a recorded run. */
export function checkHistory(run: RecordedRun, options: HistoryCheckOptions = {}): HistoryReport {
  const lostWrites = run.finalReads ? checkLostWrites(run.history, run.finalReads) : undefined;
  const phantomReads = checkPhantomReads(run.history);
  const counters = checkCounters(run.history, run.finalCounters);
  const linearizability = checkLinearizability(run.history, options.linearizability);
  const violations = [lostWrites, phantomReads, counters, linearizability].flatMap((r) => (r ? violationsOf(r) : []));
  return { ...(lostWrites ? { lostWrites } : {}), phantomReads, counters, linearizability, violations };
}

/** Thrown by `assertHistory`; the message lists every violation, the fields hold them for code. */
export class HistoryCheckError extends Error {
  override readonly name = 'HistoryCheckError';

  constructor(
    readonly violations: readonly Violation[],
    readonly undecided: readonly string[],
  ) {
    super(formatHistoryProblems(violations, undecided));
  }
}

/** Runs every checker and throws a `HistoryCheckError` naming each violation (and each undecided key, unless allowed). */
export function assertHistory(run: RecordedRun, options: HistoryCheckOptions = {}): HistoryReport {
  const report = checkHistory(run, options);
  const undecided = options.allowUndecided ? [] : report.linearizability.undecided;
  if (report.violations.length > 0 || undecided.length > 0) throw new HistoryCheckError(report.violations, undecided);
  return report;
}

/** One line (or indented block) per problem, each tagged with its checker. */
export function formatHistoryProblems(violations: readonly Violation[], undecided: readonly string[] = []): string {
  const lines = [`history check failed: ${violations.length} violation(s)${undecided.length > 0 ? `, ${undecided.length} undecided key(s)` : ''}`];
  for (const v of violations) lines.push(`[${v.checker}] ${v.message}`);
  for (const key of undecided) {
    lines.push(`[linearizability] key ${JSON.stringify(key)} undecided: the search ran out of steps (raise maxStepsPerKey or shorten the run)`);
  }
  return lines.join('\n');
}
