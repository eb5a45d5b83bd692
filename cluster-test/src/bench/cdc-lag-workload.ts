import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { log } from './bench-session.js';
import { CDC_TABLE, changeEventValue } from './cdc-events.js';
import { CdcIngesterProcess } from './cdc-ingester-process.js';
import { MAX_POST_EVENTS, PacedProducer, postEvents } from './cdc-paced-producer.js';
import { VisibilityReader } from './cdc-visibility-reader.js';
import { sleep } from './with-timeout.js';

/** The lag workload's settings. */
export const CDC_LAG = {
  eventsPerSecond: 10_000,
  /** Rows updated in turn (created first, not measured). */
  rows: 10_000,
  warmUpMs: 2_000,
  measureMs: 10_000,
  /**
   * Changes the reader follows per second, whatever the rate: each poll
   * reads their whole rows, and a heavier reader would take the CPU the
   * ingester needs on a small machine.
   */
  samplesPerSecond: 100,
  /** How long the reader may wait, after the producer stopped, for the followed changes to show. */
  drainMs: 60_000,
  target: { p99Ms: 100 },
  /** A rate that was not sustained is tried again at this share of what was achieved, to show the lag below saturation. */
  fallbackShare: 0.6,
} as const;

/** One run at one rate. */
export interface LagRun {
  readonly targetRate: number;
  /** Changes acknowledged by the ingester per second over the measured window. */
  readonly achievedRate: number;
  /** Changes due but not yet acknowledged when the window ended. */
  readonly backlogAtEnd: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Followed changes the reader never saw within the drain time. */
  readonly unseen: number;
}

/** The run at the target rate, and (when that rate was not sustained) one at a rate below what was achieved. */
export interface LagResult {
  readonly atTarget: LagRun;
  readonly belowSaturation: LagRun | null;
}

/** Whether the run kept up with its rate (within 3%). */
export function sustained(run: LagRun): boolean {
  return run.achievedRate >= run.targetRate * 0.97;
}

/**
 * Change-to-visible lag: `shoal cdc` in its own process behind its HTTP
 * source, a producer posting updates of ~1 KB rows at a fixed rate the way
 * Debezium Server does (`PacedProducer`), and a reader polling a sample of
 * the rows through the SDK until each change shows (`VisibilityReader`).
 */
export async function measureLag(endpoint: string): Promise<LagResult> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cdc-lag-'));
  const ingester = await CdcIngesterProcess.start(endpoint, dir);
  const grid = await Shoal.connect({ endpoints: [endpoint], clientName: 'shoal-bench-cdc-reader' });
  try {
    await createRows(ingester.url);
    const first = await runAtRate(ingester, grid, CDC_LAG.eventsPerSecond, CDC_LAG.rows + 1);
    log(`cdc lag at ${describeRun(first.run)}`);
    if (sustained(first.run)) return { atTarget: first.run, belowSaturation: null };
    const rate = Math.max(100, Math.floor((first.run.achievedRate * CDC_LAG.fallbackShare) / 100) * 100);
    const second = await runAtRate(ingester, grid, rate, first.nextSeq);
    log(`cdc lag at ${describeRun(second.run)}`);
    return { atTarget: first.run, belowSaturation: second.run };
  } catch (err) {
    const failure = ingester.failure;
    if (failure !== undefined && err instanceof Error) err.message += `\n${failure}`;
    throw err;
  } finally {
    await grid.close();
    await ingester.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Inserts every row once, as fast as the ingester takes them. */
async function createRows(url: string): Promise<void> {
  for (let from = 1; from <= CDC_LAG.rows; from += MAX_POST_EVENTS) {
    const events: string[] = [];
    for (let id = from; id < Math.min(from + MAX_POST_EVENTS, CDC_LAG.rows + 1); id++) events.push(changeEventValue(id, id, Date.now(), 'c'));
    await postEvents(url, events);
  }
}

/**
 * Runs the producer at `eventsPerSecond` for the warm-up and the measured
 * window. The reader follows the sampled changes posted within the window
 * (posted, not created: a producer that falls behind posts changes created
 * long before, and their lag is what a reader then sees). Returns the run
 * and the number the next run's first change takes (LSNs only grow).
 */
async function runAtRate(ingester: CdcIngesterProcess, grid: Shoal, eventsPerSecond: number, firstSeq: number): Promise<{ run: LagRun; nextSeq: number }> {
  const reader = new VisibilityReader(grid.cache<number, { seq?: unknown }>(CDC_TABLE));
  const window = { from: CDC_LAG.warmUpMs, to: CDC_LAG.warmUpMs + CDC_LAG.measureMs };
  const sampleEvery = Math.max(1, Math.round(eventsPerSecond / CDC_LAG.samplesPerSecond));
  const producer: PacedProducer = new PacedProducer({
    url: ingester.url,
    eventsPerSecond,
    rows: CDC_LAG.rows,
    firstSeq,
    onPost: (change) => {
      const postedAt = performance.now() - producer.startedAt;
      if (change.seq % sampleEvery === 0 && postedAt >= window.from && postedAt < window.to) reader.follow(change);
    },
  });
  reader.start();
  producer.start();
  await sleep(window.from);
  const atStart = producer.progress();
  await sleep(window.to - window.from);
  const atEnd = producer.progress();
  await producer.stop();
  const { lags, unseen } = await reader.finish(CDC_LAG.drainMs);
  if (ingester.failure !== undefined) throw new Error(ingester.failure);
  const sorted = [...lags].sort((a, b) => a - b);
  const run: LagRun = {
    targetRate: eventsPerSecond,
    achievedRate: ((atEnd.acked - atStart.acked) * 1_000) / (window.to - window.from),
    backlogAtEnd: atEnd.due - atEnd.acked,
    samples: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    unseen,
  };
  return { run, nextSeq: producer.progress().nextSeq };
}

/** The nearest-rank percentile of sorted values; NaN for none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export function describeRun(run: LagRun): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return (
    `${n(run.targetRate)} events/s: achieved ${n(run.achievedRate)}/s (backlog ${n(run.backlogAtEnd)} at the end), ` +
    `lag p50 ${n(run.p50Ms)} ms, p99 ${n(run.p99Ms)} ms, max ${n(run.maxMs)} ms over ${n(run.samples)} changes${run.unseen > 0 ? `, ${n(run.unseen)} never seen` : ''}`
  );
}
