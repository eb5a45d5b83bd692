import { Shoal } from '@shoal/client';
import { pino, type Logger } from 'pino';
import { GridWriter } from '../apply/grid-writer.js';
import { CacheDeadLetterSink } from '../ingest/cache-dead-letter-sink.js';
import { CdcMetrics } from '../ingest/cdc-metrics.js';
import type { DeadLetterSink } from '../ingest/dead-letter.js';
import { FileDeadLetterSink } from '../ingest/file-dead-letter-sink.js';
import { Ingester } from '../ingest/ingester.js';
import { MetricsServer } from '../ingest/metrics-server.js';
import { ProgressLog } from '../ingest/progress-log.js';
import type { Source } from '../ingest/source.js';
import { EventMapper } from '../mapping/event-mapper.js';
import { createSource } from '../sources/create-source.js';
import type { CdcConfig, DeadLetterSpec } from './cdc-config.js';

/** A running ingester. */
export interface CdcProcess {
  readonly source: Source;
  readonly ingester: Ingester;
  /** `host:port` of `/metrics`, when served. */
  readonly metricsAddress: string | null;
  /** Settles when the input ended (a file) or the ingester failed; the process is then shut down. */
  readonly finished: Promise<void>;
  /** Stops taking records, finishes and commits the batch in flight, and closes everything. */
  stop(): Promise<void>;
}

/**
 * Starts `shoal cdc`: connects to the grid, opens the dead-letter sink and
 * the source, serves `/metrics`, and logs progress. What a start opened is
 * closed again if a later step fails.
 */
export async function startCdc(config: CdcConfig, log: Logger = pino({ level: config.logLevel, base: { component: 'cdc' } })): Promise<CdcProcess> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((err: unknown) => log.warn({ err }, 'error while closing'));
  };
  try {
    const grid = await Shoal.connect({ endpoints: config.endpoints, ...(config.authToken === null ? {} : { authToken: config.authToken }), clientName: 'shoal-cdc' });
    closers.push(() => grid.close());
    const deadLetters = await openDeadLetters(config.deadLetter, grid);
    closers.push(() => deadLetters.close());
    const metrics = new CdcMetrics();
    const source = createSource(config.source, { batchSize: config.batchSize, log });
    const ingester = new Ingester({
      target: new GridWriter(grid, config.cacheConfig, log),
      mapper: new EventMapper({ rules: config.rules, mysql: config.mysqlVersion }),
      deadLetters,
      metrics,
      log,
      sourceName: source.description,
      decode: { schemas: config.schemas, unwrapFieldPrefix: config.unwrapFieldPrefix, encodedRows: true },
    });
    let running = true;
    const server = config.metrics === null ? null : await MetricsServer.listen(config.metrics.host, config.metrics.port, metrics, log, () => running);
    if (server !== null) closers.push(() => server.close());
    const progress = new ProgressLog(ingester.totals, metrics, log, config.progressIntervalMs);
    // Registered first: a source whose start fails is stopped (closed) too.
    closers.push(() => source.stop());
    await source.start(ingester.handle);
    progress.start();
    log.info({ source: source.description, endpoints: config.endpoints, deadLetters: deadLetters.description, metrics: server?.address ?? null }, 'cdc ingester started');
    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        running = false;
        await source.stop();
        progress.stop();
        progress.report('cdc ingester stopped');
        await closeAll();
      })());
    const finished = source.done.finally(() => stop());
    finished.catch(() => undefined);
    return { source, ingester, metricsAddress: server?.address ?? null, finished, stop };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function openDeadLetters(spec: DeadLetterSpec, grid: Shoal): Promise<DeadLetterSink> {
  return spec.kind === 'file' ? FileDeadLetterSink.open(spec.path) : new CacheDeadLetterSink(grid, spec.cache);
}
