/**
 * The Wing & Gong search with Lowe's memoisation (as in Porcupine), for any
 * sequential model whose states can be Map keys.
 *
 * Calls and returns sit in one time-ordered linked list. The search repeatedly
 * picks a call before the first remaining return (an operation that may take
 * effect next), applies it to the model, and "lifts" it out of the list. Reaching
 * a return means that operation had to take effect by now and no choice made it
 * so: undo the last choice and try the next. A (set of operations taken, state)
 * pair already seen cannot lead anywhere new, which is what keeps this tractable.
 */

/** Returned by a model step that the operation's observed result rules out. */
export const REJECT: unique symbol = Symbol('reject');

export interface SearchOperation<S> {
  readonly invokedAt: number;
  /** `Infinity` for an operation that may take effect at any time after its invocation. */
  readonly returnsAt: number;
  /** The state after this operation takes effect in `state`, or REJECT if its result forbids it. */
  step(state: S): S | typeof REJECT;
}

/** Where the search got furthest before it had to give up on a branch. */
export interface Frontier<S> {
  /** Indices of operations taken, in the order taken. */
  readonly taken: readonly number[];
  readonly state: S;
  /** The operation whose return was reached before it could take effect. */
  readonly stuck: number;
  /** Operations that could have taken effect next (the stuck one included). */
  readonly pending: readonly number[];
}

export type SearchResult<S> =
  | { readonly result: 'ok'; readonly steps: number }
  | { readonly result: 'violation'; readonly steps: number; readonly frontier: Frontier<S> }
  | { readonly result: 'unknown'; readonly steps: number };

interface Entry {
  readonly op: number;
  readonly isCall: boolean;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

interface Frame<S> {
  readonly entry: Entry;
  readonly state: S;
}

export function searchLinearization<S>(ops: readonly SearchOperation<S>[], initial: S, maxSteps: number): SearchResult<S> {
  const head = buildEntryList(ops);
  const seen = new Map<S, Set<bigint>>();
  const frames: Frame<S>[] = [];
  let state = initial;
  let taken = 0n;
  let entry = head.next;
  let frontier: Frontier<S> | undefined;
  let steps = 0;
  while (head.next !== null && entry !== null) {
    if (++steps > maxSteps) return { result: 'unknown', steps };
    if (entry.isCall) {
      const next = ops[entry.op]!.step(state);
      const withOp = taken | (1n << BigInt(entry.op));
      if (next !== REJECT && remember(seen, next, withOp)) {
        frames.push({ entry, state });
        state = next;
        taken = withOp;
        lift(entry);
        entry = head.next;
      } else {
        entry = entry.next;
      }
      continue;
    }
    if (frontier === undefined || frames.length > frontier.taken.length) frontier = frontierAt(head, entry, frames, state);
    const frame = frames.pop();
    if (frame === undefined) return { result: 'violation', steps, frontier };
    state = frame.state;
    taken ^= 1n << BigInt(frame.entry.op);
    unlift(frame.entry);
    entry = frame.entry.next;
  }
  return { result: 'ok', steps };
}

/** Calls before returns at equal times: operations that touch at an instant count as concurrent, which never invents a violation. */
function buildEntryList<S>(ops: readonly SearchOperation<S>[]): Entry {
  const events: { time: number; isCall: boolean; op: number }[] = [];
  ops.forEach((op, i) => {
    if (!(op.returnsAt >= op.invokedAt)) throw new RangeError(`operation ${i} returns (${op.returnsAt}) before it is invoked (${op.invokedAt})`);
    events.push({ time: op.invokedAt, isCall: true, op: i }, { time: op.returnsAt, isCall: false, op: i });
  });
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Entry = { op: -1, isCall: false, match: null, prev: null, next: null };
  const calls = new Map<number, Entry>();
  let tail = head;
  for (const event of events) {
    const entry: Entry = { op: event.op, isCall: event.isCall, match: null, prev: tail, next: null };
    if (event.isCall) calls.set(event.op, entry);
    else calls.get(event.op)!.match = entry;
    tail.next = entry;
    tail = entry;
  }
  return head;
}

/** Adds (state, taken) to the memo; false if it was already there. */
function remember<S>(seen: Map<S, Set<bigint>>, state: S, taken: bigint): boolean {
  let sets = seen.get(state);
  if (sets === undefined) seen.set(state, (sets = new Set()));
  if (sets.has(taken)) return false;
  sets.add(taken);
  return true;
}

/** Unlinks a call and its return (the return is always after the call, so `call.next` exists). */
function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Relinks what `lift` unlinked, in reverse order, so the neighbours' pointers are valid again. */
function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

function frontierAt<S>(head: Entry, stuck: Entry, frames: readonly Frame<S>[], state: S): Frontier<S> {
  const pending: number[] = [];
  for (let e = head.next; e !== null && e !== stuck; e = e.next) if (e.isCall) pending.push(e.op);
  return { taken: frames.map((f) => f.entry.op), state, stuck: stuck.op, pending };
}
