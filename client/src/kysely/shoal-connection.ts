import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { SqlError } from '../protocol/errors.js';
import type { SqlRunner, SqlRunnerResult } from './sql-runner.js';

/** Commands whose row count is rows written, which Kysely reads as `numAffectedRows`. */
const WRITE_COMMANDS: ReadonlySet<string> = new Set(['INSERT', 'UPDATE', 'DELETE']);

/**
 * A Kysely connection that sends each compiled query's `{ sql, parameters }`
 * to the runner. It holds no state of its own: every statement is a
 * separate request to the grid, so one instance serves every query.
 */
export class ShoalConnection implements DatabaseConnection {
  constructor(private readonly run: SqlRunner) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.run(compiledQuery.sql, compiledQuery.parameters);
    return toQueryResult<R>(result);
  }

  /** Refused: results arrive whole (the SDK reads every page). A generator, so the error surfaces where Kysely iterates. */
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new SqlError('streaming queries is not supported by Shoal SQL: use execute(), which reads every page of the result');
  }
}

/** Rows as objects keyed by column name (a repeated name keeps its last value, as the pg driver does). */
export function toQueryResult<R>(result: SqlRunnerResult): QueryResult<R> {
  const rows = result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    // defineProperty, so a column named __proto__ stays an ordinary field.
    result.columns.forEach((column, i) => {
      Object.defineProperty(object, column, { value: row[i], enumerable: true, writable: true, configurable: true });
    });
    return object as R;
  });
  const command = result.command.split(' ')[0]!.toUpperCase();
  return WRITE_COMMANDS.has(command) ? { rows, numAffectedRows: BigInt(result.rowCount) } : { rows };
}
