import { describe, expect, it } from 'vitest';
import { PullingSource, type Fetched } from '../src/ingest/pulling-source.js';
import { CommitLine } from '../src/ingest/commit-line.js';
import type { BatchHandler, CommitStep, SourceBatch } from '../src/index.js';

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

/** A pipelining handler whose applies and commits take a while; `fail` names a batch that fails there. */
function handler(log: string[], fail: { apply?: number; prepare?: number; commit?: number } = {}, commitMs = 5): BatchHandler {
  const prepare = (batch: SourceBatch) => {
    const n = Number(batch.records[0]!.value);
    log.push(`prepare ${n}`);
    if (n === fail.prepare) throw new Error(`prepare ${n} failed`);
    return async () => {
      log.push(`apply ${n}`);
      await tick();
      if (n === fail.apply) throw new Error(`apply ${n} failed`);
      log.push(`applied ${n}`);
      return async () => {
        log.push(`committing ${n}`);
        await new Promise((resolve) => setTimeout(resolve, commitMs));
        if (n === fail.commit) throw new Error(`commit ${n} failed`);
        await batch.commit();
      };
    };
  };
  return Object.assign(async (batch: SourceBatch, signal: AbortSignal) => (await prepare(batch)(signal))(), { prepare });
}

describe('a pulling source with a pipelining handler', () => {
  it('prepares the next batch while one applies, and commits in order', async () => {
    const log: string[] = [];
    const source = new ListSource(4, log);
    await source.start(handler(log));
    await source.done;
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0', 'commit 1', 'commit 2', 'commit 3']);
    // Batch 1 was fetched and prepared before batch 0 committed; it applied only after batch 0 was applied.
    expect(log.indexOf('prepare 1')).toBeLessThan(log.indexOf('commit 0'));
    expect(log.indexOf('apply 1')).toBeGreaterThan(log.indexOf('applied 0'));
    expect(log.at(-1)).toBe('close');
  });

  it('stops at a failed apply: nothing after it applies or commits, and done rejects', async () => {
    const log: string[] = [];
    const source = new ListSource(5, log);
    await source.start(handler(log, { apply: 1 }));
    await expect(source.done).rejects.toThrow('apply 1 failed');
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0']);
    expect(log.filter((l) => l.startsWith('apply '))).toEqual(['apply 0', 'apply 1']);
    expect(log.at(-1)).toBe('close');
  });

  it('commits the batch in flight before failing on a batch that cannot be prepared', async () => {
    const log: string[] = [];
    const source = new ListSource(5, log);
    await source.start(handler(log, { prepare: 2 }));
    await expect(source.done).rejects.toThrow('prepare 2 failed');
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0', 'commit 1']);
    expect(log).not.toContain('apply 2');
  });

  it('applies the next batch while one commits, yet commits each only after its apply and every earlier commit', async () => {
    const log: string[] = [];
    const source = new ListSource(6, log);
    // Commits slower than applies: without the order rule, a later batch would commit first.
    await source.start(handler(log, {}, 12));
    await source.done;
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0', 'commit 1', 'commit 2', 'commit 3', 'commit 4', 'commit 5']);
    // Batch 1 applied while batch 0's commit ran.
    expect(log.indexOf('apply 1')).toBeLessThan(log.indexOf('commit 0'));
    for (let n = 0; n < 6; n++) {
      expect(log.indexOf(`committing ${n}`)).toBeGreaterThan(log.indexOf(`applied ${n}`));
      if (n > 0) expect(log.indexOf(`committing ${n}`)).toBeGreaterThan(log.indexOf(`commit ${n - 1}`));
    }
    // At most one commit waits behind the applies: batch n+2 applies only after batch n committed.
    for (let n = 0; n + 2 < 6; n++) expect(log.indexOf(`apply ${n + 2}`)).toBeGreaterThan(log.indexOf(`commit ${n}`));
  });

  it('stops at a failed commit: no later batch commits, even one already applied, and done rejects', async () => {
    const log: string[] = [];
    const source = new ListSource(6, log);
    await source.start(handler(log, { commit: 1 }, 12));
    await expect(source.done).rejects.toThrow('commit 1 failed');
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0']);
    expect(log).not.toContain('committing 2');
    expect(log).not.toContain('apply 4');
    expect(log.at(-1)).toBe('close');
  });

  it('never commits a batch whose apply failed, nor any after it, even while an earlier commit is still running', async () => {
    const log: string[] = [];
    const source = new ListSource(6, log);
    await source.start(handler(log, { apply: 2 }, 20));
    await expect(source.done).rejects.toThrow('apply 2 failed');
    expect(log.filter((l) => l.startsWith('commit '))).toEqual(['commit 0', 'commit 1']);
    expect(log).not.toContain('committing 2');
    expect(log).not.toContain('apply 3');
  });
});

describe('the commit line', () => {
  it('runs commits in the order queued, whatever order the applies finish in, and none after a failure', async () => {
    const line = new CommitLine();
    const log: string[] = [];
    const later = (ms: number, value: CommitStep) => new Promise<CommitStep>((resolve) => setTimeout(() => resolve(value), ms));
    const step = (n: number, fail = false) => async () => {
      if (fail) throw new Error(`commit ${n} failed`);
      log.push(`commit ${n}`);
    };
    const c0 = line.add(later(20, step(0)));
    const c1 = line.add(later(1, step(1)));
    const c2 = line.add(later(5, step(2, true)));
    const c3 = line.add(Promise.resolve(step(3)));
    await c0;
    await c1;
    await expect(c2).rejects.toThrow('commit 2 failed');
    await expect(c3).rejects.toThrow('commit 2 failed');
    await expect(line.settled).rejects.toThrow('commit 2 failed');
    expect(log).toEqual(['commit 0', 'commit 1']);
  });
});
