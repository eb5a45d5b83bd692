/**
 * Linearizability of single-key registers (read / write), checked key by key:
 * a history of independent registers is linearizable exactly when each key's
 * sub-history is, and small searches are far cheaper than one big one.
 *
 * Outcomes: a failed operation did not happen and is dropped, as is a read of
 * unknown outcome (it changed nothing and showed nothing). A write of unknown
 * outcome may take effect at any time after its invocation, or never: it never
 * returns (`Infinity`), and since a write can always be ordered last, never
 * returning is the same as being optional.
 */
import { resultOf, type CheckResult, type Violation } from './check-result.js';
import { describeOperation, formatValue, registerOperationsByKey, type History, type Operation, type ReadOperation, type Value, type WriteOperation } from './history.js';
import { REJECT, searchLinearization, type Frontier, type SearchOperation } from './linearizability-search.js';

export interface LinearizabilityOptions {
  /** Search steps allowed per key before giving up with `unknown`. */
  readonly maxStepsPerKey?: number;
}

export const DEFAULT_MAX_STEPS_PER_KEY = 2_000_000;

export type KeyLinearizability =
  | { readonly result: 'ok'; readonly steps: number }
  | { readonly result: 'violation'; readonly steps: number; readonly violation: Violation }
  | { readonly result: 'unknown'; readonly steps: number };

/** Violations are certain; `undecided` lists keys whose search ran out of steps (neither passed nor failed). */
export type LinearizabilityResult = CheckResult & { readonly undecided: readonly string[] };

type RegisterOperation = WriteOperation | ReadOperation;
type RegisterState = Value | undefined;

export function checkLinearizability(history: History, options: LinearizabilityOptions = {}): LinearizabilityResult {
  const violations: Violation[] = [];
  const undecided: string[] = [];
  for (const [key, ops] of registerOperationsByKey(history)) {
    const outcome = checkRegisterKey(key, ops, options);
    if (outcome.result === 'violation') violations.push(outcome.violation);
    if (outcome.result === 'unknown') undecided.push(key);
  }
  return { ...resultOf(violations), undecided };
}

/** One key's register operations (others are ignored); the register starts absent. */
export function checkRegisterKey(key: string, ops: readonly Operation[], options: LinearizabilityOptions = {}): KeyLinearizability {
  const relevant = relevantOperations(key, ops);
  const search = searchLinearization(relevant.map(toSearchOperation), undefined, options.maxStepsPerKey ?? DEFAULT_MAX_STEPS_PER_KEY);
  if (search.result !== 'violation') return search;
  return { result: 'violation', steps: search.steps, violation: explain(key, relevant, search.frontier) };
}

/**
 * The operations that can matter. Besides failed operations and unknown reads,
 * this drops unknown writes of a value no acknowledged read returned: in any
 * linearization such a write is followed by another write or by nothing, so
 * removing it leaves every read's value unchanged. Chaos runs time out many
 * writes, and each optional one would otherwise double the search space.
 */
function relevantOperations(key: string, ops: readonly Operation[]): RegisterOperation[] {
  const register = ops.filter((op): op is RegisterOperation => op.kind !== 'increment' && op.key === key);
  const readValues = new Set<RegisterState>();
  for (const op of register) if (op.kind === 'read' && op.outcome === 'ok') readValues.add(op.value);
  return register.filter((op) => {
    if (op.outcome === 'fail') return false;
    if (op.kind === 'read') return op.outcome === 'ok';
    return op.outcome === 'ok' || readValues.has(op.value);
  });
}

function toSearchOperation(op: RegisterOperation): SearchOperation<RegisterState> {
  const returnsAt = op.outcome === 'ok' ? op.completedAt : Infinity;
  if (op.kind === 'write') return { invokedAt: op.invokedAt, returnsAt, step: () => op.value };
  const seen = op.outcome === 'ok' ? op.value : undefined;
  return { invokedAt: op.invokedAt, returnsAt, step: (state) => (state === seen ? state : REJECT) };
}

/**
 * Tells the story at the search's deepest point: what the register held and who
 * wrote it, the operation that had to take effect but could not, where the value
 * it read came from, and what else was in flight. Those are the operations a
 * person needs to see why no order works.
 */
function explain(key: string, ops: readonly RegisterOperation[], frontier: Frontier<RegisterState>): Violation {
  const stuck = ops[frontier.stuck]!;
  const writer = frontier.taken.map((i) => ops[i]!).findLast((op) => op.kind === 'write');
  const taken = new Set(frontier.taken);
  const lines = [
    `key ${JSON.stringify(key)} is not linearizable: at most ${frontier.taken.length} of ${ops.length} operations can be put in an order consistent with their results and real time.`,
    `  then the register holds ${formatValue(frontier.state)} (${writer ? `written by ${describeOperation(writer)}` : 'never written'})`,
    `  and ${describeOperation(stuck)} must take effect next (everything else not yet ordered is in flight or began after it completed), but cannot`,
  ];
  const sources: RegisterOperation[] = [];
  if (stuck.kind === 'read' && stuck.outcome === 'ok') {
    const writes = ops.map((op, i) => [op, i] as const).filter(([op]) => op.kind === 'write' && op.value === stuck.value);
    for (const [op, i] of writes) {
      sources.push(op);
      lines.push(`  ${formatValue(stuck.value)} was written by ${describeOperation(op)}${taken.has(i) ? ', already overwritten by then' : ''}`);
    }
    if (writes.length === 0 && stuck.value !== undefined) lines.push(`  no write that may have happened wrote ${formatValue(stuck.value)}`);
  }
  const others = frontier.pending.filter((i) => i !== frontier.stuck).map((i) => ops[i]!);
  if (others.length > 0) lines.push(`  also in flight, and no order of them helps: ${others.map(describeOperation).join('; ')}`);
  const involved = [stuck, ...(writer ? [writer] : []), ...sources, ...others];
  return { checker: 'linearizability', subject: key, message: lines.join('\n'), operations: [...new Set(involved)] };
}
