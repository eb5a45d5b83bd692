import type { PartitionStore } from '../storage/partition-store.js';

/** Entries in one chunk of a copy, and the bytes at which a chunk stops early. */
const CHUNK_ENTRIES = 1_000;
const CHUNK_BYTES = 512 * 1024;
/** Bytes queued on a peer link above which a copy waits: live writes go first. */
const LINK_HIGH_WATER = 4 * 1024 * 1024;
const THROTTLE_POLL_MS = 5;

export interface CopyJob {
  readonly store: PartitionStore;
  readonly target: string;
  readonly syncId: number;
  /** The keys (and tombstones) when the copy started; later writes reach the target live. */
  readonly keys: string[];
  position: number;
}

export interface CopierPorts {
  /** False once the copy is no longer wanted (role lost, target gone, a newer copy started). */
  stillWanted(job: CopyJob): boolean;
  sendChunk(job: CopyJob, entries: unknown[]): void;
  finish(job: CopyJob): void;
  bufferedBytes(target: string): number;
  bytesSent(count: number): void;
}

/** The keys a copy must cover: live entries and tombstones. */
export function keysToCopy(store: PartitionStore): string[] {
  const keys = [...store.entries.keys()];
  for (const [key] of store.versions ?? []) if (!store.entries.has(key)) keys.push(key);
  return keys;
}

/**
 * Copies partitions to replicas in chunks, a few at a time, yielding to the
 * event loop between chunks and waiting while a link is backed up, so a
 * rebalance never stalls serving. Each chunk reads current values, so a key
 * written after the copy started arrives both in the chunk and live, in order.
 */
export class PartitionCopier {
  private readonly queue: CopyJob[] = [];
  private readonly active: CopyJob[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ports: CopierPorts,
    private readonly concurrency = 4,
  ) {}

  enqueue(job: CopyJob): void {
    this.queue.push(job);
    this.pump();
  }

  /** True while a copy of `store` to `target` waits or runs. */
  isQueued(store: PartitionStore, target: string): boolean {
    return this.active.some((job) => job.store === store && job.target === target) || this.queue.some((job) => job.store === store && job.target === target);
  }

  get pending(): number {
    return this.queue.length + this.running;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    clearTimeout(this.timer);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.queue.length > 0) {
      this.running++;
      const job = this.queue.shift()!;
      this.active.push(job);
      this.step(job);
    }
  }

  private step(job: CopyJob): void {
    if (this.stopped) return;
    if (!this.ports.stillWanted(job)) return this.done(job);
    if (this.ports.bufferedBytes(job.target) > LINK_HIGH_WATER) {
      this.timer = setTimeout(() => this.step(job), THROTTLE_POLL_MS);
      return;
    }
    if (job.position >= job.keys.length) {
      this.ports.finish(job);
      return this.done(job);
    }
    this.ports.sendChunk(job, this.nextChunk(job));
    setImmediate(() => this.step(job));
  }

  private nextChunk(job: CopyJob): unknown[] {
    const { store } = job;
    const entries: unknown[] = [];
    let bytes = 0;
    while (job.position < job.keys.length && entries.length / 3 < CHUNK_ENTRIES && bytes < CHUNK_BYTES) {
      const key = job.keys[job.position++]!;
      const value = store.entries.get(key);
      const version = store.versionOf(key);
      if (value === undefined && version === undefined) continue;
      entries.push(Buffer.from(key, 'latin1'), value === undefined ? null : Buffer.from(value, 'latin1'), version === undefined ? null : Buffer.from(version, 'latin1'));
      bytes += key.length + (value?.length ?? 0) + (version?.length ?? 0);
    }
    this.ports.bytesSent(bytes);
    return entries;
  }

  private done(job: CopyJob): void {
    this.running--;
    this.active.splice(this.active.indexOf(job), 1);
    this.pump();
  }
}
