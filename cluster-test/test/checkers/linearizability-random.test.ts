/**
 * Randomized tests of the linearizability checker, all seeded: set
 * SHOAL_CHECKER_SEED to replay or vary them; a failure names its seed.
 */
import { describe, expect, it } from 'vitest';
import { checkLinearizability, type Operation, type ReadOperation, type Value, type WriteOperation } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

const BASE_SEED = Number(process.env.SHOAL_CHECKER_SEED ?? 0xc0ffee);

/** mulberry32: small, seedable, the same on every platform. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

interface SimulationShape {
  readonly processes: number;
  readonly opsPerProcess: number;
  readonly keys: number;
}

/**
 * Runs a real linearizable register per key: each process invokes operations one
 * after another with random gaps and durations; each operation that takes effect
 * does so at one random instant inside its window (an unknown write: any time
 * after invocation, even after the client gave up, or never). Reads return what
 * the register held at their instant. Write values are unique.
 */
function simulate(random: Rng, shape: SimulationShape): Operation[] {
  type Planned = { op: Operation; at: number | undefined };
  const planned: Planned[] = [];
  for (let p = 0; p < shape.processes; p++) {
    let clock = random.next() * 5;
    for (let n = 0; n < shape.opsPerProcess; n++) {
      const invokedAt = clock + random.next() * 3;
      const completedAt = invokedAt + 0.1 + random.next() * 10;
      clock = completedAt;
      const key = `k${random.int(shape.keys)}`;
      const roll = random.next();
      const outcome = roll < 0.8 ? 'ok' : roll < 0.9 ? 'unknown' : 'fail';
      const base = { id: -1, process: `p${p}`, key, invokedAt, completedAt, outcome } as const;
      const op: Operation = random.chance(0.5) ? { ...base, kind: 'write', value: `p${p}-${n}` } : { ...base, kind: 'read', value: undefined };
      const at =
        outcome === 'ok' ? invokedAt + random.next() * (completedAt - invokedAt)
        : outcome === 'unknown' && op.kind === 'write' && random.chance(0.5) ? invokedAt + random.next() * 30
        : undefined;
      planned.push({ op, at });
    }
  }
  const state = new Map<string, Value | undefined>();
  const results = new Map<Operation, Value | undefined>();
  for (const { op, at } of [...planned].filter((p) => p.at !== undefined).sort((a, b) => a.at! - b.at!)) {
    if (op.kind === 'write') state.set(op.key, op.value);
    else if (op.kind === 'read') results.set(op, state.get(op.key));
  }
  return planned
    .map(({ op }) => op)
    .sort((a, b) => a.invokedAt - b.invokedAt)
    .map((op, id) => {
      if (op.kind !== 'read') return { ...op, id };
      return op.outcome === 'ok' ? { ...op, id, value: results.get(op) } : { id, kind: 'read', process: op.process, key: op.key, invokedAt: op.invokedAt, completedAt: op.completedAt, outcome: op.outcome };
    });
}

type OkRead = ReadOperation & { outcome: 'ok' };
const isOkRead = (op: Operation): op is OkRead => op.kind === 'read' && op.outcome === 'ok';
const isOkWrite = (op: Operation): op is WriteOperation => op.kind === 'write' && op.outcome === 'ok';

function withRead(history: readonly Operation[], read: OkRead, value: Value | undefined): Operation[] {
  return history.map((op) => (op === read ? { ...read, value } : op));
}

/** A value the read cannot have seen for certain: one a write invoked after the read completed wrote. */
function futureValue(history: readonly Operation[], read: OkRead): Value | undefined {
  return history.find((op): op is WriteOperation => op.kind === 'write' && op.key === read.key && op.invokedAt > read.completedAt)?.value;
}

/** Or one certainly overwritten before the read began: w completed, then w2 ran start to finish, then the read began. */
function staleValue(history: readonly Operation[], read: OkRead): Value | undefined {
  const writes = history.filter((op): op is WriteOperation => isOkWrite(op) && op.key === read.key);
  const overwritten = writes.find((w) => writes.some((w2) => w2.invokedAt > w.completedAt && w2.completedAt < read.invokedAt));
  return overwritten?.value;
}

