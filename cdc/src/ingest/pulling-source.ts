import type { BatchHandler, Source, SourceBatch } from './source.js';

/** What `fetch` answers: a batch, nothing yet (poll again), or the end of the input. */
export type Fetched = SourceBatch | 'idle' | 'end';

/**
 * A source that pulls: after `open`, it fetches a batch, hands it to the
 * handler, and only then fetches the next, until the input ends or `stop`.
 * Subclasses say how to open, fetch and close.
 */
export abstract class PullingSource implements Source {
  abstract readonly description: string;
  readonly done: Promise<void>;
  private readonly stopping = new AbortController();
  private settle!: { resolve: () => void; reject: (err: unknown) => void };
  private started = false;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // `done` may be awaited only through `stop`; never leave its rejection unhandled.
    this.done.catch(() => undefined);
  }

  /**
   * Whether `fetch` may run while the previous batch applies and commits.
   * A source whose commit would queue behind a blocking read on the same
   * connection, or whose read would hand out the uncommitted batch again,
   * says no: it then fetches only after the commit (and prepares nothing ahead).
   */
  protected get fetchesWhileApplying(): boolean {
    return true;
  }

  protected abstract open(): Promise<void>;
  protected abstract fetch(signal: AbortSignal): Promise<Fetched>;
  protected abstract close(): Promise<void>;

  /** Opens and starts the loop; when `open` fails, what it opened is closed and `done` rejects. */
  async start(handler: BatchHandler): Promise<void> {
    this.started = true;
    try {
      await this.open();
    } catch (err) {
      await this.close().catch(() => undefined);
      this.settle.reject(err);
      throw err;
    }
    void this.loop(handler);
  }

  /** Stops the loop after the batch in flight and closes; bounded as long as `fetch` and `close` heed the signal. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('the source is stopping'));
    if (!this.started) {
      this.started = true;
      await this.close().catch(() => undefined);
      this.settle.resolve();
    }
    await this.done.catch(() => undefined);
  }

  protected get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Aborts once `stop` is called. */
  protected get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /**
   * Fetches and handles batches in order. With a pipelining handler the
   * next batch is fetched and prepared while the previous one applies and
   * commits; the applies, and so the commits, stay one at a time and in
   * order, and a failure of one stops the loop before any later batch
   * applies.
   */
  private async loop(handler: BatchHandler): Promise<void> {
    const signal = this.stopping.signal;
    let failure: unknown = null;
    let inFlight: Promise<void> | null = null;
    try {
      while (!signal.aborted) {
        if (!this.fetchesWhileApplying && inFlight !== null) {
          await inFlight;
          inFlight = null;
        }
        const fetched = await this.fetchBeside(inFlight, signal);
        if (fetched === 'end') break;
        if (fetched === 'idle') continue;
        let rest: (signal: AbortSignal) => Promise<void>;
        try {
          rest = restOf(fetched, handler);
        } finally {
          // What came before is applied and committed first, whether or not this batch could be prepared.
          if (inFlight !== null) await inFlight;
        }
        inFlight = rest(signal);
        inFlight.catch(() => undefined);
      }
      if (inFlight !== null) await inFlight;
    } catch (err) {
      if (!signal.aborted) failure = err;
      await inFlight?.catch(() => undefined);
    }
    try {
      await this.close();
    } catch (err) {
      failure ??= err;
    }
    if (failure === null) this.settle.resolve();
    else this.settle.reject(failure);
  }

  /** Fetches while the batch in flight applies; gives up the fetch (and fails) as soon as that batch fails. */
  private async fetchBeside(inFlight: Promise<void> | null, signal: AbortSignal): Promise<Fetched> {
    if (inFlight === null) return this.fetch(signal);
    const giveUp = new AbortController();
    const fetching = this.fetch(AbortSignal.any([signal, giveUp.signal]));
    try {
      return await Promise.race([fetching, inFlight.then(() => fetching)]);
    } catch (err) {
      giveUp.abort(new Error('the batch in flight failed'));
      await fetching.catch(() => undefined);
      throw err;
    }
  }
}

/** What remains to do for a fetched batch once it is prepared. */
function restOf(batch: SourceBatch, handler: BatchHandler): (signal: AbortSignal) => Promise<void> {
  if (batch.records.length === 0) return () => batch.commit();
  if (handler.prepare !== undefined) return handler.prepare(batch);
  return (signal) => handler(batch, signal);
}
