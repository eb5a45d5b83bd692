import { parseArgs } from 'node:util';

/** The sizes and durations of one benchmark run. */
export interface BenchConfig {
  /** Keys loaded for the get/put/getAll workloads (`key:<i>`). */
  readonly keyCount: number;
  /** Characters (= bytes, ASCII) of every value. */
  readonly valueLength: number;
  /** Requests measured one at a time for the latency workload. */
  readonly sequentialRequests: number;
  /** Requests in flight for the concurrent get/put/increment workloads. */
  readonly concurrency: number;
  /** Keys per getAll / MGET. */
  readonly batchKeys: number;
  /** getAll / MGET requests in flight. */
  readonly batchConcurrency: number;
  /** How long each throughput workload is measured, in ms (the warm-up is a third of it). */
  readonly durationMs: number;
  /** Entries loaded for the memory measurement (`mem:<i>`). */
  readonly memoryEntries: number;
  /** Entries per putAll / MSET while loading. */
  readonly loadBatch: number;
  /** Load batches in flight. */
  readonly loadConcurrency: number;
  /** Times each workload runs on each system (alternating which goes first); the median is reported. */
  readonly rounds: number;
  /** Whether BENCHMARKS.md is written. */
  readonly writeReport: boolean;
}

const USAGE = `usage: npm run bench -- [--duration-ms N] [--rounds N] [--memory-entries N] [--no-report]
  --duration-ms N      measure each throughput workload for N ms (default 3000)
  --rounds N           run each workload N times per system, report the median (default 3)
  --memory-entries N   entries loaded for the memory measurement (default 1000000)
  --no-report          print the table but do not update BENCHMARKS.md`;

/** Reads the few flags the benchmark takes; throws with the usage text on bad input. */
export function benchConfig(argv: readonly string[]): BenchConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'duration-ms': { type: 'string' },
      'memory-entries': { type: 'string' },
      rounds: { type: 'string' },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError(USAGE);
  return {
    keyCount: 100_000,
    valueLength: 200,
    sequentialRequests: 20_000,
    concurrency: 200,
    batchKeys: 100,
    batchConcurrency: 8,
    durationMs: positive(values['duration-ms'], 3_000, '--duration-ms'),
    memoryEntries: positive(values['memory-entries'], 1_000_000, '--memory-entries'),
    loadBatch: 1_000,
    loadConcurrency: 8,
    rounds: positive(values.rounds, 3, '--rounds'),
    writeReport: !values['no-report'],
  };
}

/** A bad flag or `--help`: printed as is, without a stack. */
export class UsageError extends Error {}

function positive(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'\n${USAGE}`);
  return n;
}
