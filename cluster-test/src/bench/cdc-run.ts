import { log } from './bench-session.js';
import { CDC_INGEST, type IngestResult, measureIngest } from './cdc-ingest-workload.js';
import { type LagResult, measureLag } from './cdc-lag-workload.js';
import type { Outcome } from './cluster-run.js';
import { currentLoad } from './machine-info.js';
import { ShoalNodeProcess } from './shoal-node-process.js';
import { withTimeout } from './with-timeout.js';

/** The CDC part of a run. */
export interface CdcRunResult {
  /** 1-minute load average when the CDC scenarios started. */
  readonly loadAverage: number;
  readonly ingest: Outcome<IngestResult>;
  readonly lag: Outcome<LagResult>;
}

/**
 * Runs the CDC scenarios against a fresh single node, each on its own: one
 * failing must not hide the other's numbers. Meant to run when nothing else
 * of the benchmark does (on two cores, anything else would be measured too).
 */
export async function measureCdc(rounds: number): Promise<CdcRunResult> {
  const loadAverage = currentLoad();
  log(`cdc scenarios: 1-minute load average ${loadAverage.toFixed(2)}`);
  const node = await withTimeout('start the Shoal node for CDC', 30_000, () => ShoalNodeProcess.start());
  try {
    const ingest = await attempt('cdc ingest throughput', 15 * 60_000, () => measureIngest(node.endpoint, Math.max(rounds, CDC_INGEST.minRounds), () => node.memory()));
    const lag = await attempt('cdc change-to-visible lag', 10 * 60_000, () => measureLag(node.endpoint));
    return { loadAverage, ingest, lag };
  } finally {
    await node.stop();
  }
}

async function attempt<T>(name: string, timeoutMs: number, work: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await withTimeout(name, timeoutMs, work);
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (err) {
    log(`${name} did not complete:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { ok: false, error: (err instanceof Error ? err.message : String(err)).split('\n')[0]! };
  }
}

/** Whether both scenarios completed. */
export function cdcCompleted(result: CdcRunResult): boolean {
  return result.ingest.ok && result.lag.ok;
}
