import { BadRequestError, SqlError } from './protocol/errors.js';
import { Opcode } from './protocol/opcodes.js';
import type { Router } from './router.js';
import { routedByPartition, scatter } from './scatter-gather.js';

/** The answer to one SQL statement. */
export interface SqlResult {
  /** What ran, as PostgreSQL tags it: 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE TABLE', ... */
  readonly command: string;
  readonly columns: string[];
  /** Every row, each an array in the order of `columns`. */
  readonly rows: unknown[][];
  /** Rows returned by a query, or inserted, updated or deleted by DML. */
  readonly rowCount: number;
}

/** Partitions per map request: bounds one answer's size when a query returns raw rows. */
const PARTITIONS_PER_MAP_REQUEST = 64;

/** Runs one statement on the home node and reads every page of its result. */
export async function runSql(router: Router, text: string, params: readonly unknown[]): Promise<SqlResult> {
  if (typeof text !== 'string' || text.trim().length === 0) throw new BadRequestError('sql needs a statement as a non-empty string');
  if (!Array.isArray(params)) throw new BadRequestError('sql parameters must be an array');
  const first = await router.send({ kind: 'home' }, Opcode.Sql, [text, params]);
  const [command, columns, rows, rowCount, cursor] = readFirstPage(first);
  let next = cursor;
  while (next !== null) {
    const page = await router.send({ kind: 'home' }, Opcode.SqlFetch, [next]);
    if (!Array.isArray(page) || !Array.isArray(page[0])) throw new SqlError('the node sent a malformed result page');
    for (const row of page[0] as unknown[][]) rows.push(row);
    next = (page[1] as string | null) ?? null;
  }
  return { command, columns, rows, rowCount };
}

function readFirstPage(answer: unknown): [string, string[], unknown[][], number, string | null] {
  if (!Array.isArray(answer) || answer.length < 5 || typeof answer[0] !== 'string' || !Array.isArray(answer[1]) || !Array.isArray(answer[2])) {
    throw new SqlError('the node sent a malformed SQL result');
  }
  return [answer[0], answer[1] as string[], [...(answer[2] as unknown[][])], Number(answer[3]), (answer[4] as string | null) ?? null];
}

/**
 * Sends a statement's map phase to the primaries of `partitions` of `table`,
 * grouped by member; a group is retried whole under a fresh map when its
 * member no longer leads one of them, so each partition answers exactly once.
 */
export async function runSqlMap(router: Router, table: string, request: unknown, partitions: readonly number[]): Promise<unknown[]> {
  const outputs: unknown[] = [];
  await scatter(router, {
    cache: table,
    opcode: Opcode.SqlMap,
    ...routedByPartition(table, partitions),
    chunk: PARTITIONS_PER_MAP_REQUEST,
    args: (items) => [table, request, items.map((i) => partitions[i])],
    collect: (_, output) => {
      outputs.push(output);
    },
  });
  return outputs;
}
