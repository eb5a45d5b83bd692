import { join } from 'node:path';
import { type BenchConfig, benchConfig } from './bench-config.js';
import { updateBenchmarksFile } from './benchmarks-file.js';
import { log, withBenchSession } from './bench-session.js';
import { batchGet, counterIncrement } from './batch-and-counter-workloads.js';
import { withCdcPart } from './cdc-benchmarks-file.js';
import { cdcConsole, cdcMarkdown } from './cdc-report.js';
import { cdcCompleted, measureCdc } from './cdc-run.js';
import { clusterConsole, missedClusterTargets } from './cluster-report.js';
import { type ClusterRunResult, clusterCompleted, measureCluster } from './cluster-run.js';
import { Dataset } from './dataset.js';
import { concurrentGet, concurrentPut, sequentialGet } from './key-value-workloads.js';
import { loadAndVerify } from './load-and-verify.js';
import { busyWarning, currentLoad, describeMachine, machineInfo } from './machine-info.js';
import { memoryPerEntry } from './memory-workload.js';
import type { MetricResult } from './metric.js';
import { reportSection } from './report-section.js';
import { REPO_ROOT } from './repo-root.js';
import { consoleTable, missedTargets } from './results-table.js';
import { runWorkloads } from './run-workloads.js';
import { missedSqlTargets } from './sql-bench-report.js';
import { runSqlBench, sqlOutcomeConsole, withSqlSection } from './sql-bench.js';
import { withTimeout } from './with-timeout.js';
import { runBenchEntry } from './bench-entry.js';

/** In this order; the memory step drops the workload keys, so it comes last. */
const WORKLOADS = [sequentialGet, concurrentGet, concurrentPut, batchGet, counterIncrement, memoryPerEntry];

interface RunOutcome {
  readonly results: MetricResult[];
  readonly redisVersion: string;
  readonly nodeProblems: readonly string[];
}

async function measure(config: BenchConfig, data: Dataset, notes: string[]): Promise<RunOutcome> {
  return withBenchSession(async ({ node, redis, targets }) => {
    for (const target of targets) {
      const step = `load ${data.keys.length.toLocaleString('en-US')} keys into ${target.name}`;
      await withTimeout(step, 120_000, () => loadAndVerify(target, data, config));
      log(`${step}: done, verified`);
    }
    const results = await runWorkloads(WORKLOADS, targets, data, config, notes);
    return { results, redisVersion: redis.version, nodeProblems: node.problems };
  });
}

function printOutcome(outcome: RunOutcome, cluster: ClusterRunResult, notes: readonly string[]): void {
  const missed = [...missedTargets(outcome.results), ...missedClusterTargets(cluster)];
  process.stdout.write(`\n${consoleTable(outcome.results)}\n\n`);
  process.stdout.write(`${clusterConsole(cluster)}\n\n`);
  process.stdout.write(missed.length === 0 ? 'All targets met.\n' : `Targets missed:\n${missed.map((m) => `  - ${m}\n`).join('')}`);
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  if (outcome.nodeProblems.length > 0) {
    process.stdout.write(`the Shoal node logged ${outcome.nodeProblems.length} warning/error line(s); the last ones:\n`);
    for (const line of outcome.nodeProblems.slice(-10)) process.stdout.write(`  ${line}\n`);
  }
}

async function main(): Promise<void> {
  const config = benchConfig(process.argv.slice(2));
  const notes: string[] = [];
  const load = currentLoad();
  const busy = busyWarning(load);
  if (busy !== undefined) log(`warning: ${busy}`);
  // One dataset for the single node and the cluster: both then read and write the very same keys.
  const data = new Dataset(config.keyCount, config.valueLength);
  const outcome = await measure(config, data, notes);
  // After the single-node session has stopped its servers, so the cluster has the machine to itself.
  const cluster = await measureCluster(config, data, outcome.results, notes);
  // Then SQL beside SQLite on the same 1M rows, on a fresh node of its own.
  const sql = await runSqlBench();
  // Then the CDC ingester, on a fresh node of its own.
  const cdc = await measureCdc(config.rounds);
  const machine = machineInfo(outcome.redisVersion, load);
  process.stdout.write(`\n${machine.date} — ${describeMachine(machine)}\n`);
  printOutcome(outcome, cluster, notes);
  process.stdout.write(`\n${sqlOutcomeConsole(sql)}\n`);
  for (const missed of sql.ok ? missedSqlTargets(sql.value) : []) process.stdout.write(`SQL target missed: ${missed}\n`);
  process.stdout.write(`\n${cdcConsole(cdc)}\n`);
  if (config.writeReport) {
    const path = join(REPO_ROOT, 'BENCHMARKS.md');
    updateBenchmarksFile(path, machine.date, withCdcPart(withSqlSection(reportSection(machine, config, outcome.results, cluster), sql), cdcMarkdown(cdc)));
    log(`wrote the ${machine.date} section of ${path}`);
  }
  if (!clusterCompleted(cluster)) throw new Error('a cluster scenario did not complete (its error is above)');
  if (!sql.ok) throw new Error('the SQL scenario did not complete (its error is above)');
  if (!cdcCompleted(cdc)) throw new Error('a CDC scenario did not complete (its error is above)');
}

runBenchEntry(main);
