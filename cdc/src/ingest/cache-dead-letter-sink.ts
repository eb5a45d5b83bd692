import type { Shoal } from '@shoal/client';
import { createCacheIfMissing } from '../apply/create-cache.js';
import type { DeadLetterEntry, DeadLetterSink } from './dead-letter.js';

/**
 * Puts each entry into a grid cache, keyed by where the record came from
 * (`source topic offset`), so that a replayed batch overwrites its own
 * entries instead of adding more. Entries are written on `flush`, together.
 */
export class CacheDeadLetterSink implements DeadLetterSink {
  readonly description: string;
  private buffered = new Map<string, DeadLetterEntry>();
  private created = false;

  constructor(
    private readonly grid: Shoal,
    readonly cacheName: string,
  ) {
    this.description = `cache ${cacheName}`;
  }

  async write(entry: DeadLetterEntry): Promise<void> {
    this.buffered.set(`${entry.source} ${entry.topic ?? '-'} ${entry.offset}`, entry);
  }

  async flush(): Promise<void> {
    if (this.buffered.size === 0) return;
    if (!this.created) {
      await createCacheIfMissing(this.grid, this.cacheName);
      this.created = true;
    }
    await this.grid.cache<string, DeadLetterEntry>(this.cacheName).putAll(this.buffered);
    this.buffered = new Map();
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
