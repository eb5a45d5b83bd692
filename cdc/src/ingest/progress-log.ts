import type { Logger } from 'pino';
import type { CdcMetrics } from './cdc-metrics.js';
import type { IngestTotals } from './ingester.js';

/** Logs progress (events/s, applied, stale, dead-lettered, lag) every `intervalMs`, and sets the events/s gauge. */
export class ProgressLog {
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; records: number };

  constructor(
    private readonly totals: IngestTotals,
    private readonly metrics: CdcMetrics,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {
    this.last = { at: performance.now(), records: 0 };
  }

  start(): void {
    this.timer = setInterval(() => this.report(), this.intervalMs);
    this.timer.unref();
  }

  /** Logs once now (also at shutdown). */
  report(message = 'progress'): void {
    const now = performance.now();
    const t = this.totals;
    const seconds = Math.max((now - this.last.at) / 1_000, 1e-3);
    const eventsPerSecond = Math.round(((t.records - this.last.records) / seconds) * 10) / 10;
    this.last = { at: now, records: t.records };
    this.metrics.eventsPerSecond.set(eventsPerSecond);
    const lagMs = t.newestSourceTsMs === null ? null : Math.max(0, Date.now() - t.newestSourceTsMs);
    this.log.info({ eventsPerSecond, records: t.records, applied: t.applied, stale: t.stale, truncates: t.truncates, skipped: t.skipped, deadLettered: t.deadLettered, batches: t.batches, lagMs }, message);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
