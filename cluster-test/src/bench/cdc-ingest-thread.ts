import { parentPort } from 'node:worker_threads';
import { type CdcConfig, startCdc } from '@shoal/cdc';
import { CDC_INGEST, productRules } from './cdc-ingest-workload.js';

/** One ingest round, as the benchmark's thread asks for it. */
export interface IngestJob {
  readonly endpoint: string;
  readonly file: string;
  /** Where the round keeps its checkpoint and dead letters (a path prefix). */
  readonly scratch: string;
  readonly cache: string;
}

export type IngestAnswer = { readonly ok: true; readonly eventsPerSecond: number } | { readonly ok: false; readonly error: string };

/**
 * The ingest side of the CDC benchmark, on a thread of its own: `shoal cdc`
 * runs as its own process with a heap of its own, and so it runs here, away
 * from the putAll side's 30,000 decoded rows, which every major collection
 * of a shared heap marked (they took the ingest from about 49,000 to
 * 38,000 events/s). The thread stays for every round, so that the JIT's
 * warm-up carries over as it does in a running ingester.
 */
parentPort?.on('message', (job: IngestJob) => {
  ingestOnce(job).then(
    (eventsPerSecond) => parentPort!.postMessage({ ok: true, eventsPerSecond } satisfies IngestAnswer),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies IngestAnswer),
  );
});

/** Runs the ingester over the whole file into `cache`; events per second from start to the last commit. */
async function ingestOnce({ endpoint, file, scratch, cache }: IngestJob): Promise<number> {
  const config: CdcConfig = {
    source: { kind: 'file', path: file, checkpoint: `${scratch}.checkpoint` },
    endpoints: [endpoint],
    authToken: null,
    rules: productRules(cache),
    deadLetter: { kind: 'file', path: `${scratch}.dead-letters` },
    metrics: null,
    batchSize: CDC_INGEST.batchSize,
    schemas: 'auto',
    unwrapFieldPrefix: '__',
    mysqlVersion: 'binlog',
    cacheConfig: {},
    progressIntervalMs: 3_600_000,
    logLevel: 'warn',
  };
  const started = performance.now();
  const cdc = await startCdc(config);
  await cdc.finished;
  const seconds = (performance.now() - started) / 1_000;
  const { applied, deadLettered } = cdc.ingester.totals;
  if (applied !== CDC_INGEST.events || deadLettered !== 0) {
    throw new Error(`the ingester applied ${applied} of ${CDC_INGEST.events} events (${deadLettered} dead-lettered)`);
  }
  return CDC_INGEST.events / seconds;
}
