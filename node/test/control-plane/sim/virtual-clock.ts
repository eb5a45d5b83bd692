import type { MonotonicClock } from '../../../src/control-plane/clock.js';

/** Simulated time: moves only when the event loop takes the next event. */
export class VirtualClock implements MonotonicClock {
  private time = 0;

  now(): number {
    return this.time;
  }

  advanceTo(time: number): void {
    if (time < this.time) throw new Error(`virtual time cannot go back from ${this.time} to ${time}`);
    this.time = time;
  }
}
