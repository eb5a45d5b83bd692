import type { Clock, TimerHandle } from '../../src/clock.js';

interface Timer {
  at: number;
  every: number | null;
  fn: () => void;
}

/** A clock the test moves by hand: timers fire only inside `advance`. */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Set<Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.time + ms, every: null, fn };
    this.timers.add(timer);
    return timer;
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.time + ms, every: ms, fn };
    this.timers.add(timer);
    return timer;
  }

  clear(handle: TimerHandle): void {
    this.timers.delete(handle as Timer);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      if (due.every === null) this.timers.delete(due);
      else due.at += due.every;
      due.fn();
    }
    this.time = end;
  }
}
