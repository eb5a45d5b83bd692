import { describe, expect, it } from 'vitest';
import { checkLinearizability, checkRegisterKey, type LinearizabilityResult } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

function messages(result: LinearizabilityResult): string[] {
  return result.ok ? [] : result.violations.map((v) => v.message);
}

describe('checkLinearizability, hand-written histories', () => {
  it('passes sequential reads of the latest write, and reads of an absent key before any write', () => {
    const h = new HistoryBuilder();
    h.read('r', 'k', undefined, [0, 1]);
    h.write('w', 'k', 'a', [2, 3]);
    h.read('r', 'k', 'a', [4, 5]);
    h.write('w', 'k', 'b', [6, 7]);
    h.read('r', 'k', 'b', [8, 9]);
    expect(checkLinearizability(h.ops)).toEqual({ ok: true, undecided: [] });
  });

  it('fails a stale read after an acknowledged write, naming the operations involved', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'k', 'b', [2, 3]);
    h.read('r', 'k', 'a', [4, 5]);
    const result = checkLinearizability(h.ops);
    expect(result.ok).toBe(false);
    const [violation] = result.ok ? [] : result.violations;
    expect(violation?.subject).toBe('k');
    expect(violation?.operations.map((op) => op.id)).toEqual([2, 1, 0]);
    expect(violation?.message).toBe(
      [
        'key "k" is not linearizable: at most 2 of 3 operations can be put in an order consistent with their results and real time.',
        '  then the register holds "b" (written by #1 w write("k", "b") ok [2.0..3.0 ms])',
        '  and #2 r read("k") -> "a" ok [4.0..5.0 ms] must take effect next (everything else not yet ordered is in flight or began after it completed), but cannot',
        '  "a" was written by #0 w write("k", "a") ok [0.0..1.0 ms], already overwritten by then',
      ].join('\n'),
    );
  });

  it('lets a read concurrent with a write see either value', () => {
    for (const seen of ['a', 'b']) {
      const h = new HistoryBuilder();
      h.write('w', 'k', 'a', [0, 1]);
      h.write('w', 'k', 'b', [2, 10]);
      h.read('r', 'k', seen, [5, 6]);
      expect(checkLinearizability(h.ops).ok).toBe(true);
    }
  });

  it('fails two sequential reads that see a concurrent write go back', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'k', 'b', [2, 20]);
    h.read('r', 'k', 'b', [5, 6]);
    h.read('r', 'k', 'a', [7, 8]);
    expect(messages(checkLinearizability(h.ops))).toEqual([expect.stringContaining('#3 r read("k") -> "a"')]);
  });

  it('lets an unknown write appear, even long after the client gave up, or never appear', () => {
    for (const seen of ['a', 'b']) {
      const h = new HistoryBuilder();
      h.write('w', 'k', 'a', [0, 1]);
      h.write('w', 'k', 'b', [2, 3], 'unknown');
      h.read('r', 'k', seen, [100, 101]);
      h.read('r', 'k', 'b', [102, 103]);
      expect(checkLinearizability(h.ops).ok).toBe(true);
    }
  });

  it('fails an unknown write that appears and then disappears', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'k', 'b', [2, 3], 'unknown');
    h.read('r', 'k', 'b', [4, 5]);
    h.read('r', 'k', 'a', [6, 7]);
    expect(checkLinearizability(h.ops).ok).toBe(false);
  });

  it('ignores failed operations and reads of unknown outcome, and fails a read of a failed write', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'k', 'b', [2, 3], 'fail');
    h.readWithout('r', 'k', [4, 5], 'unknown');
    h.read('r', 'k', 'a', [6, 7]);
    expect(checkLinearizability(h.ops).ok).toBe(true);
    h.read('r', 'k', 'b', [8, 9]);
    expect(messages(checkLinearizability(h.ops))).toEqual([expect.stringContaining('no write that may have happened wrote "b"')]);
  });

  it('fails a read of an absent key after an acknowledged write', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.read('r', 'k', undefined, [2, 3]);
    expect(checkLinearizability(h.ops).ok).toBe(false);
  });

  it('treats operations that touch at one instant as concurrent (so never invents a violation from a tie)', () => {
    const history = (readFrom: number) => {
      const h = new HistoryBuilder();
      h.write('w', 'k', 'a', [0, 1]);
      h.write('w', 'k', 'b', [2, 3]);
      h.read('r', 'k', 'a', [readFrom, 4]);
      return h.ops;
    };
    expect(checkLinearizability(history(3)).ok).toBe(true);
    expect(checkLinearizability(history(3.001)).ok).toBe(false);
  });

  it('checks keys independently and reports each bad one', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'j', 'a', [0, 1]);
    h.read('r', 'j', 'a', [2, 3]);
    h.read('r', 'k', 'x', [2, 3]);
    h.read('r', 'i', 'a', [2, 3]);
    h.increment('p', 'c', 7, [0, 1]);
    const result = checkLinearizability(h.ops);
    expect(result.ok ? [] : result.violations.map((v) => v.subject)).toEqual(['k', 'i']);
  });

  it('gives up with unknown when the step budget runs out, instead of hanging', () => {
    const h = new HistoryBuilder();
    // Many concurrent unknown writes all read back, then a value nobody wrote: every subset must be tried.
    for (let i = 0; i < 24; i++) h.write(`w${i}`, 'k', i, [0, 1], 'unknown');
    for (let i = 0; i < 24; i++) h.read(`r${i}`, 'k', i, [2, 3]);
    h.read('r', 'k', 'never', [4, 5]);
    expect(checkRegisterKey('k', h.ops, { maxStepsPerKey: 10_000 })).toEqual({ result: 'unknown', steps: 10_001 });
    expect(checkLinearizability(h.ops, { maxStepsPerKey: 10_000 })).toEqual({ ok: true, undecided: ['k'] });
  });
});
