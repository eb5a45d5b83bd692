import { Shoal } from '@shoal/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForRebalancing } from '../src/chaos/settled.js';
import { LocalCluster } from '../src/harness/index.js';
import { DifferentialSession } from '../src/sql-diff/differential-session.js';
import { roundRobin } from '../src/sql-diff/round-robin-client.js';
import { sqlSeed } from '../src/sql-diff/sql-seed.js';

/**
 * The differential run of sql-differential.test.ts on a 3-node cluster
 * (partitioned tables with backups 1): one client per node, statements sent
 * to each in turn, so every node plans and reduces some queries and the map
 * phase runs on all three. The generated tables are created through one
 * node; a separate test sends DDL and the statements after it to different nodes.
 */
const SEED = sqlSeed();
const QUERIES = Number(process.env.SHOAL_SQL_QUERIES ?? 400);
const CHANGES = 30;

let cluster: LocalCluster;
const grids: Shoal[] = [];
let session: DifferentialSession;

beforeAll(async () => {
  cluster = await LocalCluster.start({ nodes: 3 });
  await cluster.waitForMembers(3);
  for (const endpoint of cluster.endpoints()) grids.push(await Shoal.connect({ endpoints: [endpoint], requestTimeoutMs: 30_000 }));
  session = new DifferentialSession(roundRobin(grids), SEED, 'k_', grids[0]);
}, 60_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') process.stderr.write(cluster.dumpLogs());
});

afterAll(async () => {
  session?.close();
  await Promise.allSettled(grids.map((grid) => grid.close()));
  await cluster?.stop();
});

describe('DDL on a cluster', { timeout: 120_000 }, () => {
  it('a table created through one node takes rows, indexes and queries through the others at once', async () => {
    // A race (the other nodes may not have applied the new table yet): 20 rounds show it most runs when it is there.
    const failures: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [a, b, c] = [grids[i % 3]!, grids[(i + 1) % 3]!, grids[(i + 2) % 3]!];
      const mode = i % 2 === 0 ? "mode = 'partitioned', backups = 1" : "mode = 'replicated'";
      await a.sql(`CREATE TABLE ddl_seen_${i} (id INT, v TEXT, PRIMARY KEY (id)) WITH (${mode})`);
      const steps: [string, Shoal, string][] = [
        ['INSERT through the next node', b, `INSERT INTO ddl_seen_${i} VALUES (1, 'x'), (2, 'y')`],
        ['CREATE INDEX through the third node', c, `CREATE INDEX ddl_seen_${i}_v ON ddl_seen_${i} (v)`],
        ['SELECT through the third node', c, `SELECT id FROM ddl_seen_${i} WHERE v = 'y'`],
      ];
      for (const [what, grid, statement] of steps) {
        await grid.sql(statement).catch((err: Error) => failures.push(`round ${i}, ${what}: ${err.message}`));
      }
    }
    expect(failures).toEqual([]);
  });
});

describe(`SQL against SQLite on 3 nodes (SHOAL_SQL_SEED=${SEED})`, { timeout: 120_000 }, () => {
  it('loads the generated tables through SQL on every node', async () => {
    await session.createTables();
    // The tables' partitions placed on all three before the rows go in: this file tests SQL, not rebalancing.
    await waitForRebalancing(cluster);
    await session.fillTables();
    const problems = await session.storedRowProblems((table, key) => grids[0]!.cache(table).get(key as never));
    if (problems.length > 0) throw new Error(`rows read back by key differ:\n${problems.join('\n')}`);
  });

  it(`${QUERIES} generated queries answer as SQLite does`, async (ctx) => {
    if (session.diverged) ctx.skip(session.diverged);
    await session.queries(QUERIES, 0);
  });

  it(`${CHANGES} generated INSERT/UPDATE/DELETE change the same rows`, async (ctx) => {
    if (session.diverged) ctx.skip(session.diverged);
    await session.changes(CHANGES);
  });

  it('generated queries after the changes answer as SQLite does', async (ctx) => {
    if (session.diverged) ctx.skip(session.diverged);
    await session.queries(Math.ceil(QUERIES / 2), 1);
  });
});
