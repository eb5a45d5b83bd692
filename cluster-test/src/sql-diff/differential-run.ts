import fc from 'fast-check';
import { differenceOf } from './compare-answers.js';
import { type Dml, commandOf, renderDml } from './dml.js';
import { dmlSequence } from './dml-arbitrary.js';
import { queryArbitrary } from './query-arbitrary.js';
import { Disagreement, type Engines, checkQuery } from './query-check.js';
import type { TableSpec, World } from './world.js';

/** The line that replays a run: the world, the queries and the changes all follow from the seed. */
export const replayHint = (seed: number) => `replay with SHOAL_SQL_SEED=${seed}`;

/**
 * Runs `runs` generated queries on both engines; on a disagreement
 * fast-check shrinks the query, and the error shows the smallest one, both
 * answers and the seed.
 */
export async function checkGeneratedQueries(engines: Engines, world: World, runs: number, seedOffset = 0): Promise<void> {
  const property = fc.asyncProperty(queryArbitrary(world), (q) => checkQuery(engines, q));
  try {
    await fc.assert(property, { seed: world.seed + seedOffset, numRuns: runs, endOnFailure: false });
  } catch (err) {
    // fast-check keeps the property's own error (the SQL and both answers) as the cause.
    const cause = (err as Error).cause instanceof Error ? `\n${((err as Error).cause as Error).message}` : '';
    throw new Disagreement(`${replayHint(world.seed)} (query phase ${seedOffset})\n${(err as Error).message}${cause}`);
  }
}

/** The generated change sequence of a world: the same seed, the same statements. */
export function dmlOf(world: World, steps: number): Dml[] {
  return fc.sample(dmlSequence(world, steps), { seed: world.seed + 7, numRuns: 1 })[0]!;
}

/**
 * Applies each change to both engines: the affected-row counts must agree,
 * then the changed table must hold the same rows in both.
 */
export async function applyGeneratedDml(engines: Engines, world: World, steps: number): Promise<void> {
  for (const [step, change] of dmlOf(world, steps).entries()) {
    const { shoal, sqlite } = renderDml(change, step);
    const where = () => `${replayHint(world.seed)}, change ${step + 1} of ${steps}\n  Shoal ran:  ${shoal.text}\n  params:     ${JSON.stringify(shoal.params)}\n  SQLite ran: ${sqlite.text}`;
    let expected: number;
    try {
      expected = engines.oracle.run(sqlite.text, sqlite.params);
    } catch (err) {
      throw new Error(`SQLite rejected a generated change (a generator bug): ${(err as Error).message}\n${where()}`);
    }
    const answer = await engines.shoal.sql(shoal.text, shoal.params).catch((err: Error & { code?: string }) => {
      throw new Disagreement(`Shoal failed where SQLite applied the change: [${err.code}] ${err.message}\n${where()}`);
    });
    if (answer.rowCount !== expected || answer.command !== commandOf(change)) {
      throw new Disagreement(`${commandOf(change)} affected ${expected} row(s) in SQLite; Shoal answered ${answer.command} with rowCount ${answer.rowCount}\n${where()}`);
    }
    await checkTable(engines, change.table, where);
  }
}

/** The whole table in both engines, as multisets. */
export async function checkTable(engines: Engines, table: TableSpec, where: () => string): Promise<void> {
  const text = `SELECT * FROM ${table.name}`;
  const expected = engines.oracle.query(text);
  const actual = await engines.shoal.sql(text);
  const kinds = table.columns.map((c) => (c.type === 'bigint' ? 'int' : c.type));
  const difference = differenceOf(expected, actual, { kinds, columns: table.columns.map((c) => c.name), check: { kind: 'none' } });
  if (difference) throw new Disagreement(`table ${table.name} differs after the change:\n${difference}\n${where()}`);
}

