import type { IncrementOperation, Operation, Outcome, ReadOperation, Value, WriteOperation } from '../../src/checkers/index.js';

/**
 * Hand-written histories for the checker tests: `[from, to]` is the operation's
 * window in ms, ids follow the order operations are added.
 */
export class HistoryBuilder {
  readonly ops: Operation[] = [];

  write(process: string, key: string, value: Value, [from, to]: [number, number], outcome: Outcome = 'ok'): WriteOperation {
    return this.add({ id: this.ops.length, kind: 'write', process, key, value, invokedAt: from, completedAt: to, outcome });
  }

  read(process: string, key: string, value: Value | undefined, [from, to]: [number, number]): ReadOperation {
    return this.add({ id: this.ops.length, kind: 'read', process, key, value, invokedAt: from, completedAt: to, outcome: 'ok' });
  }

  readWithout(process: string, key: string, [from, to]: [number, number], outcome: 'fail' | 'unknown'): ReadOperation {
    return this.add({ id: this.ops.length, kind: 'read', process, key, invokedAt: from, completedAt: to, outcome });
  }

  increment(process: string, counter: string, result: number | 'fail' | 'unknown', [from, to]: [number, number]): IncrementOperation {
    const base = { id: this.ops.length, kind: 'increment' as const, process, counter, invokedAt: from, completedAt: to };
    return this.add(typeof result === 'number' ? { ...base, outcome: 'ok', result } : { ...base, outcome: result });
  }

  private add<T extends Operation>(op: T): T {
    this.ops.push(op);
    return op;
  }
}
