import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CdcMetrics, EventMapper, Ingester, noRules, parseKeyColumnRules, type ChangeTarget, type DeadLetterSink, type GridChange, type SourceRecord } from '../src/index.js';
import { envelopeWithoutSchema } from './support/events.js';

/** A grid that notes each call, and fails the call numbered `failAt`. */
function recordingTarget(log: string[], failAt = -1): ChangeTarget {
  let calls = 0;
  return {
    async applyChanges(cache: string, changes: readonly GridChange[]) {
      const call = calls++;
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (call === failAt) throw new Error('the grid refused for good');
      log.push(`apply ${changes.map((c) => c.key).join(',')}`);
      return changes.map(() => true);
    },
    async clear() {},
  };
}

const noDeadLetters: DeadLetterSink = { description: 'none', write: async () => undefined, flush: async () => undefined, close: async () => undefined };

function ingester(target: ChangeTarget): Ingester {
  return new Ingester({
    target,
    mapper: new EventMapper({ rules: { ...noRules, keyColumns: parseKeyColumnRules(['t=id']) }, mysql: 'binlog' }),
    deadLetters: noDeadLetters,
    metrics: new CdcMetrics(),
    log: pino({ level: 'silent' }),
    sourceName: 'test',
    applyPartSize: 2,
  });
}

const records: SourceRecord[] = [1, 2, 3, 4, 5].map((id) => ({ key: null, value: envelopeWithoutSchema(`{"id":${id}}`), topic: null, offset: `item ${id}` }));

describe('a batch larger than a part', () => {
  it('applies in parts, in order, and commits once after the last', async () => {
    const log: string[] = [];
    await ingester(recordingTarget(log)).handle({ records, commit: async () => void log.push('commit') }, new AbortController().signal);
    expect(log).toEqual(['apply 1,2', 'apply 3,4', 'apply 5', 'commit']);
  });

  it('commits nothing when a part fails, and applies no part after it', async () => {
    const log: string[] = [];
    const handled = ingester(recordingTarget(log, 1)).handle({ records, commit: async () => void log.push('commit') }, new AbortController().signal);
    await expect(handled).rejects.toThrow('refused for good');
    expect(log).toEqual(['apply 1,2']);
  });
});
