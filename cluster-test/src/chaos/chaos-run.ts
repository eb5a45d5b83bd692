import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { assertHistory, type HistoryReport, writeRunFile } from '../checkers/index.js';
import { LocalCluster, type LocalClusterOptions } from '../harness/index.js';
import { ChaosWorkload, type ClientError } from './chaos-workload.js';
import { waitForRebalancing } from './settled.js';

export interface ChaosScenario {
  readonly name: string;
  readonly cluster: LocalClusterOptions;
  readonly backups: number;
  readonly writers?: number;
  /** Load before the fault, and after it. */
  readonly warmupMs?: number;
  readonly cooldownMs?: number;
  /** The fault, injected while the load runs. */
  fault(cluster: LocalCluster, context: { seed: number; log: (line: string) => void }): Promise<void>;
}

export interface ChaosOutcome {
  readonly operations: number;
  readonly errors: readonly ClientError[];
  readonly report: HistoryReport;
  readonly log: readonly string[];
}

/** The seed of this run: SHOAL_CHAOS_SEED replays one. */
export function chaosSeed(): number {
  const fixed = process.env.SHOAL_CHAOS_SEED;
  return fixed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(fixed);
}

/**
 * Runs a load through the SDK against a real cluster, injects the
 * scenario's fault, then checks the recorded history: no acknowledged write
 * lost, no phantom read, counters exact, registers linearizable. On failure
 * the history goes to a file and the message names the seed and the file.
 */
export async function runChaos(scenario: ChaosScenario, seed = chaosSeed()): Promise<ChaosOutcome> {
  const log: string[] = [];
  const note = (line: string) => {
    log.push(`${new Date().toISOString()} ${line}`);
    if (process.env.SHOAL_CHAOS_VERBOSE) process.stderr.write(`[chaos] ${line}\n`);
  };
  const cluster = await LocalCluster.start(scenario.cluster);
  let grid: Shoal | undefined;
  try {
    await cluster.waitForMembers(scenario.cluster.nodes);
    grid = await Shoal.connect({ endpoints: cluster.endpoints(), requestTimeoutMs: 15_000 });
    await grid.createCache('chaos', { backups: scenario.backups });
    await waitForRebalancing(cluster);
    const workload = new ChaosWorkload({ grid, cache: 'chaos', writers: scenario.writers ?? 6, keysPerWriter: 8, counters: ['c0', 'c1'], seed });
    workload.start();
    const watchdog = watchProgress(cluster, workload, note);
    try {
      await sleep(scenario.warmupMs ?? 1_500);
      note(`fault (seed ${seed})`);
      await scenario.fault(cluster, { seed, log: note });
      await sleep(scenario.cooldownMs ?? 3_000);
      await workload.stop();
    } finally {
      clearInterval(watchdog);
    }
    note(`load stopped after ${workload.operations} operations`);
    const { finalReads, finalCounters } = await workload.finalState();
    const run = { history: workload.recorder.history(), finalReads, finalCounters };
    try {
      const checkStarted = Date.now();
      const report = assertHistory(run);
      note(`history of ${run.history.length} operations checked in ${Date.now() - checkStarted} ms`);
      return { operations: workload.operations, errors: workload.errors, report, log };
    } catch (err) {
      const file = join(mkdtempSync(join(tmpdir(), 'shoal-chaos-')), 'history.json');
      await writeRunFile(file, run);
      throw new Error(`${scenario.name} (seed ${seed}): ${(err as Error).message}\nhistory: ${file}\n${log.join('\n')}\n${cluster.dumpLogs(30)}`, { cause: err });
    }
  } finally {
    await grid?.close();
    await cluster.stop();
  }
}

/** Notes every node's held writes and rebalancing when the load stops making progress: what a stall looked like. */
function watchProgress(cluster: LocalCluster, workload: ChaosWorkload, note: (line: string) => void): NodeJS.Timeout {
  let last = -1;
  let still = 0;
  return setInterval(() => {
    still = workload.operations === last ? still + 1 : 0;
    last = workload.operations;
    if (still !== 3) return;
    note(`no progress for 3 s at ${last} operations`);
    for (const id of cluster.ids()) {
      cluster.status(id).then(
        (status) => {
          const part = status.cluster as { heldWrites?: unknown; rebalancing?: unknown; epoch?: unknown; role?: unknown; leader?: unknown; writeLease?: unknown; members?: { id: string; voter: boolean }[] } | undefined;
          const members = part?.members?.map((m) => `${m.id}${m.voter ? '*' : ''}`).join(',');
          note(`${id}: ${String(part?.role)} leader ${String(part?.leader)} lease ${String(part?.writeLease)} members ${members} epoch ${String(part?.epoch)} held ${JSON.stringify(part?.heldWrites)} rebalancing ${JSON.stringify(part?.rebalancing)}`);
        },
        (err: Error) => note(`${id}: no status (${err.message})`),
      );
    }
  }, 1_000);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
