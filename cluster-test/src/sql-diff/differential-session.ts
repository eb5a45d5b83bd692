import { applyGeneratedDml, checkGeneratedQueries, replayHint } from './differential-run.js';
import { createTables, fillTables, storedRowDifferences } from './load-world.js';
import type { Engines } from './query-check.js';
import type { SqlClient } from './sql-client.js';
import { SqliteOracle } from './sqlite-oracle.js';
import { worldOf } from './world-arbitrary.js';
import type { World } from './world.js';

/**
 * One differential run against one grid, phase by phase (a test file makes
 * each phase a test): the world of the seed in both engines, generated
 * queries, generated changes, queries again. After a failed change the two
 * engines hold different rows, and later phases would only repeat that.
 */
export class DifferentialSession {
  readonly world: World;
  readonly engines: Engines;
  private divergedAt: string | undefined;

  /**
   * `ddl`: where CREATE TABLE/INDEX go, when not through `shoal` (on a
   * cluster, one node, so that a table is never created on one node and
   * indexed through another before that one has it).
   */
  constructor(
    shoal: SqlClient,
    seed: number,
    prefix: string,
    private readonly ddl: SqlClient = shoal,
  ) {
    this.world = worldOf(seed, prefix);
    this.engines = { shoal, oracle: new SqliteOracle() };
  }

  /** Why later phases cannot compare anything, if a change went differently in the two engines. */
  get diverged(): string | undefined {
    return this.divergedAt;
  }

  createTables(): Promise<void> {
    return this.guard('creating the tables', () => createTables({ ...this.engines, shoal: this.ddl }, this.world));
  }

  fillTables(): Promise<void> {
    return this.guard('inserting the rows', () => fillTables(this.engines, this.world));
  }

  /** Some rows of each table read back through the cache API, as the SQL layer stores them. */
  async storedRowProblems(read: (table: string, key: unknown) => Promise<unknown>): Promise<string[]> {
    return storedRowDifferences(this.world, read);
  }

  queries(runs: number, phase: number): Promise<void> {
    return checkGeneratedQueries(this.engines, this.world, runs, phase);
  }

  changes(steps: number): Promise<void> {
    return this.guard('applying the generated changes', () => applyGeneratedDml(this.engines, this.world, steps));
  }

  close(): void {
    this.engines.oracle.close();
  }

  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.divergedAt = `${what} failed (${replayHint(this.world.seed)}): ${(err as Error).message.split('\n')[0]}`;
      throw err;
    }
  }
}
