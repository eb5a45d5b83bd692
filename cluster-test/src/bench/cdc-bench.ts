import { join } from 'node:path';
import { benchConfig } from './bench-config.js';
import { log } from './bench-session.js';
import { updateCdcPart } from './cdc-benchmarks-file.js';
import { cdcConsole, cdcMarkdown } from './cdc-report.js';
import { cdcCompleted, measureCdc } from './cdc-run.js';
import { busyWarning, currentLoad, describeMachine, machineInfo } from './machine-info.js';
import { ensureRedisServer, redisServerVersion } from './redis-binary.js';
import { REPO_ROOT } from './repo-root.js';
import { runBenchEntry } from './bench-entry.js';

/**
 * The CDC scenarios alone (`node cluster-test/dist/bench/cdc-bench.js`,
 * after `npm run build`; the same flags as `npm run bench`, of which it
 * heeds `--rounds` and `--no-report`). It replaces the CDC part of today's
 * BENCHMARKS.md section and leaves the rest of it alone.
 */
async function main(): Promise<void> {
  const config = benchConfig(process.argv.slice(2));
  const load = currentLoad();
  const busy = busyWarning(load);
  if (busy !== undefined) log(`warning: ${busy}`);
  const result = await measureCdc(config.rounds);
  // The machine line names the Redis version like the full benchmark's.
  const machine = machineInfo(redisServerVersion(ensureRedisServer()), load);
  process.stdout.write(`\n${machine.date} — ${describeMachine(machine)}\n\n${cdcConsole(result)}\n`);
  if (config.writeReport) {
    const path = join(REPO_ROOT, 'BENCHMARKS.md');
    updateCdcPart(path, machine.date, `${machine.date} — ${describeMachine(machine)}`, cdcMarkdown(result));
    log(`wrote the CDC part of the ${machine.date} section of ${path}`);
  }
  if (!cdcCompleted(result)) throw new Error('a CDC scenario did not complete (its error is above)');
}

runBenchEntry(main);
