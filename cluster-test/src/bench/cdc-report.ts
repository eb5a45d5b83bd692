import { CDC_INGEST, type IngestResult } from './cdc-ingest-workload.js';
import { CDC_LAG, type LagResult, type LagRun, sustained } from './cdc-lag-workload.js';
import { MAX_POST_EVENTS } from './cdc-paced-producer.js';
import type { CdcRunResult } from './cdc-run.js';
import { POLL_INTERVAL_MS } from './cdc-visibility-reader.js';
import type { Outcome } from './cluster-run.js';
import { markdownGrid, textGrid } from './results-table.js';

/** Where the CDC part of a BENCHMARKS.md section starts and ends, so that `cdc-bench` can replace it alone. */
export const CDC_PART_START = '<!-- cdc -->';
export const CDC_PART_END = '<!-- /cdc -->';

const MET = '✅ met';
const MISSED = '❌ missed';
/** Whole numbers with thousands separated (latencies, rates and counts alike). */
const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x));

interface Grid {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const ingestMet = (r: IngestResult) => r.ratio >= CDC_INGEST.target.ratio;
const lagMet = (run: LagRun) => sustained(run) && run.p99Ms < CDC_LAG.target.p99Ms;

function ingestGrid(r: IngestResult): Grid {
  return {
    title: `CDC ingest: ${n(r.events)} Debezium JSON events with schemas (${n(r.fileBytes / r.events)} bytes each, ~1 KB rows), medians of ${r.rounds} round${r.rounds === 1 ? '' : 's'}`,
    header: ['metric', 'value', 'target', 'verdict'],
    rows: [
      ['shoal cdc: file source → decode → map → applyChanges, one batch at a time (events/s)', n(r.ingestPerSecond), 'report only', '—'],
      [`SDK putAll of the same decoded rows, ${CDC_INGEST.batchSize} per call, one call at a time (rows/s)`, n(r.putAllPerSecond), 'report only', '—'],
      ['ingest / putAll (each round over its own putAll, median)', r.ratio.toFixed(2), `≥ ${CDC_INGEST.target.ratio}`, ingestMet(r) ? MET : MISSED],
    ],
  };
}

function lagRow(run: LagRun, target: boolean): string[] {
  const verdict = target ? (lagMet(run) ? MET : MISSED) : '—';
  const goal = target ? `p99 < ${CDC_LAG.target.p99Ms} ms, rate sustained` : 'report only (below saturation)';
  const unseen = run.unseen > 0 ? ` (${n(run.unseen)} never seen)` : '';
  return [n(run.targetRate), n(run.achievedRate), n(run.backlogAtEnd), n(run.p50Ms), n(run.p99Ms), n(run.maxMs), `${n(run.samples)}${unseen}`, goal, verdict];
}

function lagGrid(r: LagResult): Grid {
  return {
    title: `CDC change-to-visible lag (shoal cdc process behind its HTTP source, ${CDC_LAG.measureMs / 1000} s after ${CDC_LAG.warmUpMs / 1000} s of warm-up)`,
    header: ['events/s asked', 'achieved', 'backlog at the end', 'p50 (ms)', 'p99 (ms)', 'max (ms)', 'changes followed', 'target', 'verdict'],
    rows: [lagRow(r.atTarget, true), ...(r.belowSaturation === null ? [] : [lagRow(r.belowSaturation, false)])],
  };
}

function grids(result: CdcRunResult): (Grid | string)[] {
  const pick = <T>(outcome: Outcome<T>, what: string, grid: (value: T) => Grid): Grid | string =>
    outcome.ok ? grid(outcome.value) : `**${what}** did not complete: ${outcome.error}`;
  return [pick(result.ingest, 'CDC ingest throughput', ingestGrid), pick(result.lag, 'CDC lag', lagGrid)];
}

/** One sentence per missed CDC target, and per scenario that did not complete. */
export function missedCdcTargets(result: CdcRunResult): string[] {
  const missed: string[] = [];
  if (!result.ingest.ok) missed.push('CDC ingest throughput did not complete');
  else if (!ingestMet(result.ingest.value)) missed.push(`CDC ingest / putAll = ${result.ingest.value.ratio.toFixed(2)}, target ≥ ${CDC_INGEST.target.ratio}`);
  if (!result.lag.ok) missed.push('CDC lag did not complete');
  else if (!lagMet(result.lag.value.atTarget)) {
    const run = result.lag.value.atTarget;
    const rate = sustained(run) ? 'sustained' : `not sustained (achieved ${n(run.achievedRate)}/s)`;
    missed.push(`CDC lag at ${n(run.targetRate)} events/s: p99 ${n(run.p99Ms)} ms, rate ${rate}; target p99 < ${CDC_LAG.target.p99Ms} ms at that rate`);
  }
  return missed;
}

/** The CDC tables for the terminal, and the targets they missed. */
export function cdcConsole(result: CdcRunResult): string {
  const parts = grids(result).map((g) => (typeof g === 'string' ? g : `${g.title}\n${textGrid(g.header, g.rows)}`));
  const missed = missedCdcTargets(result);
  const verdict = missed.length === 0 ? 'Every CDC target was met.' : `CDC targets missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`;
  return [...parts, verdict].join('\n\n');
}

/** The CDC part of a BENCHMARKS.md section, between its markers. */
export function cdcMarkdown(result: CdcRunResult): string {
  const intro =
    `**CDC.** A fresh single \`shoal node\`; events are PostgreSQL-connector Debezium envelopes with the JSON converter's schemas ` +
    `(13 columns: a Decimal(12,2), two MicroTimestamps, a Json column, text; the schema is about four fifths of each event). ` +
    `Ingest: \`shoal cdc\`'s own code (\`startCdc\`) on a thread of the client process with a heap of its own (as its own process has) ` +
    `reads an NDJSON file (a value per line, \`--key products=id\`, checkpoint fsynced after each batch of ${CDC_INGEST.batchSize}), ` +
    `decodes, maps and applies versioned changes; the SDK puts the very rows the decoder produced with \`putAll\`, same batch size, ` +
    `one call in flight as the ingester has; fresh caches each round, both the SQL table the ingester makes of these events, created ` +
    `before the clock starts; rounds alternate which goes first, after one uncounted round of each, and each side starts after a full ` +
    `garbage collection on the node; the ratio is the median of each round's ingest over its own putAll. Lag: \`shoal cdc\` in its own process behind its HTTP source; a producer makes updates of the ` +
    `same rows at a fixed rate (a change's creation time is when it was due) and posts what is due as one JSON array, at most ` +
    `${n(MAX_POST_EVENTS)} events, one POST in flight, as Debezium Server's HTTP sink does (without its poll interval); a reader follows ` +
    `${CDC_LAG.samplesPerSecond} changes a second, posted within the measured window, with \`getAll\` every ${POLL_INTERVAL_MS} ms until ` +
    `each row shows it; achieved = changes acknowledged per second in the window. When ${n(CDC_LAG.eventsPerSecond)}/s is not sustained, ` +
    `a second run at ${CDC_LAG.fallbackShare * 100}% of the achieved rate shows the lag below saturation. ` +
    `1-minute load average at the start of the CDC scenarios: ${result.loadAverage.toFixed(2)}.`;
  const tables = grids(result).map((g) => (typeof g === 'string' ? g : [`*${g.title}*`, markdownGrid(g.header, g.rows)].join('\n\n')));
  const missed = missedCdcTargets(result);
  const verdict = missed.length === 0 ? 'Every CDC target was met in this run.' : `CDC targets missed in this run: ${missed.join('; ')}.`;
  return [CDC_PART_START, intro, ...tables, verdict, CDC_PART_END].join('\n\n');
}
