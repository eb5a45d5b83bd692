import { differenceOf } from './compare-answers.js';
import { type Query, type RenderedStatement, outputNames, renderQuery, resultKinds } from './query.js';
import type { SqlAnswer, SqlClient } from './sql-client.js';
import { type Answer, type SqliteOracle, sqliteValue } from './sqlite-oracle.js';

/** The two engines a differential run drives. */
export interface Engines {
  readonly shoal: SqlClient;
  readonly oracle: SqliteOracle;
}

/** A check that failed: everything needed to see and replay the disagreement. */
export class Disagreement extends Error {
  override readonly name = 'Disagreement';
}

const shown = (rows: readonly (readonly unknown[])[]) =>
  rows
    .slice(0, 8)
    .map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)))
    .join(' ') + (rows.length > 8 ? ` ... (${rows.length} rows)` : '');

export function describeStatements(shoal: RenderedStatement, sqlite: RenderedStatement): string {
  const params = shoal.params.length === 0 ? '' : `\n  params:     ${JSON.stringify(shoal.params.map((p) => p.value))}`;
  return `  Shoal ran:  ${shoal.text}${params}\n  SQLite ran: ${sqlite.text}`;
}

/** Runs the statement on Shoal; a Shoal error becomes a Disagreement that shows the SQL (SQLite answered it). */
export async function shoalAnswer(shoal: SqlClient, statement: RenderedStatement, context: () => string): Promise<SqlAnswer> {
  try {
    return await shoal.sql(statement.text, statement.params.map((p) => p.value));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new Disagreement(`Shoal failed where SQLite answered: ${code === undefined ? '' : `[${String(code)}] `}${(err as Error).message}\n${context()}`);
  }
}

export function oracleAnswer(engines: Engines, statement: RenderedStatement, context: () => string): Answer {
  try {
    return engines.oracle.query(statement.text, statement.params.map((p) => sqliteValue(p.value, p.type)));
  } catch (err) {
    throw new Error(`SQLite rejected a generated query (a generator bug, not Shoal's): ${(err as Error).message}\n${context()}`);
  }
}

/**
 * Runs the query on both engines and throws a Disagreement unless the answers
 * are equal as the query's ORDER BY demands. Placeholders alternate between
 * `$n` and `?` (Shoal takes both).
 */
export async function checkQuery(engines: Engines, q: Query): Promise<void> {
  const pg = renderQuery(q, 'pg');
  const placeholder = pg.text.length % 2 === 0 ? '$' : '?';
  const shoalStatement = renderQuery(q, 'pg', placeholder);
  const sqliteStatement = renderQuery(q, 'sqlite');
  const context = () => describeStatements(shoalStatement, sqliteStatement);
  const expected = oracleAnswer(engines, sqliteStatement, context);
  const actual = await shoalAnswer(engines.shoal, shoalStatement, context);
  const names = outputNames(q);
  const difference =
    differenceOf(expected, actual, { kinds: resultKinds(q), check: q.check, ...(names ? { columns: names } : {}) }) ??
    (actual.command === 'SELECT' && actual.rowCount === actual.rows.length ? undefined : `command ${actual.command} / rowCount ${actual.rowCount} for ${actual.rows.length} rows`);
  if (difference === undefined) return;
  throw new Disagreement(
    [
      `Shoal and SQLite disagree (${q.check.kind === 'none' ? 'as multisets' : q.check.kind === 'total' ? 'in order' : 'by sort keys'}):`,
      context(),
      difference,
      `  SQLite: ${shown(expected.rows)}`,
      `  Shoal:  ${shown(actual.rows)}`,
    ].join('\n'),
  );
}
