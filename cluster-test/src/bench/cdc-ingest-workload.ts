import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { type Key, Shoal, type TableSchemaConfig } from '@shoal/client';
import { EventMapper, decodeRecord, noRules, parseKeyColumnRules, type MappingRules } from '@shoal/cdc';
import type { IngestAnswer, IngestJob } from './cdc-ingest-thread.js';
import { log } from './bench-session.js';
import { CDC_TABLE, changeEventValue } from './cdc-events.js';
import { median } from './run-workloads.js';

/** The ingest-throughput workload's sizes. */
export const CDC_INGEST = {
  /** Inserts of distinct rows, one event per line. */
  events: 30_000,
  /** `shoal cdc`'s default `--batch-size`; the putAll batches are as large. */
  batchSize: 500,
  /** Source timestamps of the file's events (fixed, so every round reads the same bytes). */
  tsMs: 1_767_225_600_000,
  /** Ingest events/s over putAll rows/s. */
  target: { ratio: 0.7 },
  /**
   * Rounds at least (`--rounds` if more): a round takes a second or two and
   * the shared machine's speed drifts over seconds, so the ratio wants more
   * pairs than a throughput workload of 3 s wants runs.
   */
  minRounds: 9,
} as const;

/** One round: both ways of writing the same rows. */
interface IngestRound {
  readonly ingestPerSecond: number;
  readonly putAllPerSecond: number;
}

/** The medians over the rounds. */
export interface IngestResult {
  readonly events: number;
  readonly fileBytes: number;
  readonly rounds: number;
  readonly ingestPerSecond: number;
  readonly putAllPerSecond: number;
  /** The median of each round's ingest over the putAll beside it: the machine's speed drifts from second to second, a round's pair shares it. */
  readonly ratio: number;
}

const perSecond = (value: number): string => Math.round(value).toLocaleString('en-US');
const ratioOf = (round: IngestRound): number => round.ingestPerSecond / round.putAllPerSecond;

/** How the ingester maps the products table: its cache per round, its key from `id` (`--key products=id`). */
export function productRules(cache: string): MappingRules {
  return { ...noRules, caches: new Map([[CDC_TABLE, cache]]), keyColumns: parseKeyColumnRules([`${CDC_TABLE}=id`]) };
}

/** The SQL table the ingester makes of the products events (from their schema and key columns). */
function productsTable(): TableSchemaConfig {
  const event = decodeRecord({ key: null, value: changeEventValue(1, 1, CDC_INGEST.tsMs, 'c'), topic: null });
  const mapped = new EventMapper({ rules: productRules(CDC_TABLE) }).map(event);
  if (mapped.kind !== 'put' || mapped.table === null) throw new Error(`the generated event maps to ${mapped.kind} without a table`);
  return mapped.table;
}

/**
 * Debezium JSON with schemas through the real ingest path — `shoal cdc`'s
 * own code (`startCdc`) on a thread of this process with a heap of its own
 * (see `cdc-ingest-thread.ts`), reading an NDJSON file (a value
 * per line, `--key products=id`) with its checkpoint, decoding, mapping and
 * applying versioned changes one batch at a time — against the SDK's
 * `putAll` of the very rows the decoder produces, in batches of the same
 * size, one at a time as the ingester sends them. Each round writes to
 * fresh caches, both the SQL table the ingester makes of these events,
 * created before the clock starts (creating it is a one-time cost, not
 * throughput; it was once a twentieth of the ingest's window and none of
 * putAll's); rounds alternate which goes first, after one round of each
 * that is not counted (the JIT's and the heap's warm-up, as every other
 * workload of the benchmark has). The node collects its garbage before
 * each side's turn (`settleNode`): an ingest round left 30,000 rows'
 * worth on the node, and collecting it during the putAll after it took
 * putAll from about 65,000 to 48,000 rows/s.
 */
