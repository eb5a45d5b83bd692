import type { Shoal } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DifferentialSession } from '../src/sql-diff/differential-session.js';
import { REGRESSIONS, checkRegression, createRegressionTable } from '../src/sql-diff/regression-cases.js';
import { SqliteOracle } from '../src/sql-diff/sqlite-oracle.js';
import { sqlSeed } from '../src/sql-diff/sql-seed.js';
import { Fixtures } from './support/helpers.js';

/**
 * SQL on one `shoal node` child process against SQLite in memory (the
 * oracle): generated tables loaded the same into both, then generated
 * queries, INSERT/UPDATE/DELETE and queries again, every answer compared.
 * A failure prints SHOAL_SQL_SEED=<seed>; a seed that found a bug joins
 * NAMED_SEEDS so it runs every time.
 */
const SEED = sqlSeed();
const QUERIES = Number(process.env.SHOAL_SQL_QUERIES ?? 500);
const CHANGES = 40;

/** Seeds that once found a bug, replayed whole on every run. */
const NAMED_SEEDS: readonly { readonly seed: number; readonly found: string }[] = [
  { seed: 1049132240, found: 'NULL [NOT] IN an empty subquery answered NULL (fixed in 597b80f)' },
];

const fixtures = new Fixtures();
let grid: Shoal;

beforeAll(async () => {
  const node = await fixtures.node();
  grid = await fixtures.connect(node, { requestTimeoutMs: 30_000 });
});

afterAll(() => fixtures.cleanup());

describe(`SQL against SQLite on one node (SHOAL_SQL_SEED=${SEED})`, { timeout: 120_000 }, () => {
  let session: DifferentialSession;
  beforeAll(() => {
    session = new DifferentialSession(grid, SEED, 'q_');
  });
  afterAll(() => session.close());

  it('loads the generated tables through SQL; cache.get reads the same rows', async () => {
    await session.createTables();
    await session.fillTables();
    expect(await session.storedRowProblems((table, key) => grid.cache(table).get(key as never))).toEqual([]);
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

describe('queries that once disagreed, on a fixed table', () => {
  const engines = { shoal: {} as Shoal, oracle: new SqliteOracle() };
  beforeAll(async () => {
    Object.assign(engines, { shoal: grid });
    await createRegressionTable(engines);
  });
  afterAll(() => engines.oracle.close());

  it.each(REGRESSIONS)('$found', async (c) => {
    await checkRegression(engines, c);
  });
});

describe.runIf(NAMED_SEEDS.length > 0)('seeds that found bugs', { timeout: 120_000 }, () => {
  it.each(NAMED_SEEDS)('seed $seed: $found', async ({ seed }) => {
    const session = new DifferentialSession(grid, seed, `s${seed}_`);
    try {
      await session.createTables();
      await session.fillTables();
      await session.queries(QUERIES, 0);
      await session.changes(CHANGES);
      await session.queries(Math.ceil(QUERIES / 2), 1);
    } finally {
      session.close();
    }
  });
});
