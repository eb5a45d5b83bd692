import type { BenchConfig } from './bench-config.js';
import { log } from './bench-session.js';
import { batchGet } from './batch-and-counter-workloads.js';
import { waitForSettled } from './cluster-probe.js';
import { withLocalCluster } from './cluster-session.js';
import { ClusterTarget } from './cluster-target.js';
import type { Dataset } from './dataset.js';
import { concurrentPut } from './key-value-workloads.js';
import { loadAndVerify } from './load-and-verify.js';
import type { MetricResult } from './metric.js';
import { median } from './run-workloads.js';
import { withTimeout } from './with-timeout.js';
import type { Workload } from './workload.js';

/** Nodes of the throughput cluster, and the backups of its cache (writeSync stays full, the default). */
export const CLUSTER_NODES = 3;
export const CLUSTER_BACKUPS = 1;

/** The single-node workloads the cluster runs too, unchanged (same shapes, same code), and their line in the cluster table. */
const CLUSTER_WORKLOADS: readonly { readonly workload: Workload; readonly label: string }[] = [
  { workload: concurrentPut, label: 'concurrent put (ops/s)' },
  { workload: batchGet, label: 'getAll(100) (keys/s)' },
];

/** One workload's number on the cluster beside the single node's. */
export interface ClusterComparison {
  readonly label: string;
  readonly unit: string;
  readonly cluster: number;
  readonly single: number;
}

/**
 * Runs the put and getAll(100) throughput workloads from one client against
 * a 3-node cluster, `config.rounds` times each, and pairs each median with
 * the single node's median from the same run.
 */
export async function measureClusterThroughput(
  config: BenchConfig,
  data: Dataset,
  single: readonly MetricResult[],
  notes: string[],
): Promise<ClusterComparison[]> {
  return withLocalCluster(CLUSTER_NODES, async (cluster) => {
    const target = await ClusterTarget.connect(cluster.endpoints(), CLUSTER_BACKUPS);
    try {
      await waitForSettled(cluster, CLUSTER_NODES);
      const step = `load ${data.keys.length.toLocaleString('en-US')} keys into ${target.name}`;
      await withTimeout(step, 120_000, () => loadAndVerify(target, data, config));
      log(`${step}: done, verified`);
      const comparisons: ClusterComparison[] = [];
      for (const { workload, label } of CLUSTER_WORKLOADS) {
        const samples: number[] = [];
        for (let round = 0; round < config.rounds; round++) {
          const [value] = await withTimeout(`${workload.name} on ${target.name}`, workload.timeoutMs(config), () => workload.run({ target, data, config, notes }));
          log(`${workload.name} on ${target.name} [${round + 1}/${config.rounds}]: ${Math.round(value!).toLocaleString('en-US')} ${workload.metrics[0]!.unit}`);
          samples.push(value!);
        }
        comparisons.push(compare(workload, label, median(samples), single));
      }
      return comparisons;
    } finally {
      await target.close();
    }
  });
}

/** Pairs the cluster's median with the single node's line of the same workload (matched by its label there). */
function compare(workload: Workload, label: string, cluster: number, single: readonly MetricResult[]): ClusterComparison {
  const spec = workload.metrics[0]!;
  const match = single.find((r) => r.spec.label === spec.label);
  if (match === undefined) throw new Error(`the single-node run has no '${spec.label}' to compare the cluster with`);
  return { label, unit: spec.unit, cluster, single: match.shoal };
}
