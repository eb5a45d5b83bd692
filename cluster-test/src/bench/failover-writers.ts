import type { Cache } from '@shoal/client';
import { valueFor } from './dataset.js';
import { sleep } from './with-timeout.js';

/** What one kill looked like from the client, in ms after the kill; undefined: not seen before the deadline. */
export interface KillObservation {
  readonly victim: string;
  /** The headline: first successful write, issued after the kill, to a key whose partition's primary was the victim. */
  readonly victimKeyWriteMs: number | undefined;
  /** Until every writer had completed a write issued after the kill. */
  readonly allWritersMs: number | undefined;
  /** Writes that failed (the SDK retries through a failover, so any is a finding). */
  readonly errors: number;
}

interface Write {
  readonly writer: number;
  readonly partition: number;
  readonly issuedAt: number;
}

/**
 * `writers` loops, each putting to a random key one after another; there is
 * one key per partition, so every partition (and every primary) takes writes.
 * After `markKill` it watches the completions for the two moments of a
 * `KillObservation`. Times are `performance.now()` in this process.
 * Only writes issued after the kill count: a write in flight at the kill may
 * have been answered by the victim just before it died, its answer still
 * unread in this process, and would pass for a failover of a millisecond.
 */
export class FailoverWriters {
  private running = false;
  private loops: Promise<void>[] = [];
  private kill: { at: number; victim: string; partitions: ReadonlySet<number> } | undefined;
  private victimKeyWriteMs: number | undefined;
  private allWritersMs: number | undefined;
  private readonly recovered = new Set<number>();
  readonly errorMessages: string[] = [];

  constructor(
    private readonly cache: Cache<string, string>,
    /** `keys[p]` lies in partition p. */
    private readonly keys: readonly string[],
    private readonly writers: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.writers }, (_, w) => this.loop(w));
  }

  /** Call right before the kill: from here completions count. */
  markKill(victim: string, victimPartitions: ReadonlySet<number>): void {
    this.kill = { at: performance.now(), victim, partitions: victimPartitions };
  }

  /** Waits until both moments were seen, or `timeoutMs` after the kill; what was seen. */
  async observe(timeoutMs: number): Promise<KillObservation> {
    const kill = this.kill;
    if (kill === undefined) throw new Error('observe() before markKill()');
    while (!this.complete() && performance.now() - kill.at < timeoutMs) await sleep(10);
    const { victimKeyWriteMs, allWritersMs } = this;
    return { victim: kill.victim, victimKeyWriteMs, allWritersMs, errors: this.errorMessages.length };
  }

  /** Stops issuing writes and waits for those in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private complete(): boolean {
    return this.victimKeyWriteMs !== undefined && this.allWritersMs !== undefined;
  }

  private async loop(writer: number): Promise<void> {
    for (let n = 0; this.running; n++) {
      const partition = Math.floor(Math.random() * this.keys.length);
      const write: Write = { writer, partition, issuedAt: performance.now() };
      let ok = true;
      try {
        await this.cache.put(this.keys[partition]!, valueFor(n, 200));
      } catch (err) {
        ok = false;
        this.errorMessages.push(`${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`);
      }
      this.completed(write, ok, performance.now());
      // A failing grid must not turn the loop into a busy spin.
      if (!ok) await sleep(10);
    }
  }

  private completed(write: Write, ok: boolean, at: number): void {
    const kill = this.kill;
    if (kill === undefined) return;
    const since = at - kill.at;
    if (!ok || write.issuedAt < kill.at) return;
    if (kill.partitions.has(write.partition)) this.victimKeyWriteMs ??= since;
    this.recovered.add(write.writer);
    if (this.recovered.size === this.writers) this.allWritersMs ??= since;
  }
}
