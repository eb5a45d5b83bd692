import { describe, expect, it } from 'vitest';
import { checkPhantomReads } from '../../src/checkers/index.js';
import { HistoryBuilder } from './history-builder.js';

describe('checkPhantomReads', () => {
  it('passes reads of absent keys, of written values and of unknown writes, stale or not', () => {
    const h = new HistoryBuilder();
    h.read('r', 'k', undefined, [0, 1]);
    h.write('w', 'k', 'a', [2, 3]);
    h.write('w', 'k', 'b', [4, 50], 'unknown');
    h.read('r', 'k', 'a', [60, 61]);
    h.read('r', 'k', 'b', [62, 63]);
    h.read('r', 'k', undefined, [64, 65]);
    h.readWithout('r', 'k', [66, 67], 'unknown');
    expect(checkPhantomReads(h.ops)).toEqual({ ok: true });
  });

  it('passes a read concurrent with the write it sees', () => {
    const h = new HistoryBuilder();
    h.read('r', 'k', 'a', [0, 10]);
    h.write('w', 'k', 'a', [5, 20]);
    expect(checkPhantomReads(h.ops).ok).toBe(true);
  });

  it('fails a value no write tried, a value only a failed write tried, and a value from the future', () => {
    const h = new HistoryBuilder();
    h.write('w', 'k', 'a', [0, 1]);
    h.write('w', 'k', 'b', [2, 3], 'fail');
    h.read('r', 'k', 'x', [4, 5]);
    h.read('r', 'k', 'b', [6, 7]);
    h.read('r', 'k', 'c', [8, 9]);
    h.write('w', 'k', 'c', [10, 11]);
    h.read('r', 'j', 'a', [12, 13]);
    const result = checkPhantomReads(h.ops);
    expect(result.ok ? [] : result.violations.map((v) => [v.subject, v.message])).toEqual([
      ['k', expect.stringMatching(/^#2 r read\("k"\) -> "x" .* no write of "k" ever tried to write it$/)],
      ['k', expect.stringContaining('its only writes failed: #1')],
      ['k', expect.stringContaining('invoked after the read completed: #5')],
      ['j', expect.stringContaining('no write of "j"')],
    ]);
  });

  it('sums up a flood of phantoms on one key after the first few', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 20; i++) h.read('r', 'k', `x${i}`, [i, i + 1]);
    const result = checkPhantomReads(h.ops);
    expect(result.ok ? [] : result.violations.map((v) => v.message)).toHaveLength(6);
    expect(result.ok ? '' : result.violations[5]!.message).toBe('...and 15 more like the above on "k"');
  });
});
