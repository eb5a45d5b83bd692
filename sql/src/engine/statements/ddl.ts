import { ShoalError, SqlError } from '@shoal/client/protocol';
import type { CreateIndex, CreateTable, DropIndex, DropTable } from '../../ast.js';
import type { SqlHost, SqlResult } from '../../sql-host.js';
import { checkTableSchema } from '../table-schema.js';

const done = (command: string): SqlResult => ({ command, columns: [], rows: [], rowCount: 0 });

export async function createTable(statement: CreateTable, host: SqlHost): Promise<SqlResult> {
  if (host.table(statement.name)) {
    if (statement.ifNotExists) return done('CREATE TABLE');
    throw new SqlError(`relation "${statement.name}" already exists`);
  }
  let schema;
  try {
    schema = checkTableSchema({ columns: statement.columns, primaryKey: statement.primaryKey, indexes: [] });
  } catch (err) {
    // The same checks answer the SDK with BAD_REQUEST; to SQL they are SQL errors.
    if (err instanceof ShoalError && err.code === 'BAD_REQUEST') throw new SqlError(err.message, { cause: err });
    throw err;
  }
  await host.createTable(statement.name, schema, statement.options);
  return done('CREATE TABLE');
}

export async function dropTable(statement: DropTable, host: SqlHost): Promise<SqlResult> {
  const dropped = await host.dropTable(statement.name);
  if (!dropped && !statement.ifExists) throw new SqlError(`table "${statement.name}" does not exist`);
  return done('DROP TABLE');
}

export async function createIndex(statement: CreateIndex, host: SqlHost): Promise<SqlResult> {
  const table = host.table(statement.table);
  if (!table) throw new SqlError(`relation "${statement.table}" does not exist`);
  for (const column of statement.columns) {
    if (!table.schema.columns.some((candidate) => candidate.name === column)) {
      throw new SqlError(`column "${column}" does not exist in table "${statement.table}"`);
    }
  }
  if (new Set(statement.columns).size !== statement.columns.length) throw new SqlError('an index names a column more than once');
  const name = statement.name ?? `${statement.table}_${statement.columns.join('_')}_idx`;
  const created = await host.createIndex(statement.table, { name, columns: statement.columns });
  if (!created && !statement.ifNotExists) throw new SqlError(`relation "${name}" already exists`);
  return done('CREATE INDEX');
}

export async function dropIndex(statement: DropIndex, host: SqlHost): Promise<SqlResult> {
  const dropped = await host.dropIndex(statement.name);
  if (!dropped && !statement.ifExists) throw new SqlError(`index "${statement.name}" does not exist`);
  return done('DROP INDEX');
}
