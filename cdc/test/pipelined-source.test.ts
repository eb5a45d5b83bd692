import { describe, expect, it } from 'vitest';
import { PullingSource, type Fetched } from '../src/ingest/pulling-source.js';
import type { BatchHandler, SourceBatch } from '../src/index.js';

/** Batches 0..count-1 of one record each, noting every step in `log`. */
class ListSource extends PullingSource {
  readonly description = 'list';
  private next = 0;

  constructor(
    private readonly count: number,
    readonly log: string[],
  ) {
    super();
  }

  protected async open(): Promise<void> {}
  protected async close(): Promise<void> {
    this.log.push('close');
  }

  protected async fetch(): Promise<Fetched> {
    if (this.next === this.count) return 'end';
    const n = this.next++;
    this.log.push(`fetch ${n}`);
    return { records: [{ key: null, value: String(n), topic: null, offset: String(n) }], commit: async () => void this.log.push(`commit ${n}`) };
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A pipelining handler whose applies take a while; `failApply`/`failPrepare` name a batch that fails there. */
function handler(log: string[], fail: { apply?: number; prepare?: number } = {}): BatchHandler {
  const prepare = (batch: SourceBatch) => {
    const n = Number(batch.records[0]!.value);
    log.push(`prepare ${n}`);
    if (n === fail.prepare) throw new Error(`prepare ${n} failed`);
    return async () => {
      log.push(`apply ${n}`);
      await tick();
      if (n === fail.apply) throw new Error(`apply ${n} failed`);
      await batch.commit();
    };
  };
  return Object.assign(async (batch: SourceBatch, signal: AbortSignal) => prepare(batch)(signal), { prepare });
}

describe('a pulling source with a pipelining handler', () => {
  it('prepares the next batch while one applies, and commits in order', async () => {
    const log: string[] = [];
    const source = new ListSource(4, log);
    await source.start(handler(log));
    await source.done;
    expect(log.filter((l) => l.startsWith('commit'))).toEqual(['commit 0', 'commit 1', 'commit 2', 'commit 3']);
    // Batch 1 was fetched and prepared before batch 0 committed; batch 1 applied only after.
    expect(log.indexOf('prepare 1')).toBeLessThan(log.indexOf('commit 0'));
    expect(log.indexOf('apply 1')).toBeGreaterThan(log.indexOf('commit 0'));
    expect(log.at(-1)).toBe('close');
  });

  it('stops at a failed apply: nothing after it applies or commits, and done rejects', async () => {
    const log: string[] = [];
    const source = new ListSource(5, log);
    await source.start(handler(log, { apply: 1 }));
    await expect(source.done).rejects.toThrow('apply 1 failed');
    expect(log.filter((l) => l.startsWith('commit') || l.startsWith('apply'))).toEqual(['apply 0', 'commit 0', 'apply 1']);
    expect(log.at(-1)).toBe('close');
  });

  it('commits the batch in flight before failing on a batch that cannot be prepared', async () => {
    const log: string[] = [];
    const source = new ListSource(5, log);
    await source.start(handler(log, { prepare: 2 }));
    await expect(source.done).rejects.toThrow('prepare 2 failed');
    expect(log.filter((l) => l.startsWith('commit'))).toEqual(['commit 0', 'commit 1']);
    expect(log).not.toContain('apply 2');
  });
});
