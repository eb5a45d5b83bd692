import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Dataset } from './dataset.js';
import type { MetricSpec } from './metric.js';

/** What a workload gets to run against one target. */
export interface WorkloadContext {
  readonly target: BenchTarget;
  readonly data: Dataset;
  readonly config: BenchConfig;
  /** Oddities seen while measuring (e.g. reads that found nothing), reported after the table. */
  readonly notes: string[];
}

/** One measured scenario, run the same way on every target. */
export interface Workload {
  readonly name: string;
  /** The table lines it produces, in the order `run` returns their values. */
  readonly metrics: readonly MetricSpec[];
  /** Rounds per system; the run's `rounds` when absent. */
  readonly rounds?: number;
  /** The step timeout of one round on one system. */
  timeoutMs(config: BenchConfig): number;
  run(context: WorkloadContext): Promise<readonly number[]>;
}

/** The step timeout of a throughput workload: warm-up + measurement + slack. */
export function throughputTimeout(config: BenchConfig): number {
  return Math.round(config.durationMs * 1.34) + 60_000;
}
