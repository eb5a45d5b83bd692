/** Time as the control plane sees it; injected so the simulation can run on virtual time. */
export interface MonotonicClock {
  /** Milliseconds from an arbitrary origin; never goes backwards. */
  now(): number;
}

/**
 * The real clock. `performance.now()` rather than `Date.now()`: leases and
 * election timeouts measure intervals, and wall-clock steps (NTP, an operator
 * setting the date) must not stretch or shrink them.
 */
export const monotonicClock: MonotonicClock = {
  now: () => performance.now(),
};
