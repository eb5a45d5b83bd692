import { ShoalError } from '@shoal/client';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import { applyPlan, type ApplyOutcome } from '../apply/apply-batch.js';
import { planBatch, type MappedRecord } from '../apply/batch-plan.js';
import type { ChangeTarget } from '../apply/grid-writer.js';
import { tryDecodeRecord, type DecodeOptions } from '../decode/index.js';
import { CdcEventError, type SetAsideReason } from '../errors.js';
import type { EventMapper } from '../mapping/event-mapper.js';
import type { CdcMetrics } from './cdc-metrics.js';
import { deadLetterEntry, type DeadLetterSink } from './dead-letter.js';
import type { BatchHandler, PreparedBatch, SourceBatch, SourceRecord } from './source.js';

const defaultApplyPartSize = 500;

export interface IngesterOptions {
  readonly target: ChangeTarget;
  readonly mapper: EventMapper;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: CdcMetrics;
  readonly log: Logger;
  /** Names the source in dead-letter entries. */
  readonly sourceName: string;
  readonly decode?: DecodeOptions;
  /** Largest part of a batch applied at once (default 500, `shoal cdc`'s batch size); see `handle`. */
  readonly applyPartSize?: number;
  /** Backoff bounds while the grid is unavailable (default 100 ms → 5 s). */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
}

/** What the ingester has done since it started. */
export interface IngestTotals {
  records: number;
  applied: number;
  stale: number;
  truncates: number;
  skipped: number;
  deadLettered: number;
  /** Batches applied; a batch larger than `applyPartSize` counts once per part. */
  batches: number;
  /** source.ts_ms of the newest change applied. */
  newestSourceTsMs: number | null;
}

/**
 * The consume → decode → apply → commit loop, shared by every source: each
 * batch is decoded record by record (failures go to the dead-letter sink),
 * mapped to versioned changes, applied (retrying while the grid is
 * unavailable, until the signal aborts), then dead letters are flushed and
 * the batch is committed. A pulling source decodes the next batch while
 * one applies (see `BatchHandler.prepare`).
 */
