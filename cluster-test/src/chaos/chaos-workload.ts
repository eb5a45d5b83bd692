import type { Shoal } from '@shoal/client';
import { type FinalCounters, type FinalReads, HistoryRecorder, type Value } from '../checkers/index.js';

export interface ChaosWorkloadOptions {
  readonly grid: Shoal;
  readonly cache: string;
  /** Concurrent writer processes; each owns its keys and writes them one after another. */
  readonly writers: number;
  readonly keysPerWriter: number;
  /** Counters every writer increments now and then. */
  readonly counters: readonly string[];
  /** A seed for which key a process touches next, so a failing run can be described. */
  readonly seed: number;
}

/** An operation a caller saw fail: the test's "clients see no error". */
export interface ClientError {
  readonly process: string;
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A write-heavy load through the SDK, recorded for the history checkers:
 * writers put increasing values to their own keys, read them back, and
 * increment shared counters. Every outcome lands in the recorder; every
 * error a caller saw lands in `errors`.
 */
export class ChaosWorkload {
  readonly recorder = new HistoryRecorder();
  readonly errors: ClientError[] = [];
  operations = 0;
  finalReadErrors = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: ChaosWorkloadOptions) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.writers }, (_, w) => this.writerLoop(w));
  }

  /** Stops issuing operations and waits for those in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  keys(): string[] {
    const keys: string[] = [];
    for (let w = 0; w < this.options.writers; w++) for (let k = 0; k < this.options.keysPerWriter; k++) keys.push(keyOf(w, k));
    return keys;
  }

  /** Reads every key and counter once the faults are over (retrying: the cluster may still be settling). */
  async finalState(): Promise<{ finalReads: FinalReads; finalCounters: FinalCounters }> {
    const cache = this.options.grid.cache<string, Value>(this.options.cache);
    this.finalReadErrors = 0;
    const finalReads = new Map<string, Value | undefined>();
    for (const key of this.keys()) finalReads.set(key, await settle(() => cache.get(key)));
    const finalCounters = new Map<string, number>();
    for (const name of this.options.counters) finalCounters.set(name, await settle(() => this.options.grid.atomicLong(name).get()));
    return { finalReads, finalCounters };
  }

  private async writerLoop(writer: number): Promise<void> {
    const { grid, keysPerWriter, counters } = this.options;
    const cache = grid.cache<string, Value>(this.options.cache);
    const process = `w${writer}`;
    let state = (this.options.seed * 7919 + writer * 104_729) >>> 0;
    const next = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0);
    for (let n = 0; this.running; n++) {
      const key = keyOf(writer, next() % keysPerWriter);
      const roll = next() % 10;
      if (roll < 5) await this.attempt(process, 'put', () => this.recorder.track(process, { kind: 'write', key, value: `${process}:${n}` }, () => cache.put(key, `${process}:${n}`)));
      else if (roll < 8) await this.attempt(process, 'get', () => this.recorder.track(process, { kind: 'read', key }, () => cache.get(key)));
      else if (counters.length > 0) {
        const counter = counters[next() % counters.length]!;
        await this.attempt(process, 'incrementAndGet', () => this.recorder.track(process, { kind: 'increment', counter }, () => grid.atomicLong(counter).incrementAndGet()));
      }
      this.operations++;
    }
  }

  private async attempt(process: string, operation: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      const { code = 'UNKNOWN', message = String(err) } = err as { code?: string; message?: string };
      this.errors.push({ process, operation, code, message });
    }
  }
}

const keyOf = (writer: number, k: number) => `k-${writer}-${k}`;

async function settle<T>(read: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  // Each read already retries until its deadline inside the SDK; a few rounds more cover a cluster still settling.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await read();
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw lastError;
}
