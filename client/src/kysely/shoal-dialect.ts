import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
} from 'kysely';
import { ShoalDriver } from './shoal-driver.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * Kysely over Shoal SQL. Shoal speaks PostgreSQL's dialect, so Kysely's own
 * PostgreSQL compiler, adapter and introspector serve as they are; only the
 * driver is Shoal's.
 */
export class ShoalDialect implements Dialect {
  constructor(private readonly run: SqlRunner) {}

  createDriver(): Driver {
    return new ShoalDriver(this.run);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/**
 * A Kysely instance whose queries run through `run` (normally `grid.sql`).
 * @example const db = createShoalKysely<DB>((sql, params) => grid.sql(sql, params))
 */
export function createShoalKysely<DB>(run: SqlRunner): Kysely<DB> {
  return new Kysely<DB>({ dialect: new ShoalDialect(run) });
}