export async function measureIngest(endpoint: string, rounds: number, settleNode: () => Promise<unknown>): Promise<IngestResult> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cdc-bench-'));
  const grid = await Shoal.connect({ endpoints: [endpoint], clientName: 'shoal-bench-cdc' });
  const ingester = new IngestThread();
  try {
    const file = join(dir, 'changes.ndjson');
    const fileBytes = await writeEventFile(file, CDC_INGEST.events);
    const rows = decodedRows(CDC_INGEST.events);
    const table = productsTable();
    const runRound = async (round: string, ingestFirst: boolean): Promise<IngestRound> => {
      await grid.createCache(`cdc_ingest_${round}`, { schema: table });
      await grid.createCache(`cdc_putall_${round}`, { schema: table });
      // Each after a full collection on the node: else each inherits the other's garbage there, and pays for collecting it.
      // (Not in the sides' own heaps: a forced collection shrank the ingest thread's small heap, and it then ran major collections back to back.)
      const ingest = async () => (await settleNode(), ingester.run({ endpoint, file, scratch: join(dir, `round-${round}`), cache: `cdc_ingest_${round}` }));
      const putAll = async () => (await settleNode(), putAllOnce(grid, rows, `cdc_putall_${round}`));
      let result: IngestRound;
      if (ingestFirst) result = { ingestPerSecond: await ingest(), putAllPerSecond: await putAll() };
      else result = { putAllPerSecond: await putAll(), ingestPerSecond: await ingest() };
      await grid.destroyCache(`cdc_ingest_${round}`);
      await grid.destroyCache(`cdc_putall_${round}`);
      return result;
    };
    const warmUp = await runRound('warm_up', true);
    log(`cdc ingest warm-up (not counted): ${perSecond(warmUp.ingestPerSecond)} events/s, putAll ${perSecond(warmUp.putAllPerSecond)} rows/s`);
    const results: IngestRound[] = [];
    for (let round = 0; round < rounds; round++) {
      const result = await runRound(String(round), round % 2 === 0);
      log(`cdc ingest [${round + 1}/${rounds}]: ${perSecond(result.ingestPerSecond)} events/s, putAll ${perSecond(result.putAllPerSecond)} rows/s, ${ratioOf(result).toFixed(2)}`);
      results.push(result);
    }
    return {
      events: CDC_INGEST.events,
      fileBytes,
      rounds,
      ingestPerSecond: median(results.map((r) => r.ingestPerSecond)),
      putAllPerSecond: median(results.map((r) => r.putAllPerSecond)),
      ratio: median(results.map(ratioOf)),
    };
  } finally {
    await ingester.stop();
    await grid.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The ingest side's thread (`cdc-ingest-thread.ts`): one round at a time. */
class IngestThread {
  private readonly worker = new Worker(new URL('./cdc-ingest-thread.js', import.meta.url));
  private exited: Error | null = null;

  constructor() {
    this.worker.on('error', (err) => (this.exited ??= err));
    this.worker.on('exit', (code) => (this.exited ??= new Error(`the ingest thread exited with code ${code}`)));
  }

  /** Events per second of one round; rejects with the thread's error. */
  run(job: IngestJob): Promise<number> {
    if (this.exited !== null) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const onExit = () => reject(this.exited);
      this.worker.once('exit', onExit);
      this.worker.once('message', (answer: IngestAnswer) => {
        this.worker.off('exit', onExit);
        if (answer.ok) resolve(answer.eventsPerSecond);
        else reject(new Error(`the ingest round failed: ${answer.error}`));
      });
      this.worker.postMessage(job);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The file's events: inserts of rows 1..count, synced to disk. Returns its size in bytes. */
async function writeEventFile(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (let id = 1; id <= count; id++) {
    const line = `${changeEventValue(id, id, CDC_INGEST.tsMs, 'c')}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  // Written back to disk now, not in the background during the first rounds (about 150 MB).
  const written = await open(path, 'r+');
  try {
    await written.sync();
  } finally {
    await written.close();
  }
  return bytes;
}

/** The rows exactly as the ingester stores them (decimals and timestamps as exact strings), keyed by id. */
function decodedRows(count: number): [Key, unknown][] {
  const rows: [Key, unknown][] = [];
  for (let id = 1; id <= count; id++) {
    const event = decodeRecord({ key: null, value: changeEventValue(id, id, CDC_INGEST.tsMs, 'c'), topic: null });
    if (event.kind !== 'upsert') throw new Error(`the generated event ${id} decoded as ${event.kind}`);
    rows.push([id, event.row]);
  }
  return rows;
}

/** putAll of the rows in batches of the ingester's size, one batch at a time; rows per second. */
async function putAllOnce(grid: Shoal, rows: readonly [Key, unknown][], cache: string): Promise<number> {
  const target = grid.cache<Key, unknown>(cache);
  const started = performance.now();
  for (let from = 0; from < rows.length; from += CDC_INGEST.batchSize) {
    await target.putAll(new Map(rows.slice(from, from + CDC_INGEST.batchSize)));
  }
  const seconds = (performance.now() - started) / 1_000;
  const size = await target.size();
  if (size !== rows.length) throw new Error(`putAll left ${size} of ${rows.length} rows in ${cache}`);
  return rows.length / seconds;
}
