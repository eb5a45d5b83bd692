import type { Clock, TimerHandle } from './clock.js';
import type { ShoalError } from './protocol/errors.js';

/**
 * Waits on the injected clock that `close` can cut short: every timer it
 * started is cleared and every waiter rejected, so nothing stays running
 * after the client closes.
 */
export class Delays {
  private readonly waiting = new Map<TimerHandle, (error: ShoalError) => void>();
  private closedWith: ShoalError | undefined;

  constructor(private readonly clock: Clock) {}

  /** Resolves after `ms`; rejects with the close reason if closed first. */
  sleep(ms: number): Promise<void> {
    return this.within(new Promise<never>(() => {}), ms);
  }

  /** Resolves when `promise` settles (either way) or after `ms`, whichever comes first. */
  within(promise: Promise<unknown>, ms: number): Promise<void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise<void>((resolve, reject) => {
      const handle = this.clock.setTimeout(() => done(), Math.max(0, ms));
      const done = (): void => {
        if (!this.waiting.delete(handle)) return;
        this.clock.clear(handle);
        resolve();
      };
      this.waiting.set(handle, reject);
      promise.then(done, done);
    });
  }

  /** Clears every timer and rejects every waiter with `reason`; later waits reject at once. */
  close(reason: ShoalError): void {
    this.closedWith = reason;
    for (const [handle, reject] of this.waiting) {
      this.clock.clear(handle);
      reject(reason);
    }
    this.waiting.clear();
  }
}
