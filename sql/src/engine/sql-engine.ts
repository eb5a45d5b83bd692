import { BadRequestError, SqlError } from '@shoal/client/protocol';
import type { ParsedStatement, Statement } from '../ast.js';
import { parseStatement } from '../parse/index.js';
import type { MapScope, SqlHost, SqlResult } from '../sql-host.js';
import { runMapPhase } from './exec/map-phase.js';
import { checkMapRequest } from './map-request.js';
import { lookupTable } from './plan/sources.js';
import { StatementCache } from './statement-cache.js';
import { referencedTables } from './referenced-tables.js';
import { StatementTargets } from './statement-targets.js';
import { createIndex, createTable, dropIndex, dropTable } from './statements/ddl.js';
import { explain } from './statements/explain.js';
import { executeInsert } from './statements/insert.js';
import { getKeys } from './statements/key-reads.js';
import { ReadRunner } from './statements/read-runner.js';
import { executeDelete, executeUpdate } from './statements/update-delete.js';

type Executor<K extends Statement['kind']> = (statement: Extract<Statement, { kind: K }>, run: ReadRunner, host: SqlHost) => Promise<SqlResult>;

const executors: { readonly [K in Statement['kind']]: Executor<K> } = {
  select: async (_statement, run) => {
    await run.computeSubqueries();
    const plan = run.targets.plan(0);
    const rows = await run.rows(plan, 0);
    return { command: 'SELECT', columns: plan.columns, rows, rowCount: rows.length };
  },
  insert: async (statement, run, host) => {
    await run.computeSubqueries();
    return executeInsert(statement, run, host);
  },
  update: async (statement, run, host) => {
    await run.computeSubqueries();
    return executeUpdate(statement, run, host);
  },
  delete: async (statement, run, host) => {
    await run.computeSubqueries();
    return executeDelete(statement, run, host);
  },
  explain: async (statement, run) => explain(statement.statement, run),
  'create-table': (statement, _run, host) => createTable(statement, host),
  'drop-table': (statement, _run, host) => dropTable(statement, host),
  'create-index': (statement, _run, host) => createIndex(statement, host),
  'drop-index': (statement, _run, host) => dropIndex(statement, host),
};

/**
 * Shoal's SQL engine: parses, plans, runs the map phase where the node asks
 * (`runMap`) and reduces where the statement arrived (`execute`). Pure: all
 * cluster work goes through the SqlHost.
 */
export class SqlEngine {
  private readonly statements = new StatementCache(parseStatement);

  constructor(private readonly host: SqlHost) {}

  async execute(text: string, params: readonly unknown[]): Promise<SqlResult> {
    if (typeof text !== 'string') throw new SqlError('SQL text must be a string');
    const parsed = this.statements.get(text);
    checkParams(parsed, params);
    await this.catchUpIfBehind(parsed.statement);
    const run = new ReadRunner(this.host, text, new StatementTargets(parsed.statement, this.host, params));
    const execute = executors[parsed.statement.kind] as Executor<Statement['kind']>;
    return execute(parsed.statement, run, this.host);
  }

  /**
   * A table another node just created may not have reached this node's
   * catalog yet: before DDL, or when a statement names a table unknown here,
   * let the host catch up with the control plane once.
   */
  private async catchUpIfBehind(statement: Statement): Promise<void> {
    if (this.host.catchUp === undefined) return;
    const ddl = statement.kind === 'create-table' || statement.kind === 'drop-table' || statement.kind === 'create-index' || statement.kind === 'drop-index';
    if (ddl || referencedTables(statement).some((name) => this.host.table(name) === undefined)) await this.host.catchUp();
  }

  /** The map phase of a request that `execute` sent through `SqlHost.map`, on the node leading the partitions in `scope`. */
  runMap(request: unknown, scope: MapScope): unknown {
    const checked = checkMapRequest(request);
    if ('get' in checked) return getKeys(lookupTable(this.host, checked.get), checked.keys, scope);
    const parsed = this.statements.get(checked.sql);
    checkParams(parsed, checked.params, (message) => new BadRequestError(`malformed SQL map request: ${message}`));
    const targets = new StatementTargets(parsed.statement, this.host, checked.params, checked.subqueries);
    return runMapPhase(targets.plan(checked.target), scope, checked.scan);
  }
}

function checkParams(parsed: ParsedStatement, params: unknown, fail: (message: string) => Error = (message) => new SqlError(message)): void {
  if (!Array.isArray(params)) throw fail('parameters must be an array');
  if (params.length !== parsed.parameterCount) {
    throw fail(`bind message supplies ${params.length} parameters, but prepared statement requires ${parsed.parameterCount}`);
  }
  params.forEach((param: unknown, i) => {
    if (param === undefined || typeof param === 'function' || typeof param === 'symbol') throw fail(`parameter $${i + 1} is ${typeof param}, not a SQL value`);
  });
}
