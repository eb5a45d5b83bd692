import { describe, expect, it } from 'vitest';
import { describeOperation, HistoryRecorder, parseRun, serializeRun } from '../../src/checkers/index.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, set: (t: number) => void (now = t) };
}

describe('HistoryRecorder', () => {
  it('records invocation and completion times, outcomes and results in invocation order', () => {
    const clock = manualClock();
    const recorder = new HistoryRecorder(clock.now);
    const write = recorder.invoke('p1', { kind: 'write', key: 'k', value: 'a' });
    clock.set(1);
    const read = recorder.invoke('p2', { kind: 'read', key: 'k' });
    const inc = recorder.invoke('p3', { kind: 'increment', counter: 'c' });
    clock.set(2);
    write.ok();
    read.ok('a');
    clock.set(3);
    inc.unknown();
    expect(recorder.history()).toEqual([
      { id: 0, kind: 'write', process: 'p1', key: 'k', value: 'a', outcome: 'ok', invokedAt: 0, completedAt: 2 },
      { id: 1, kind: 'read', process: 'p2', key: 'k', value: 'a', outcome: 'ok', invokedAt: 1, completedAt: 2 },
      { id: 2, kind: 'increment', process: 'p3', counter: 'c', outcome: 'unknown', invokedAt: 1, completedAt: 3 },
    ]);
  });

  it('reports operations still in flight as unknown', () => {
    const clock = manualClock();
    const recorder = new HistoryRecorder(clock.now);
    recorder.invoke('p1', { kind: 'write', key: 'k', value: 1 });
    clock.set(5);
    expect(recorder.history()).toMatchObject([{ outcome: 'unknown', completedAt: 5 }]);
  });

  it('refuses to complete an operation twice', () => {
    const recorder = new HistoryRecorder();
    const op = recorder.invoke('p1', { kind: 'increment', counter: 'c' });
    op.ok(1);
    expect(() => op.fail()).toThrow(/already completed/);
  });

  it('track records ok, and classifies errors (unknown by default) before rethrowing', async () => {
    const recorder = new HistoryRecorder();
    await expect(recorder.track('p1', { kind: 'read', key: 'k' }, async () => undefined)).resolves.toBeUndefined();
    await expect(recorder.track('p1', { kind: 'write', key: 'k', value: 1 }, () => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    const refused = () => Promise.reject(new Error('bad value'));
    await expect(recorder.track('p1', { kind: 'write', key: 'k', value: 2 }, refused, () => 'fail')).rejects.toThrow('bad value');
    expect(recorder.history().map((op) => op.outcome)).toEqual(['ok', 'unknown', 'fail']);
  });
});

describe('run JSON', () => {
  it('round-trips a history with absent values, final reads and final counters', () => {
    const clock = manualClock();
    const recorder = new HistoryRecorder(clock.now);
    recorder.invoke('p1', { kind: 'read', key: 'k' }).ok(undefined);
    recorder.invoke('p1', { kind: 'write', key: 'k', value: null }).fail();
    recorder.invoke('p2', { kind: 'increment', counter: 'c' }).ok(1);
    const run = { history: recorder.history(), finalReads: new Map([['k', undefined], ['j', 'x']]), finalCounters: new Map([['c', 1]]) };
    const back = parseRun(serializeRun(run));
    expect(back).toEqual(run);
    expect('value' in back.history[0]!).toBe(true);
  });

  it('names what is wrong in a document it cannot read', () => {
    expect(() => parseRun('{"format":"other"}')).toThrow(/not a shoal-history/);
    const bad = JSON.stringify({ format: 'shoal-history', version: 1, operations: [{ id: 0, kind: 'write', process: 'p', key: 'k', invokedAt: 0, completedAt: 1, outcome: 'ok', value: {} }] });
    expect(() => parseRun(bad)).toThrow(/value must be/);
  });
});

describe('describeOperation', () => {
  it('names the operation, its result, outcome and window', () => {
    const recorder = new HistoryRecorder(() => 1.25);
    recorder.invoke('p2', { kind: 'read', key: 'k' }).ok('v');
    expect(describeOperation(recorder.history()[0]!)).toBe('#0 p2 read("k") -> "v" ok [1.3..1.3 ms]');
  });
});