export class Ingester {
  readonly totals: IngestTotals = { records: 0, applied: 0, stale: 0, truncates: 0, skipped: 0, deadLettered: 0, batches: 0, newestSourceTsMs: null };
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly options: IngesterOptions) {
    const delays = options.retryDelayMs ?? { initial: 100, max: 5_000 };
    this.retryPolicy = retry(
      handleWhen((err) => err instanceof ShoalError && err.retryable),
      { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ExponentialBackoff({ initialDelay: delays.initial, maxDelay: delays.max }) },
    );
    this.retryPolicy.onRetry((event) => {
      options.metrics.retries.inc();
      const reason = 'error' in event ? event.error.message : 'unexpected result';
      options.log.warn({ reason, delayMs: Math.round(event.delay) }, 'grid unavailable, retrying the batch');
    });
  }

  /** Applies and commits one batch; rejects without committing when the grid fails for good or the signal aborts. */
  readonly handle: BatchHandler = Object.assign((batch: SourceBatch, signal: AbortSignal) => this.handleInParts(batch, signal), {
    prepare: (batch: SourceBatch) => this.prepare(batch),
  });

  /**
   * A large batch (an HTTP POST of 2,048 events) goes in parts of at most
   * `applyPartSize` records, each part decoded while the one before applies;
   * the parts apply in order and the batch is committed once, after the last.
   */
  private async handleInParts(batch: SourceBatch, signal: AbortSignal): Promise<void> {
    const size = this.options.applyPartSize ?? defaultApplyPartSize;
    if (batch.records.length <= size) {
      const commit = await this.prepare(batch)(signal);
      return commit();
    }
    let inFlight: Promise<void> | null = null;
    for (let from = 0; from < batch.records.length; from += size) {
      let apply: PreparedBatch;
      try {
        apply = this.prepare({ records: batch.records.slice(from, from + size), commit: async () => undefined });
      } finally {
        if (inFlight !== null) await inFlight;
      }
      // A part's commit only counts it: the batch is committed once, after the last part.
      inFlight = apply(signal).then((commit) => commit());
      inFlight.catch(() => undefined);
    }
    await inFlight;
    await batch.commit();
  }

  /**
   * Decodes, maps and plans a batch now (CPU only, so that a source can do
   * it for the next batch while this one waits on the grid); the function
   * returned sets aside what failed, applies and flushes the dead letters,
   * and resolves with the commit, which a pipelining source may run beside
   * the next batch's apply. Batches must be prepared in stream order:
   * mapping keeps state (a cache's table, the GTID source).
   */
  private prepare(batch: SourceBatch): PreparedBatch {
    const decodeStarted = performance.now();
    const { items, setAside } = this.decodeAll(batch.records);
    const plan = planBatch(items);
    const decodeMs = performance.now() - decodeStarted;
    return async (signal) => {
      // The batch's own time: its decoding, then its apply and commit (not the wait for the batch before it).
      const started = performance.now() - decodeMs;
      for (const { record, reason } of setAside) await this.setAside(record, reason);
      const outcome = await this.retryPolicy.execute(() => applyPlan(plan, this.options.target), signal);
      for (const { record, error } of outcome.refused) await this.setAside(batch.records[record]!, error.toDeadLetter());
      // Dead letters are flushed before the apply counts as done, so a commit never runs ahead of its batch's dead letters.
      await this.retryPolicy.execute(() => this.options.deadLetters.flush(), signal);
      return async () => {
        await batch.commit();
        this.count(batch, items, outcome);
        this.options.metrics.batchSeconds.observe((performance.now() - started) / 1_000);
        this.options.metrics.lastCommit.set(Date.now() / 1_000);
      };
    };
  }

  /** Decodes and maps each record; the ones that fail are noted, to be set aside in order before the batch applies. */
  private decodeAll(records: readonly SourceRecord[]): { items: MappedRecord[]; setAside: { record: SourceRecord; reason: SetAsideReason }[] } {
    const items: MappedRecord[] = [];
    const setAside: { record: SourceRecord; reason: SetAsideReason }[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.setAside !== undefined) {
        setAside.push({ record, reason: record.setAside });
        continue;
      }
      const decoded = tryDecodeRecord(record, this.options.decode);
      if (!decoded.ok) {
        setAside.push({ record, reason: decoded.error.toDeadLetter() });
        continue;
      }
      try {
        items.push({ mapped: this.options.mapper.map(decoded.event), record: i });
      } catch (err) {
        if (!(err instanceof CdcEventError)) throw err;
        setAside.push({ record, reason: err.toDeadLetter() });
      }
    }
    return { items, setAside };
  }

  private async setAside(record: SourceRecord, reason: SetAsideReason): Promise<void> {
    const entry = deadLetterEntry(this.options.sourceName, record, reason);
    await this.options.deadLetters.write(entry);
    this.totals.deadLettered++;
    this.options.metrics.deadLettered.labels(reason.code).inc();
    this.options.log.warn({ code: reason.code, reason: reason.reason, path: reason.path, topic: record.topic, offset: record.offset }, 'event set aside in the dead-letter sink');
  }

  private count(batch: SourceBatch, items: readonly MappedRecord[], outcome: ApplyOutcome): void {
    const { metrics } = this.options;
    const t = this.totals;
    t.records += batch.records.length;
    t.applied += outcome.applied;
    t.stale += outcome.stale;
    t.truncates += outcome.truncates;
    t.batches++;
    metrics.records.inc(batch.records.length);
    metrics.batches.inc();
    for (const [cache, c] of outcome.perCache) {
      if (c.applied > 0) metrics.applied.labels(cache).inc(c.applied);
      if (c.stale > 0) metrics.stale.labels(cache).inc(c.stale);
      if (c.truncates > 0) metrics.truncates.labels(cache).inc(c.truncates);
    }
    for (const { mapped } of items) {
      if (mapped.kind === 'skip') {
        t.skipped++;
        metrics.skipped.labels(mapped.eventKind).inc();
      } else if (mapped.sourceTsMs !== null) {
        t.newestSourceTsMs = Math.max(t.newestSourceTsMs ?? mapped.sourceTsMs, mapped.sourceTsMs);
      }
    }
    if (t.newestSourceTsMs !== null) metrics.lagSeconds.set(Math.max(0, Date.now() - t.newestSourceTsMs) / 1_000);
  }
}
