import type { BenchConfig } from './bench-config.js';
import { HAND_PLACEHOLDER } from './benchmarks-file.js';
import { clusterMarkdown } from './cluster-report.js';
import type { ClusterRunResult } from './cluster-run.js';
import { type MachineInfo, describeMachine } from './machine-info.js';
import type { MetricResult } from './metric.js';
import { markdownTable, missedTargets } from './results-table.js';

/**
 * The BENCHMARKS.md section of one run. The cluster part goes above the
 * hand-written paragraph, which updateBenchmarksFile keeps to the section's end.
 */
export function reportSection(machine: MachineInfo, config: BenchConfig, results: readonly MetricResult[], cluster?: ClusterRunResult): string {
  const missed = missedTargets(results);
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `## ${machine.date} — ${describeMachine(machine)}`,
    '',
    `One Shoal node (\`node --expose-gc node/dist/cli/main.js node\`) and one redis-server ` +
      `(\`--save '' --appendonly no\`) on 127.0.0.1, driven from one client process: the Shoal SDK, ` +
      `and ioredis with \`enableAutoPipelining\` (a plain ioredis connection for the one-at-a-time latency, its faster setting there). ${n(config.keyCount)} keys, ${config.valueLength}-byte values. ` +
      `Sequential latency over ${n(config.sequentialRequests)} gets; ${config.concurrency} requests in flight for get, ` +
      `put and increment; ${config.batchConcurrency} in flight for getAll/MGET of ${config.batchKeys} keys; ` +
      `${config.durationMs / 1000} s per throughput workload after a warm-up; each value is the median of ` +
      `${config.rounds} rounds, alternating which system goes first. Memory: growth after loading ` +
      `${n(config.memoryEntries)} entries (Shoal: heapUsed + external after a GC; Redis: used_memory), one round. ` +
      `1-minute load average at the start: ${machine.loadAverage.toFixed(2)}.`,
    '',
    markdownTable(results),
    '',
    missed.length === 0 ? 'Every target was met in this run.' : `Targets missed in this run: ${missed.join('; ')}.`,
    '',
    ...(cluster === undefined ? [] : [clusterMarkdown(cluster), '']),
    HAND_PLACEHOLDER,
    '',
  ].join('\n');
}
