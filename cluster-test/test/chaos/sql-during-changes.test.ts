import { Shoal } from '@shoal/client';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForRebalancing } from '../../src/chaos/settled.js';
import type { LocalCluster } from '../../src/harness/index.js';
import { localClusters } from '../harness/cluster-fixture.js';

/**
 * Queries while partitions move: every answer must hold every row exactly
 * once (the map phase reads each partition on one primary, and a request
 * whose member stopped leading one of its partitions is sent again whole).
 */
const clusters = localClusters();
const ROWS = 3_000;

interface QueryRecord {
  readonly at: number;
  readonly ids?: number;
  readonly distinctIds?: number;
  readonly count?: number;
  readonly sum?: number;
  readonly error?: string;
}

let stopReading = () => {};
afterEach(() => stopReading());

async function loadLedger(grid: Shoal): Promise<void> {
  await grid.sql("CREATE TABLE ledger (id INT PRIMARY KEY, v INT NOT NULL) WITH (mode = 'partitioned', backups = 1)");
  for (let start = 0; start < ROWS; start += 500) {
    const values = Array.from({ length: 500 }, (_, i) => `(${start + i}, ${(start + i) % 7})`).join(', ');
    await grid.sql(`INSERT INTO ledger VALUES ${values}`);
  }
}

/** Queries in a loop until stopped; one record per answer. */
function readContinuously(grid: Shoal, records: QueryRecord[]): Promise<void> {
  let running = true;
  stopReading = () => {
    running = false;
  };
  return (async () => {
    while (running) {
      try {
        const ids = await grid.sql('SELECT id FROM ledger');
        const totals = await grid.sql('SELECT count(*), sum(v) FROM ledger');
        const [count, sum] = totals.rows[0] as [number, number];
        records.push({ at: Date.now(), ids: ids.rows.length, distinctIds: new Set(ids.rows.map((row) => row[0])).size, count, sum });
      } catch (err) {
        records.push({ at: Date.now(), error: `${(err as { code?: string }).code}: ${(err as Error).message}` });
      }
    }
  })();
}

const expectedSum = Array.from({ length: ROWS }, (_, i) => i % 7).reduce((a, b) => a + b, 0);

async function underChanges(cluster: LocalCluster, change: (readerHome: string) => Promise<void>): Promise<QueryRecord[]> {
  await cluster.waitForMembers(3);
  await waitForRebalancing(cluster);
  const readerHome = cluster.ids()[0]!;
  const grid = await Shoal.connect({ endpoints: [cluster.node(readerHome).address], requestTimeoutMs: 20_000 });
  try {
    await loadLedger(grid);
    const records: QueryRecord[] = [];
    const reading = readContinuously(grid, records);
    await change(readerHome);
    await waitForRebalancing(cluster);
    stopReading();
    await reading;
    return records;
  } finally {
    await grid.close();
  }
}

function expectExactlyOnce(records: readonly QueryRecord[], cluster: LocalCluster): void {
  const wrong = records.filter((r) => r.error === undefined && (r.ids !== ROWS || r.distinctIds !== ROWS || r.count !== ROWS || r.sum !== expectedSum));
  const failed = records.filter((r) => r.error !== undefined);
  if (wrong.length > 0 || failed.length > 0) console.error(cluster.dumpLogs(30));
  expect(records.length).toBeGreaterThan(3);
  expect(wrong).toEqual([]);
  expect(failed).toEqual([]);
}

describe('chaos: SQL while partitions move', { timeout: 180_000 }, () => {
  it('a node joins and another is killed while queries run: every answer has every row once', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    const records = await underChanges(cluster, async (readerHome) => {
      const joined = await cluster.addNode();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const victim = cluster.ids().find((id) => id !== readerHome && id !== joined)!;
      await cluster.kill(victim);
      await cluster.waitForMembers(3);
    });
    expectExactlyOnce(records, cluster);
  });
});
