/**
 * Atomic counters (`incrementAndGet` by 1 from 0). For each counter:
 *
 * - acknowledged results are unique (two increments never see the same count);
 * - results are at least 1;
 * - results respect real time: an increment invoked after another completed
 *   returns a larger count;
 * - the final value is at least the acknowledged increments (none lost) and at
 *   most acknowledged plus unknown ones (none invented, none applied twice);
 * - no acknowledged result exceeds the final value (the counter never went back).
 *
 * Counters missing from `finalCounters` get only the checks that need no final value.
 */
import { capViolations, resultOf, type CheckResult, type Violation } from './check-result.js';
import { describeOperation, incrementsByCounter, type FinalCounters, type History, type IncrementOperation } from './history.js';

type AcknowledgedIncrement = IncrementOperation & { readonly outcome: 'ok' };

export function checkCounters(history: History, finalCounters: FinalCounters = new Map()): CheckResult {
  const byCounter = incrementsByCounter(history);
  for (const counter of finalCounters.keys()) if (!byCounter.has(counter)) byCounter.set(counter, []);
  const violations: Violation[] = [];
  for (const [counter, ops] of byCounter) {
    const acknowledged = ops.filter((op): op is AcknowledgedIncrement => op.outcome === 'ok');
    violations.push(...capViolations(duplicateResults(counter, acknowledged)));
    violations.push(...capViolations(realTimeOrder(counter, acknowledged)));
    const final = finalCounters.get(counter);
    if (final === undefined) continue;
    const unknown = ops.filter((op) => op.outcome === 'unknown').length;
    const bounds = finalBounds(counter, final, acknowledged.length, unknown);
    if (bounds) violations.push(bounds);
    violations.push(...capViolations(aboveFinal(counter, final, acknowledged)));
  }
  return resultOf(violations);
}

function violation(counter: string, message: string, operations: readonly IncrementOperation[]): Violation {
  return { checker: 'counters', subject: counter, message, operations };
}

function duplicateResults(counter: string, acknowledged: readonly AcknowledgedIncrement[]): Violation[] {
  const byResult = new Map<number, AcknowledgedIncrement[]>();
  for (const op of acknowledged) {
    const group = byResult.get(op.result);
    if (group) group.push(op);
    else byResult.set(op.result, [op]);
  }
  const out: Violation[] = [];
  for (const [result, ops] of byResult) {
    if (result < 1) out.push(violation(counter, `${describeOperation(ops[0]!)} returned ${result}, but increments from 0 return at least 1`, ops));
    if (ops.length > 1) {
      out.push(violation(counter, `counter ${JSON.stringify(counter)} returned ${result} to ${ops.length} increments: ${ops.map(describeOperation).join(', ')}`, ops));
    }
  }
  return out;
}

/**
 * Sweeps increments by invocation time, keeping the largest result among those
 * completed earlier: O(n log n) where comparing every pair would not scale to long runs.
 */
function realTimeOrder(counter: string, acknowledged: readonly AcknowledgedIncrement[]): Violation[] {
  const byCompletion = [...acknowledged].sort((a, b) => a.completedAt - b.completedAt);
  const byInvocation = [...acknowledged].sort((a, b) => a.invokedAt - b.invokedAt);
  const out: Violation[] = [];
  let done = 0;
  let largest: AcknowledgedIncrement | undefined;
  for (const op of byInvocation) {
    for (let next = byCompletion[done]; next !== undefined && next.completedAt < op.invokedAt; next = byCompletion[++done]) {
      if (largest === undefined || next.result > largest.result) largest = next;
    }
    if (largest !== undefined && largest.result >= op.result) {
      out.push(violation(counter, `${describeOperation(op)} was invoked after ${describeOperation(largest)} completed, yet returned no more than it`, [largest, op]));
    }
  }
  return out;
}

function finalBounds(counter: string, final: number, acknowledged: number, unknown: number): Violation | undefined {
  if (final < acknowledged) {
    return violation(counter, `counter ${JSON.stringify(counter)} ends at ${final}, but ${acknowledged} increments were acknowledged: ${acknowledged - final} lost`, []);
  }
  if (final > acknowledged + unknown) {
    return violation(counter, `counter ${JSON.stringify(counter)} ends at ${final}, but only ${acknowledged} acknowledged and ${unknown} unknown increments could have applied`, []);
  }
  return undefined;
}

function aboveFinal(counter: string, final: number, acknowledged: readonly AcknowledgedIncrement[]): Violation[] {
  return acknowledged
    .filter((op) => op.result > final)
    .map((op) => violation(counter, `${describeOperation(op)} returned more than the final value ${final}: the counter went back`, [op]));
}
