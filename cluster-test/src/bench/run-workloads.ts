import type { BenchConfig } from './bench-config.js';
import { log } from './bench-session.js';
import type { BenchTarget } from './bench-target.js';
import type { Dataset } from './dataset.js';
import type { MetricResult } from './metric.js';
import { withTimeout } from './with-timeout.js';
import type { Workload } from './workload.js';

/**
 * Runs every workload `rounds` times on each target, alternating which target goes first so that
 * drift in the machine's load hits both alike, and reports the median of each metric.
 */
export async function runWorkloads(
  workloads: readonly Workload[],
  targets: readonly [BenchTarget, BenchTarget],
  data: Dataset,
  config: BenchConfig,
  notes: string[],
): Promise<MetricResult[]> {
  const results: MetricResult[] = [];
  for (const workload of workloads) {
    const rounds = workload.rounds ?? config.rounds;
    const samples: [(readonly number[])[], (readonly number[])[]] = [[], []];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const t of order) samples[t]!.push(await runOnce(workload, targets[t]!, data, config, notes, `${round + 1}/${rounds}`));
    }
    workload.metrics.forEach((spec, i) => {
      results.push({ spec, shoal: median(samples[0].map((s) => s[i]!)), redis: median(samples[1].map((s) => s[i]!)) });
    });
  }
  return results;
}

async function runOnce(workload: Workload, target: BenchTarget, data: Dataset, config: BenchConfig, notes: string[], round: string): Promise<readonly number[]> {
  const step = `${workload.name} on ${target.name}`;
  const started = performance.now();
  const measured = await withTimeout(step, workload.timeoutMs(config), () => workload.run({ target, data, config, notes }));
  const summary = workload.metrics.map((m, i) => `${Math.round(measured[i]!).toLocaleString('en-US')} ${m.unit}`);
  log(`${step} [${round}]: ${summary.join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return measured;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
