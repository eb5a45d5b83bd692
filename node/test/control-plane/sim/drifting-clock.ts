import type { MonotonicClock } from '../../../src/control-plane/clock.js';
import type { VirtualClock } from './virtual-clock.js';

/**
 * One node's clock, running at `rate` times virtual time, as a real quartz
 * runs a little fast or slow. Leases and timeouts are measured on it, so the
 * simulation checks that the lease keeps its margin against drift.
 */
export class DriftingClock implements MonotonicClock {
  constructor(
    private readonly virtual: VirtualClock,
    readonly rate: number,
  ) {}

  now(): number {
    return this.virtual.now() * this.rate;
  }

  /** The earliest virtual time at which this clock reads at least `localTime`. */
  virtualTimeOf(localTime: number): number {
    let virtual = localTime / this.rate;
    // Division can round down; a tick that finds its deadline not yet reached would be rescheduled forever.
    while (virtual * this.rate < localTime) virtual += Math.max(Math.abs(virtual) * Number.EPSILON, Number.MIN_VALUE);
    return virtual;
  }
}