describe('checkLinearizability on simulated linearizable registers', () => {
  it('passes every history a linearizable register produces, and fails each certain mutation of one read', () => {
    let mutations = 0;
    for (let i = 0; i < 300; i++) {
      const seed = BASE_SEED + i;
      const random = rng(seed);
      const history = simulate(random, { processes: 2 + random.int(4), opsPerProcess: 3 + random.int(10), keys: 1 + random.int(2) });
      const result = checkLinearizability(history);
      expect(result, `seed ${seed}: a linearizable history failed`).toEqual({ ok: true, undecided: [] });

      const reads = history.filter(isOkRead);
      if (reads.length === 0) continue;
      const read = reads[random.int(reads.length)]!;
      const candidates: [string, Value | undefined][] = [['never written', 'never-written']];
      const future = futureValue(history, read);
      if (future !== undefined) candidates.push(['from the future', future]);
      const stale = staleValue(history, read);
      if (stale !== undefined) candidates.push(['certainly overwritten', stale]);
      for (const [why, value] of candidates) {
        mutations++;
        const mutated = checkLinearizability(withRead(history, read, value));
        expect(mutated.ok, `seed ${seed}: read #${read.id} mutated to a value ${why} (${String(value)}) passed`).toBe(false);
        expect(mutated.ok ? [] : mutated.violations.map((v) => v.subject), `seed ${seed}`).toEqual([read.key]);
      }
    }
    expect(mutations).toBeGreaterThan(500);
  });

  it('decides a long, busy history well within its budget', () => {
    const random = rng(BASE_SEED);
    const history = simulate(random, { processes: 8, opsPerProcess: 250, keys: 4 });
    const started = performance.now();
    expect(checkLinearizability(history, { maxStepsPerKey: 200_000 }), `seed ${BASE_SEED}`).toEqual({ ok: true, undecided: [] });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

/**
 * The definition, by brute force: try every order that respects real time, with
 * failed operations and unknown reads left out and unknown writes optional.
 */
function bruteForceLinearizable(history: readonly Operation[]): boolean {
  const ops = history.filter((op) => op.kind !== 'increment' && op.outcome !== 'fail' && (op.kind === 'write' || op.outcome === 'ok'));
  const returnsAt = (op: Operation) => (op.outcome === 'ok' ? op.completedAt : Infinity);
  const search = (remaining: readonly Operation[], state: Value | undefined): boolean => {
    if (remaining.every((op) => op.outcome === 'unknown')) return true;
    return remaining.some((op) => {
      if (remaining.some((other) => returnsAt(other) < op.invokedAt)) return false;
      if (op.kind === 'read' && (op.outcome !== 'ok' || op.value !== state)) return false;
      const next = op.kind === 'write' ? op.value : state;
      return search(remaining.filter((o) => o !== op), next);
    });
  };
  return search(ops, undefined);
}

/** Small arbitrary histories on one key, linearizable or not, repeated values included. */
function arbitraryHistory(random: Rng): Operation[] {
  const h = new HistoryBuilder();
  const values = ['a', 'b', 'c'] as const;
  const count = 1 + random.int(7);
  for (let i = 0; i < count; i++) {
    const from = random.int(10);
    const window: [number, number] = [from, from + random.int(5)];
    const roll = random.next();
    const outcome = roll < 0.7 ? 'ok' : roll < 0.9 ? 'unknown' : 'fail';
    if (random.chance(0.5)) h.write(`p${i}`, 'k', values[random.int(3)]!, window, outcome);
    else if (outcome === 'ok') h.read(`p${i}`, 'k', random.chance(0.2) ? undefined : values[random.int(3)], window);
    else h.readWithout(`p${i}`, 'k', window, outcome);
  }
  return h.ops;
}

describe('checkLinearizability against brute force', () => {
  it('agrees on small arbitrary histories', () => {
    let violations = 0;
    for (let i = 0; i < 2_000; i++) {
      const seed = BASE_SEED + 10_000 + i;
      const history = arbitraryHistory(rng(seed));
      const expected = bruteForceLinearizable(history);
      if (!expected) violations++;
      expect(checkLinearizability(history).ok, `seed ${seed}: ${JSON.stringify(history)}`).toBe(expected);
    }
    expect(violations).toBeGreaterThan(200);
  });
});
