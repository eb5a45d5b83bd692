import type { History, Operation, Outcome, Value } from './history.js';

/** What a client is about to do; the recorder adds the process, the times and the outcome. */
export type Invocation =
  | { readonly kind: 'write'; readonly key: string; readonly value: Value }
  | { readonly kind: 'read'; readonly key: string }
  | { readonly kind: 'increment'; readonly counter: string };

/** The result an acknowledged invocation carries: nothing for a write, the value for a read, the new count for an increment. */
export type InvocationResult<I extends Invocation> = I extends { kind: 'write' }
  ? void
  : I extends { kind: 'read' }
    ? Value | undefined
    : number;

/** The handle `invoke` returns; exactly one of its methods must be called, once. */
export interface PendingOperation<R> {
  readonly id: number;
  /** Acknowledged, with its result (`ok()` for a write). */
  ok(result: R): void;
  /** Definitely did not happen (the grid refused it). */
  fail(): void;
  /** Timed out or lost its connection: it may or may not have happened. */
  unknown(): void;
}

/** Decides whether an error means the operation definitely did not happen. */
export type ErrorClassifier = (error: unknown) => 'fail' | 'unknown';

interface Pending {
  readonly invocation: Invocation;
  readonly process: string;
  readonly invokedAt: number;
}

/**
 * Records a chaos run's history as clients invoke and complete operations.
 * Ids follow invocation order, so the history is in invocation order too.
 */
export class HistoryRecorder {
  private readonly slots: (Operation | Pending)[] = [];

  /** `clock` is injectable so tests can drive time; the default is the monotonic `performance.now`. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  invoke<I extends Invocation>(process: string, invocation: I): PendingOperation<InvocationResult<I>> {
    const id = this.slots.length;
    this.slots.push({ invocation, process, invokedAt: this.clock() });
    const complete = (outcome: Outcome, result?: unknown) => this.complete(id, outcome, result);
    return {
      id,
      ok: (result) => complete('ok', result),
      fail: () => complete('fail'),
      unknown: () => complete('unknown'),
    };
  }

  /**
   * Runs `action` as one recorded operation: resolved is `ok`, rejected is what
   * `classify` says (by default `unknown`, the safe reading: an error alone does
   * not prove the operation did not happen). Rethrows the error.
   */
  async track<I extends Invocation>(
    process: string,
    invocation: I,
    action: () => Promise<InvocationResult<I>>,
    classify: ErrorClassifier = () => 'unknown',
  ): Promise<InvocationResult<I>> {
    const pending = this.invoke(process, invocation);
    let result: InvocationResult<I>;
    try {
      result = await action();
    } catch (error) {
      if (classify(error) === 'fail') pending.fail();
      else pending.unknown();
      throw error;
    }
    pending.ok(result);
    return result;
  }

  /**
   * The history so far. Operations still in flight are reported `unknown`
   * (completed now): they may yet take effect, so no checker may assume either way.
   */
  history(): History {
    const now = this.clock();
    return this.slots.map((slot, id) => ('id' in slot ? slot : toOperation(id, slot, 'unknown', now, undefined)));
  }

  private complete(id: number, outcome: Outcome, result: unknown): void {
    const slot = this.slots[id];
    if (slot === undefined || 'id' in slot) throw new Error(`operation #${id} was already completed`);
    this.slots[id] = toOperation(id, slot, outcome, this.clock(), result);
  }
}

function toOperation(id: number, pending: Pending, outcome: Outcome, completedAt: number, result: unknown): Operation {
  const base = { id, process: pending.process, invokedAt: pending.invokedAt, completedAt };
  const { invocation } = pending;
  switch (invocation.kind) {
    case 'write':
      return { ...base, kind: 'write', key: invocation.key, value: invocation.value, outcome };
    case 'read':
      return outcome === 'ok'
        ? { ...base, kind: 'read', key: invocation.key, outcome, value: result as Value | undefined }
        : { ...base, kind: 'read', key: invocation.key, outcome };
    case 'increment':
      return outcome === 'ok'
        ? { ...base, kind: 'increment', counter: invocation.counter, outcome, result: result as number }
        : { ...base, kind: 'increment', counter: invocation.counter, outcome };
  }
}
