import type { Cache } from '@shoal/client';
import type { PostedChange } from './cdc-paced-producer.js';
import { sleep } from './with-timeout.js';

/** How often the reader polls the rows it waits for, in ms: the resolution of the lag. */
export const POLL_INTERVAL_MS = 2;

/**
 * An enrichment job's view: it follows a sample of the changes and polls
 * their rows with `getAll` every `POLL_INTERVAL_MS` until each row shows
 * the change (its `seq` column reached the change's number: a later change
 * to the row shows it too). The lag of a change is from its creation to
 * the answer that first showed it.
 */
export class VisibilityReader {
  private waiting: PostedChange[] = [];
  private readonly lags: number[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly cache: Cache<number, { readonly seq?: unknown }>) {}

  /** Starts following `change`. */
  follow(change: PostedChange): void {
    this.waiting.push(change);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
    this.loop.catch(() => undefined);
  }

  /** Keeps polling until every followed change was seen or `timeoutMs` passed; returns the lags (ms) and how many were never seen. */
  async finish(timeoutMs: number): Promise<{ readonly lags: readonly number[]; readonly unseen: number }> {
    const deadline = performance.now() + timeoutMs;
    while (this.waiting.length > 0 && performance.now() < deadline) await sleep(10);
    this.running = false;
    await this.loop;
    return { lags: this.lags, unseen: this.waiting.length };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.waiting.length > 0) await this.poll();
      await sleep(POLL_INTERVAL_MS);
    }
  }

  private async poll(): Promise<void> {
    const ids = [...new Set(this.waiting.map((c) => c.id))];
    const rows = await this.cache.getAll(ids);
    const seenAt = performance.now();
    const still: PostedChange[] = [];
    for (const change of this.waiting) {
      const seq = rows.get(change.id)?.seq;
      if (typeof seq === 'number' && seq >= change.seq) this.lags.push(seenAt - change.createdAt);
      else still.push(change);
    }
    this.waiting = still;
  }
}
