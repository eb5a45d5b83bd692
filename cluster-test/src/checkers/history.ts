/**
 * The recorded history of a chaos run: every operation a client invoked, when,
 * and what came of it. The checkers read only this (and the final reads), so a
 * failing run can be dumped to a file and re-checked offline.
 *
 * Times are milliseconds from `performance.now()` in the one process that runs
 * every client, so they are comparable across clients.
 */

/** A register value. Kept to JSON primitives so a history round-trips through a file unchanged. */
export type Value = string | number | boolean | null;

/**
 * What came of an operation:
 * - `ok`: acknowledged; it happened, and its result is known.
 * - `fail`: it definitely did not happen (the grid refused it, e.g. a validation error).
 * - `unknown`: a timeout or lost connection; it may have happened, at any time
 *   after its invocation (even after the client gave up), or never.
 */
export type Outcome = 'ok' | 'fail' | 'unknown';

interface OperationBase {
  /** Position in invocation order, unique within a history; messages name operations by it. */
  readonly id: number;
  /** The client or worker that invoked it. */
  readonly process: string;
  readonly invokedAt: number;
  /** When the client saw the outcome (for `unknown`, when it gave up; the effect may come later). */
  readonly completedAt: number;
}

/** `put(key, value)` on a register. Its input is known whatever the outcome. */
export interface WriteOperation extends OperationBase {
  readonly kind: 'write';
  readonly key: string;
  readonly value: Value;
  readonly outcome: Outcome;
}

/** `get(key)`; only an acknowledged read has a value (`undefined`: the key was absent). */
export type ReadOperation = OperationBase & { readonly kind: 'read'; readonly key: string } & (
    | { readonly outcome: 'ok'; readonly value: Value | undefined }
    | { readonly outcome: 'fail' | 'unknown' }
  );

/** `incrementAndGet()` on a named counter; only an acknowledged one has a result. */
export type IncrementOperation = OperationBase & { readonly kind: 'increment'; readonly counter: string } & (
    | { readonly outcome: 'ok'; readonly result: number }
    | { readonly outcome: 'fail' | 'unknown' }
  );

export type Operation = WriteOperation | ReadOperation | IncrementOperation;

/** Operations in invocation order (ids ascending). */
export type History = readonly Operation[];

/** The last value read from every key the run wants checked, after the cluster healed. */
export type FinalReads = ReadonlyMap<string, Value | undefined>;

/** The final value of every counter the run wants checked. */
export type FinalCounters = ReadonlyMap<string, number>;

export function isWrite(op: Operation): op is WriteOperation {
  return op.kind === 'write';
}

export function isRead(op: Operation): op is ReadOperation {
  return op.kind === 'read';
}

export function isIncrement(op: Operation): op is IncrementOperation {
  return op.kind === 'increment';
}

/** Register operations grouped by key, each group in history order. */
export function registerOperationsByKey(history: History): Map<string, (WriteOperation | ReadOperation)[]> {
  const byKey = new Map<string, (WriteOperation | ReadOperation)[]>();
  for (const op of history) {
    if (op.kind === 'increment') continue;
    const group = byKey.get(op.key);
    if (group) group.push(op);
    else byKey.set(op.key, [op]);
  }
  return byKey;
}

/** Increments grouped by counter, each group in history order. */
export function incrementsByCounter(history: History): Map<string, IncrementOperation[]> {
  const byCounter = new Map<string, IncrementOperation[]>();
  for (const op of history) {
    if (op.kind !== 'increment') continue;
    const group = byCounter.get(op.counter);
    if (group) group.push(op);
    else byCounter.set(op.counter, [op]);
  }
  return byCounter;
}

/** Register values are primitives, so `===` is equality (and `undefined` is only equal to itself). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  return a === b;
}

export function formatValue(value: Value | undefined): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function formatTime(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : String(ms);
}

/** One line naming an operation, e.g. `#12 p1 write("k", "v3") ok [10.0..12.5 ms]`. */
export function describeOperation(op: Operation): string {
  const window = `[${formatTime(op.invokedAt)}..${formatTime(op.completedAt)} ms]`;
  switch (op.kind) {
    case 'write':
      return `#${op.id} ${op.process} write(${JSON.stringify(op.key)}, ${formatValue(op.value)}) ${op.outcome} ${window}`;
    case 'read': {
      const result = op.outcome === 'ok' ? ` -> ${formatValue(op.value)}` : '';
      return `#${op.id} ${op.process} read(${JSON.stringify(op.key)})${result} ${op.outcome} ${window}`;
    }
    case 'increment': {
      const result = op.outcome === 'ok' ? ` -> ${op.result}` : '';
      return `#${op.id} ${op.process} incrementAndGet(${JSON.stringify(op.counter)})${result} ${op.outcome} ${window}`;
    }
  }
}
