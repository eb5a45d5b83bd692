import { describe, expect, it } from 'vitest';
import { checkCounters, type CheckResult } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

function messages(result: CheckResult): string[] {
  return result.ok ? [] : result.violations.map((v) => v.message);
}

/** Three acknowledged increments (two concurrent), one unknown, one failed. */
function counterHistory() {
  const h = new HistoryBuilder();
  h.increment('p1', 'c', 1, [0, 1]);
  h.increment('p1', 'c', 3, [2, 10]);
  h.increment('p2', 'c', 2, [3, 4]);
  h.increment('p3', 'c', 'unknown', [5, 100]);
  h.increment('p4', 'c', 'fail', [6, 7]);
  return h;
}

describe('checkCounters', () => {
  it('passes with or without the unknown increment applied', () => {
    expect(checkCounters(counterHistory().ops, new Map([['c', 3]]))).toEqual({ ok: true });
    expect(checkCounters(counterHistory().ops, new Map([['c', 4]]))).toEqual({ ok: true });
    expect(checkCounters(counterHistory().ops)).toEqual({ ok: true });
  });

  it('fails duplicate results', () => {
    const h = new HistoryBuilder();
    h.increment('p1', 'c', 1, [0, 10]);
    h.increment('p2', 'c', 1, [1, 11]);
    expect(messages(checkCounters(h.ops))).toEqual([expect.stringMatching(/returned 1 to 2 increments: #0 .*, #1 /)]);
  });

  it('fails lost increments and invented ones', () => {
    expect(messages(checkCounters(counterHistory().ops, new Map([['c', 2]])))).toEqual([
      expect.stringContaining('ends at 2, but 3 increments were acknowledged: 1 lost'),
      expect.stringContaining('#1 p1 incrementAndGet("c") -> 3 ok [2.0..10.0 ms] returned more than the final value 2'),
    ]);
    expect(messages(checkCounters(counterHistory().ops, new Map([['c', 5]])))).toEqual([
      expect.stringContaining('only 3 acknowledged and 1 unknown increments could have applied'),
    ]);
  });

  it('fails a result that goes back in real time, and a result below 1', () => {
    const h = new HistoryBuilder();
    h.increment('p1', 'c', 2, [0, 1]);
    h.increment('p2', 'c', 1, [2, 3]);
    h.increment('p3', 'd', 0, [0, 1]);
    expect(messages(checkCounters(h.ops))).toEqual([
      expect.stringMatching(/^#1 .* was invoked after #0 .* completed, yet returned no more than it$/),
      expect.stringContaining('increments from 0 return at least 1'),
    ]);
  });

  it('checks a counter with a final value and no increments: it must be 0', () => {
    expect(checkCounters([], new Map([['c', 0]])).ok).toBe(true);
    expect(checkCounters([], new Map([['c', 1]])).ok).toBe(false);
  });
});
