import { CommitLine } from './commit-line.js';
import type { BatchHandler, CommitStep, PreparedBatch, Source, SourceBatch } from './source.js';

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
   * next batch is fetched and prepared while the previous one applies, and
   * applies while the previous one commits (see `CommitLine`); applies are
   * one at a time and in order, commits likewise, and a failure of either
   * stops the loop before any later batch applies or commits.
   */
  private async loop(handler: BatchHandler): Promise<void> {
    const signal = this.stopping.signal;
    const commits = new CommitLine();
    let failure: unknown = null;
    let applying: Promise<CommitStep> | null = null;
    // The commits up to the batch before the one applying: at most one commit waits behind the applies.
    let committedBefore: Promise<void> = commits.settled;
    try {
      while (!signal.aborted) {
        if (!this.fetchesWhileApplying) await commits.settled;
        const fetched = await this.fetchBeside(applying === null ? null : commits.settled, signal);
        if (fetched === 'end') break;
        if (fetched === 'idle') continue;
        let apply: PreparedBatch;
        try {
          apply = restOf(fetched, handler);
        } finally {
          // What came before is applied (and the one before it committed) first, whether or not this batch could be prepared.
          if (applying !== null) await applying;
          await committedBefore;
        }
        applying = apply(signal);
        committedBefore = commits.settled;
        void commits.add(applying);
      }
      await commits.settled;
    } catch (err) {
      if (!signal.aborted) failure = err;
      await commits.settled.catch(() => undefined);
    }
    try {
      await this.close();
    } catch (err) {
      failure ??= err;
    }
    if (failure === null) this.settle.resolve();
    else this.settle.reject(failure);
  }

  /** Fetches while the batches in flight apply and commit; gives up the fetch (and fails) as soon as one of them fails. */
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

/** What remains to do for a fetched batch once it is prepared: its apply, resolving with its commit. */
function restOf(batch: SourceBatch, handler: BatchHandler): PreparedBatch {
  if (batch.records.length === 0) return async () => () => batch.commit();
  if (handler.prepare !== undefined) return handler.prepare(batch);
  // A handler that cannot pipeline commits as it applies.
  return async (signal) => {
    await handler(batch, signal);
    return async () => undefined;
  };
}
