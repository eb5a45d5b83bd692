/**
 * No acknowledged write is lost: after the run (and the heal), the value read
 * from each key must be one a correct grid could hold.
 *
 * Two rules, chosen per key:
 *
 * - Single sequential writer (what the chaos workload does: each key belongs to
 *   one process, which waits for, or gives up on, each write before the next).
 *   The final value must be the last acknowledged write's value, or the value of
 *   an unknown-outcome write invoked after it. This assumes a write the client
 *   gave up on cannot land after a later write from the same process was
 *   acknowledged (the SDK retries a call only until its deadline, never after
 *   it gave up on it). That is stricter than linearizability, which
 *   lets a timed-out write take effect at any later time: a stale write that
 *   resurfaces and clobbers an acknowledged one is exactly the lost write this
 *   check exists to catch.
 *
 * - Anything else (several writers, overlapping writes): only what is certain.
 *   The final value must come from an acknowledged or unknown write, and not from
 *   an acknowledged write that another acknowledged write was invoked after
 *   (that one certainly took effect later). An unknown write may land at any time,
 *   so it is never ruled out. An absent key is lost data once any write was acknowledged.
 *
 * Keys missing from `finalReads` are not checked: the caller lists what it read.
 */
import { resultOf, type CheckResult, type Violation } from './check-result.js';
import { describeOperation, formatValue, sameValue, type FinalReads, type History, type Value, type WriteOperation } from './history.js';

export function checkLostWrites(history: History, finalReads: FinalReads): CheckResult {
  const writesByKey = new Map<string, WriteOperation[]>();
  for (const op of history) {
    if (op.kind !== 'write') continue;
    const writes = writesByKey.get(op.key);
    if (writes) writes.push(op);
    else writesByKey.set(op.key, [op]);
  }
  const violations: Violation[] = [];
  for (const [key, final] of finalReads) {
    const writes = [...(writesByKey.get(key) ?? [])].sort((a, b) => a.invokedAt - b.invokedAt);
    const violation = isSequentialSingleWriter(writes) ? checkSingleWriter(key, writes, final) : checkGeneral(key, writes, final);
    if (violation) violations.push(violation);
  }
  return resultOf(violations);
}

/** One process, each write invoked no earlier than the previous one completed. `writes` is in invocation order. */
export function isSequentialSingleWriter(writes: readonly WriteOperation[]): boolean {
  return writes.every((w, i) => {
    const previous = writes[i - 1];
    return previous === undefined || (w.process === previous.process && w.invokedAt >= previous.completedAt);
  });
}

function checkSingleWriter(key: string, writes: readonly WriteOperation[], final: Value | undefined): Violation | undefined {
  const lastAckIndex = writes.findLastIndex((w) => w.outcome === 'ok');
  const lastAck = writes[lastAckIndex];
  const laterUnknown = writes.slice(lastAckIndex + 1).filter((w) => w.outcome === 'unknown');
  const allowed = lastAck ? [lastAck, ...laterUnknown] : laterUnknown;
  if (allowed.some((w) => sameValue(w.value, final)) || (final === undefined && lastAck === undefined)) return undefined;
  const sources = writes.filter((w) => sameValue(w.value, final));
  if (lastAck === undefined) return neverWritten(key, final, sources);
  return {
    checker: 'lost-writes',
    subject: key,
    message:
      `key ${JSON.stringify(key)} ends as ${formatValue(final)}, but its last acknowledged write was ${describeOperation(lastAck)}` +
      ` and no later write of unknown outcome wrote ${formatValue(final)}` +
      (sources.length > 0 ? `; ${formatValue(final)} came from ${sources.map(describeOperation).join(', ')}` : ''),
    operations: [lastAck, ...sources],
  };
}

function checkGeneral(key: string, writes: readonly WriteOperation[], final: Value | undefined): Violation | undefined {
  const acknowledged = writes.filter((w) => w.outcome === 'ok');
  // The acknowledged write invoked last; every acknowledged write that completed before it was overwritten for certain.
  const latest = acknowledged.reduce<WriteOperation | undefined>((a, w) => (a === undefined || w.invokedAt > a.invokedAt ? w : a), undefined);
  const superseded = (w: WriteOperation) => latest !== undefined && latest.invokedAt > w.completedAt;
  if (final === undefined) {
    if (latest === undefined) return undefined;
    const survivors = acknowledged.filter((w) => !superseded(w));
    return {
      checker: 'lost-writes',
      subject: key,
      message: `key ${JSON.stringify(key)} ends absent, but ${survivors.map(describeOperation).join(', ')} was acknowledged`,
      operations: survivors,
    };
  }
  const sources = writes.filter((w) => sameValue(w.value, final));
  if (sources.some((w) => w.outcome === 'unknown' || (w.outcome === 'ok' && !superseded(w)))) return undefined;
  const overwritten = sources.filter((w) => w.outcome === 'ok');
  if (overwritten.length === 0 || latest === undefined) return neverWritten(key, final, sources);
  return {
    checker: 'lost-writes',
    subject: key,
    message:
      `key ${JSON.stringify(key)} ends as ${formatValue(final)}, written by ${overwritten.map(describeOperation).join(', ')},` +
      ` but ${describeOperation(latest)} was invoked after that completed, so the later acknowledged write was lost`,
    operations: [...overwritten, latest],
  };
}

function neverWritten(key: string, final: Value | undefined, sources: readonly WriteOperation[]): Violation {
  const failed = sources.length > 0 ? ` (only by ${sources.map(describeOperation).join(', ')})` : '';
  return {
    checker: 'lost-writes',
    subject: key,
    message: `key ${JSON.stringify(key)} ends as ${formatValue(final)}, a value no write that may have happened wrote${failed}`,
    operations: sources,
  };
}
