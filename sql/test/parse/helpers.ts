import { expect } from 'vitest';
import { SqlError } from '@shoal/client/protocol';
import type { Expr, Select, SqlValue, Statement } from '../../src/ast.js';
import { parseStatement } from '../../src/parse/index.js';

export const statementOf = (sql: string): Statement => parseStatement(sql).statement;

export function selectOf(sql: string): Select {
  const statement = statementOf(sql);
  if (statement.kind !== 'select') throw new Error(`not a SELECT: ${statement.kind}`);
  return statement;
}

/** The expression of `SELECT <sql>`'s one item. */
export function exprOf(sql: string): Expr {
  const item = selectOf(`SELECT ${sql}`).items[0];
  if (item?.kind !== 'expr') throw new Error('not an expression item');
  return item.expr;
}

export const col = (name: string, table?: string): Expr => (table === undefined ? { kind: 'column', name } : { kind: 'column', table, name });
export const lit = (value: SqlValue): Expr => ({ kind: 'literal', value });
export const param = (index: number): Expr => ({ kind: 'param', index });
export const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
export const call = (name: string, args: readonly Expr[], more: { distinct?: boolean; star?: boolean } = {}): Expr => ({
  kind: 'call',
  name,
  args,
  distinct: more.distinct ?? false,
  star: more.star ?? false,
});

/** Asserts `sql` is refused with a SqlError whose message matches. */
export function expectSqlError(sql: string, message: RegExp): SqlError {
  let caught: unknown;
  try {
    parseStatement(sql);
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${JSON.stringify(sql)} to be refused`).toBeInstanceOf(SqlError);
  const error = caught as SqlError;
  expect(error.code).toBe('SQL_ERROR');
  expect(error.message).toMatch(message);
  return error;
}
