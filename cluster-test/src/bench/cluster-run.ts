import type { BenchConfig } from './bench-config.js';
import { log } from './bench-session.js';
import { type ClusterComparison, measureClusterThroughput } from './cluster-workloads.js';
import type { Dataset } from './dataset.js';
import { type FailoverResult, measureFailover } from './failover-workload.js';
import { currentLoad } from './machine-info.js';
import type { MetricResult } from './metric.js';
import { type RebalanceResult, measureRebalance } from './rebalance-workload.js';

/** A scenario's result, or why it did not complete: one failing scenario must not hide the others' numbers. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The cluster part of a run. */
export interface ClusterRunResult {
  /** 1-minute load average when the cluster scenarios started. */
  readonly loadAverage: number;
  readonly throughput: Outcome<ClusterComparison[]>;
  readonly failover: Outcome<FailoverResult>;
  readonly rebalance: Outcome<RebalanceResult>;
}

/**
 * Runs the cluster scenarios one after the other, after the single node and
 * Redis have stopped: on two cores, anything else running would be measured too.
 */
export async function measureCluster(config: BenchConfig, data: Dataset, single: readonly MetricResult[], notes: string[]): Promise<ClusterRunResult> {
  const loadAverage = currentLoad();
  log(`cluster scenarios: 1-minute load average ${loadAverage.toFixed(2)}`);
  const throughput = await attempt('3-node throughput', () => measureClusterThroughput(config, data, single, notes));
  const failover = await attempt('failover', () => measureFailover());
  const rebalance = await attempt('rebalance', () => measureRebalance());
  return { loadAverage, throughput, failover, rebalance };
}

async function attempt<T>(name: string, work: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await work();
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (err) {
    // The whole error (with the nodes' log tails) on the terminal; its first line goes in the report.
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`${name} did not complete:\n${text}`);
    return { ok: false, error: (err instanceof Error ? err.message : String(err)).split('\n')[0]! };
  }
}

/** Whether every scenario completed. */
export function clusterCompleted(result: ClusterRunResult): boolean {
  return result.throughput.ok && result.failover.ok && result.rebalance.ok;
}
