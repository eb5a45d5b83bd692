/**
 * No read returns a value that was never written: every acknowledged read of a
 * value must be explained by a write of that value to the same key that may
 * have happened (acknowledged or unknown; a failed write did not happen) and
 * that was invoked before the read completed (a read cannot see the future).
 *
 * Reading `undefined` is never a phantom: whether the key should still be
 * absent is the linearizability checker's question, not this one's.
 */
import { capViolations, resultOf, type CheckResult, type Violation } from './check-result.js';
import { describeOperation, formatValue, registerOperationsByKey, type History, type ReadOperation, type WriteOperation } from './history.js';

export function checkPhantomReads(history: History): CheckResult {
  const violations: Violation[] = [];
  for (const [key, ops] of registerOperationsByKey(history)) {
    const writes = ops.filter((op): op is WriteOperation => op.kind === 'write');
    const perKey: Violation[] = [];
    for (const read of ops) {
      if (read.kind !== 'read' || read.outcome !== 'ok' || read.value === undefined) continue;
      const violation = explainRead(key, read, writes);
      if (violation) perKey.push(violation);
    }
    violations.push(...capViolations(perKey));
  }
  return resultOf(violations);
}

function explainRead(key: string, read: ReadOperation & { outcome: 'ok' }, writes: readonly WriteOperation[]): Violation | undefined {
  const sameValue = writes.filter((w) => w.value === read.value);
  const possible = sameValue.filter((w) => w.outcome !== 'fail');
  if (possible.some((w) => w.invokedAt <= read.completedAt)) return undefined;
  let why: string;
  if (possible.length > 0) why = `its only writes were invoked after the read completed: ${possible.map(describeOperation).join(', ')}`;
  else if (sameValue.length > 0) why = `its only writes failed: ${sameValue.map(describeOperation).join(', ')}`;
  else why = `no write of ${JSON.stringify(key)} ever tried to write it`;
  return {
    checker: 'phantom-reads',
    subject: key,
    message: `${describeOperation(read)} returned ${formatValue(read.value)}, but ${why}`,
    operations: [read, ...sameValue],
  };
}
