import { describe, expect, it } from 'vitest';
import { assertHistory, checkHistory, HistoryCheckError, HistoryRecorder, parseRun, serializeRun } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

/** A clean run: one writer, one reader, one counter. */
function cleanRun() {
  const h = new HistoryBuilder();
  h.write('w', 'k', 'a', [0, 1]);
  h.read('r', 'k', 'a', [2, 3]);
  h.increment('c', 'n', 1, [0, 1]);
  h.increment('c', 'n', 'unknown', [2, 50]);
  return { history: h.ops, finalReads: new Map([['k', 'a']]), finalCounters: new Map([['n', 2]]) };
}

describe('assertHistory', () => {
  it('passes a clean run and returns every checker result', () => {
    const report = assertHistory(cleanRun());
    expect(report).toMatchObject({ lostWrites: { ok: true }, phantomReads: { ok: true }, counters: { ok: true }, linearizability: { ok: true }, violations: [] });
  });

  it('throws one error listing every violation of every checker', () => {
    const run = cleanRun();
    const h = new HistoryBuilder();
    h.ops.push(...run.history);
    h.read('r', 'k', 'ghost', [4, 5]);
    h.increment('c', 'n', 1, [60, 61]);
    const broken = { ...run, history: h.ops, finalReads: new Map([['k', undefined]]) };
    let error: unknown;
    try {
      assertHistory(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HistoryCheckError);
    const lines = (error as HistoryCheckError).message.split('\n').filter((line) => line.startsWith('['));
    expect(lines.map((line) => line.slice(0, line.indexOf(']') + 1))).toEqual(['[lost-writes]', '[phantom-reads]', '[counters]', '[counters]', '[linearizability]']);
    expect((error as HistoryCheckError).message).toMatch(/^history check failed: 5 violation\(s\)\n/);
    expect((error as HistoryCheckError).violations).toHaveLength(5);
  });

  it('fails on an undecided key unless told to allow it', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 16; i++) h.write(`w${i}`, 'k', i, [0, 1], 'unknown');
    for (let i = 0; i < 16; i++) h.read(`r${i}`, 'k', i, [2, 3]);
    h.read('r', 'k', 0, [4, 5]);
    const options = { linearizability: { maxStepsPerKey: 100 } };
    expect(() => assertHistory({ history: h.ops }, options)).toThrow(/key "k" undecided: the search ran out of steps/);
    expect(assertHistory({ history: h.ops }, { ...options, allowUndecided: true }).linearizability.undecided).toEqual(['k']);
  });

  it('checks a run read back from its dump the same way', () => {
    const recorder = new HistoryRecorder();
    recorder.invoke('w', { kind: 'write', key: 'k', value: 'a' }).ok();
    recorder.invoke('w', { kind: 'write', key: 'k', value: 'b' }).ok();
    const run = { history: recorder.history(), finalReads: new Map([['k', 'a']]) };
    expect(checkHistory(parseRun(serializeRun(run))).violations).toEqual(checkHistory(run).violations);
    expect(checkHistory(run).violations).toHaveLength(1);
  });
});
