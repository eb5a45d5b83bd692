import { describe, expect, it } from 'vitest';
import { checkLostWrites, isSequentialSingleWriter, type CheckResult } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

function messages(result: CheckResult): string[] {
  return result.ok ? [] : result.violations.map((v) => v.message);
}

describe('checkLostWrites, one sequential writer per key', () => {
  function writerHistory() {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 1]);
    h.write('w1', 'k', 'b', [2, 3]);
    h.write('w1', 'k', 'c', [4, 5], 'fail');
    return h;
  }

  it('passes when the key ends with the last acknowledged value', () => {
    expect(checkLostWrites(writerHistory().ops, new Map([['k', 'b']]))).toEqual({ ok: true });
  });

  it('passes when a later write of unknown outcome took effect, or did not', () => {
    const h = writerHistory();
    h.write('w1', 'k', 'd', [6, 100], 'unknown');
    h.write('w1', 'k', 'e', [100, 200], 'unknown');
    for (const final of ['b', 'd', 'e']) expect(checkLostWrites(h.ops, new Map([['k', final]])).ok).toBe(true);
  });

  it('fails when an older acknowledged value comes back (the last acknowledged write was lost)', () => {
    const result = checkLostWrites(writerHistory().ops, new Map([['k', 'a']]));
    expect(messages(result)).toEqual([expect.stringMatching(/ends as "a", but its last acknowledged write was #1 w1 write\("k", "b"\)/)]);
  });

  it('fails when an unknown write from before the last acknowledged one resurfaces', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 10], 'unknown');
    h.write('w1', 'k', 'b', [10, 11]);
    expect(checkLostWrites(h.ops, new Map([['k', 'a']])).ok).toBe(false);
  });

  it('fails when the key ends absent after an acknowledged write, or holds a failed write', () => {
    expect(checkLostWrites(writerHistory().ops, new Map([['k', undefined]])).ok).toBe(false);
    expect(messages(checkLostWrites(writerHistory().ops, new Map([['k', 'c']])))).toEqual([expect.stringContaining('"c" came from #2')]);
  });

  it('allows an absent key or any unknown value when no write was acknowledged', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 1], 'unknown');
    h.write('w1', 'k', 'b', [1, 2], 'fail');
    expect(checkLostWrites(h.ops, new Map([['k', undefined]])).ok).toBe(true);
    expect(checkLostWrites(h.ops, new Map([['k', 'a']])).ok).toBe(true);
    expect(messages(checkLostWrites(h.ops, new Map([['k', 'b']])))).toEqual([expect.stringMatching(/no write that may have happened wrote \(only by #1/)]);
    expect(checkLostWrites([], new Map([['fresh', undefined]])).ok).toBe(true);
  });

  it('checks only the keys it is given final reads for, and reports each bad key', () => {
    const h = writerHistory();
    h.write('w2', 'j', 'x', [0, 1]);
    expect(checkLostWrites(h.ops, new Map()).ok).toBe(true);
    const result = checkLostWrites(h.ops, new Map([['k', 'a'], ['j', 'y']]));
    expect(result.ok ? [] : result.violations.map((v) => v.subject)).toEqual(['k', 'j']);
  });
});

describe('checkLostWrites, several writers (only certain violations)', () => {
  it('tells the single sequential writer case apart', () => {
    const h = new HistoryBuilder();
    const a = h.write('w1', 'k', 'a', [0, 2]);
    const b = h.write('w1', 'k', 'b', [1, 3]);
    const c = h.write('w2', 'k', 'c', [4, 5]);
    expect(isSequentialSingleWriter([a])).toBe(true);
    expect(isSequentialSingleWriter([a, b])).toBe(false);
    expect(isSequentialSingleWriter([b, c])).toBe(false);
  });

  it('accepts either of two concurrent acknowledged writes', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 10]);
    h.write('w2', 'k', 'b', [5, 15]);
    expect(checkLostWrites(h.ops, new Map([['k', 'a']])).ok).toBe(true);
    expect(checkLostWrites(h.ops, new Map([['k', 'b']])).ok).toBe(true);
  });

  it('rejects a value overwritten for certain by a later acknowledged write', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 1]);
    h.write('w2', 'k', 'b', [2, 3]);
    expect(messages(checkLostWrites(h.ops, new Map([['k', 'a']])))).toEqual([expect.stringContaining('the later acknowledged write was lost')]);
  });

  it('never rules out an unknown write, whenever it was invoked', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 1], 'unknown');
    h.write('w2', 'k', 'b', [2, 3]);
    expect(checkLostWrites(h.ops, new Map([['k', 'a']])).ok).toBe(true);
  });

  it('rejects an absent key and a value nobody wrote', () => {
    const h = new HistoryBuilder();
    h.write('w1', 'k', 'a', [0, 10]);
    h.write('w2', 'k', 'b', [5, 15]);
    expect(messages(checkLostWrites(h.ops, new Map([['k', undefined]])))).toEqual([expect.stringMatching(/ends absent, but #0 .*, #1 .* was acknowledged/)]);
    expect(checkLostWrites(h.ops, new Map([['k', 'z']])).ok).toBe(false);
  });
});
