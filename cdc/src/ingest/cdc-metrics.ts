import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingester's Prometheus metrics, served at its own `/metrics`. */
export class CdcMetrics {
  readonly registry = new Registry();
  readonly records: Counter;
  readonly applied: Counter<'cache'>;
  readonly stale: Counter<'cache'>;
  readonly truncates: Counter<'cache'>;
  readonly skipped: Counter<'kind'>;
  readonly deadLettered: Counter<'code'>;
  readonly batches: Counter;
  readonly retries: Counter;
  readonly batchSeconds: Histogram;
  readonly lagSeconds: Gauge;
  readonly eventsPerSecond: Gauge;
  readonly lastCommit: Gauge;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.records = new Counter({ name: 'shoal_cdc_records_total', help: 'Records received from the source', registers });
    this.applied = new Counter({ name: 'shoal_cdc_changes_applied_total', help: 'Row changes the grid applied', labelNames: ['cache'], registers });
    this.stale = new Counter({ name: 'shoal_cdc_changes_stale_total', help: 'Row changes skipped as older than the row the grid holds', labelNames: ['cache'], registers });
    this.truncates = new Counter({ name: 'shoal_cdc_truncates_total', help: 'Truncates applied (caches cleared)', labelNames: ['cache'], registers });
    this.skipped = new Counter({ name: 'shoal_cdc_events_skipped_total', help: 'Events with nothing to write (tombstones, transaction metadata, heartbeats, schema changes, messages)', labelNames: ['kind'], registers });
    this.deadLettered = new Counter({ name: 'shoal_cdc_dead_letters_total', help: 'Records set aside in the dead-letter sink, by reason code', labelNames: ['code'], registers });
    this.batches = new Counter({ name: 'shoal_cdc_batches_total', help: 'Batches applied and committed', registers });
    this.retries = new Counter({ name: 'shoal_cdc_apply_retries_total', help: 'Batch applies retried because the grid was unavailable', registers });
    this.batchSeconds = new Histogram({
      name: 'shoal_cdc_batch_duration_seconds',
      help: 'Time from receiving a batch to committing it',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.lagSeconds = new Gauge({ name: 'shoal_cdc_lag_seconds', help: 'Now minus source.ts_ms of the newest change applied', registers });
    this.eventsPerSecond = new Gauge({ name: 'shoal_cdc_events_per_second', help: 'Records per second over the last progress interval', registers });
    this.lastCommit = new Gauge({ name: 'shoal_cdc_last_commit_timestamp_seconds', help: 'When a batch was last committed (Unix seconds)', registers });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
