import { ExponentialBackoff, type IBackoff, noJitterGenerator } from 'cockatiel';
import type { Clock } from './clock.js';
import type { Delays } from './delays.js';
import { ErrorCode } from './protocol/error-codes.js';
import { ShoalError } from './protocol/errors.js';

/** First and largest pause between two attempts of one call, in ms. */
export const RETRY_BACKOFF = { initialDelayMs: 10, maxDelayMs: 200 } as const;

/** The backoff between attempts: one step of it, immutable (`next` gives the following step). */
export type RetryBackoff = IBackoff<unknown>;

export interface RetryPolicyOptions {
  readonly clock: Clock;
  readonly delays: Delays;
  /** The deadline of a call, from its first attempt, in ms. */
  readonly requestTimeoutMs: number;
  /** Refreshes the partition map: coalesced with any refresh in flight, never rejects. */
  readonly refresh: () => Promise<void>;
  /** True once the client closed: nothing is retried then. */
  readonly isClosed: () => boolean;
}

/**
 * When an SDK call tries again: after a retryable error (NOT_PRIMARY,
 * UNAVAILABLE, PARTITION_LOST, CONNECTION_CLOSED) it refreshes the map and
 * waits a short backoff (10 ms doubling to 200 ms), until the call's deadline.
 * TIMEOUT is not retried: it is the deadline itself.
 */
export class RetryPolicy {
  private readonly backoff = new ExponentialBackoff({
    initialDelay: RETRY_BACKOFF.initialDelayMs,
    maxDelay: RETRY_BACKOFF.maxDelayMs,
    generator: noJitterGenerator,
  });

  constructor(private readonly options: RetryPolicyOptions) {}

  /** The retry state of one call, whose deadline starts now. */
  begin(): CallRetries {
    return new CallRetries(this.options, this.options.clock.now() + this.options.requestTimeoutMs, () => this.backoff.next());
  }
}

/** The retries of one call: its deadline and the last retryable error it met. */
export class CallRetries {
  private lastRetryable: ShoalError | undefined;

  constructor(
    private readonly options: RetryPolicyOptions,
    /** When the call gives up, on the client's clock. */
    readonly deadline: number,
    private readonly firstBackoff: () => RetryBackoff,
  ) {}

  /**
   * Decides after a failed attempt. Resolves with the backoff step it waited
   * (pass it to the next call) once the map was refreshed and the pause is
   * over: try again, with the same request id. Rejects with the error the
   * caller gets when the failure is final: not retryable, the client closed,
   * or the deadline passed (then the last retryable error, not the TIMEOUT it
   * ended with).
   */
  async afterFailure(err: unknown, previous?: RetryBackoff): Promise<RetryBackoff> {
    const retryable = this.retryableOrThrow(err);
    const backoff = previous === undefined ? this.firstBackoff() : previous.next(undefined);
    const { clock, delays } = this.options;
    const remaining = this.deadline - clock.now();
    try {
      await Promise.all([delays.sleep(Math.min(backoff.duration, remaining)), delays.within(this.options.refresh(), remaining)]);
    } catch (closed) {
      throw withCallerStack(closed);
    }
    if (this.options.isClosed() || clock.now() >= this.deadline) throw withCallerStack(retryable);
    return backoff;
  }

  private retryableOrThrow(err: unknown): ShoalError {
    if (!(err instanceof ShoalError)) throw err;
    if (err.code === ErrorCode.Timeout) throw withCallerStack(this.lastRetryable ?? err);
    if (!err.retryable || this.options.isClosed() || this.options.clock.now() >= this.deadline) throw withCallerStack(err);
    this.lastRetryable = err;
    return err;
  }
}

/**
 * The error was made in a socket callback; capturing its stack again here, in
 * the chain of awaits the caller is in, makes V8 list the caller's async frames.
 */
export function withCallerStack(err: unknown): unknown {
  if (err instanceof ShoalError) Error.captureStackTrace(err);
  return err;
}
