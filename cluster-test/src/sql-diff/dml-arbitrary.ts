import fc from 'fast-check';
import type { Dml } from './dml.js';
import { type Expr, col, lit } from './expr.js';
import { ExprGen } from './expr-arbitrary.js';
import { scopeOf } from './scope.js';
import { cellOf, doubleValue, nonZeroSmallInt, smallInt, textValue } from './value-arbitrary.js';
import type { ColumnSpec, Row, TableSpec, World } from './world.js';

/**
 * A new value for a column, computed from the row: bounded so that many
 * steps stay within the types (no INT overflow, BIGINT within ±2^53 by
 * halving rather than adding, VARCHAR(n) never grown by concatenation).
 */
function setValue(column: ColumnSpec, gen: ExprGen): fc.Arbitrary<Expr> {
  const self = col(column.name, column.type);
  const peers = gen.scope.columns.filter((c) => c.column.type === column.type).map((c) => col(c.column.name, c.column.type));
  const options: fc.Arbitrary<Expr>[] = [fc.constantFrom(...peers)];
  if (column.nullable) options.push(fc.constant(lit(null, column.type)));
  const cond = gen.predicate(1);
  const op = (o: '+' | '-' | '*' | '/', right: fc.Arbitrary<Expr>) => right.map((r): Expr => ({ k: 'arith', op: o, left: self, right: r, type: column.type }));
  switch (column.type) {
    case 'int':
      options.push(op('+', smallInt.map((n) => lit(n, 'int'))), op('-', smallInt.map((n) => lit(n, 'int'))), smallInt.map((n) => lit(n, 'int')));
      break;
    case 'bigint':
      options.push(op('/', nonZeroSmallInt.map((n) => lit(n, 'int'))), fc.constant<Expr>({ k: 'neg', operand: self }), fc.constant<Expr>({ k: 'fn', name: 'abs', args: [self], type: 'bigint' }));
      break;
    case 'double':
      options.push(op('+', doubleValue.map((v) => lit(v, 'double'))), op('*', fc.constant(lit(2, 'int'))), op('/', fc.constant(lit(2, 'int'))));
      break;
    case 'text':
      options.push(textValue(Math.min(column.maxLength ?? 4, 3)).map((s) => lit(s, 'text')), fc.constantFrom('upper', 'lower', 'trim').map((name): Expr => ({ k: 'fn', name: name as 'upper', args: [self], type: 'text' })));
      if (column.maxLength === undefined) options.push(textValue(1).map((s): Expr => ({ k: 'concat', left: self, right: lit(s, 'text') })));
      break;
    case 'bool':
      options.push(fc.constant<Expr>({ k: 'not', operand: self }), cond, fc.boolean().map((b) => lit(b, 'bool')));
      break;
  }
  const direct = fc.oneof(...options);
  return fc.oneof({ weight: 4, arbitrary: direct }, { weight: 1, arbitrary: fc.tuple(cond, direct).map(([c, then]): Expr => ({ k: 'case', whens: [[c, then]], otherwise: self, type: column.type })) });
}

function dmlGen(world: World, table: TableSpec): ExprGen {
  return new ExprGen(scopeOf(world, [[table, undefined]], { subqueries: true, params: true, notInSubqueries: table.name }));
}

function update(world: World, table: TableSpec): fc.Arbitrary<Dml> {
  const gen = dmlGen(world, table);
  const settable = table.columns.filter((c) => !table.primaryKey.includes(c.name));
  const sets = fc.uniqueArray(fc.constantFrom(...settable), { minLength: 1, maxLength: 3, selector: (c) => c.name }).chain((cols) => fc.tuple(...cols.map((c) => setValue(c, gen).map((e) => [c.name, e] as const))));
  return fc.tuple(sets, fc.option(gen.where(), { nil: undefined, freq: 8 })).map(([s, where]) => ({ k: 'update', table, sets: s, ...(where ? { where } : {}) }));
}

function remove(world: World, table: TableSpec): fc.Arbitrary<Dml> {
  const gen = dmlGen(world, table);
  return gen.where().map((where) => ({ k: 'delete', table, where }));
}

/** Keys no generated row has: INT keys from 1000 up, TEXT keys `n<step>_<j>`; unique per step and row. */
function freshKey(table: TableSpec, step: number, j: number): Row {
  return Object.fromEntries(table.primaryKey.map((k) => [k, table.columns.find((c) => c.name === k)!.type === 'int' ? 1000 + step * 20 + j : `n${step}_${j}`]));
}

function insert(table: TableSpec, step: number): fc.Arbitrary<Dml> {
  const extras = table.columns.filter((c) => !table.primaryKey.includes(c.name));
  const values = fc.tuple(...extras.map((c) => cellOf(c.type, c.nullable, c.maxLength)));
  const existing = fc.uniqueArray(fc.integer({ min: 0, max: table.rows.length - 1 }), { maxLength: 4 });
  const conflict = fc.oneof(fc.constant(undefined), fc.constant('nothing' as const), fc.uniqueArray(fc.constantFrom(...extras.map((c) => c.name)), { minLength: 1, maxLength: 2 }).map((update) => ({ update })));
  return fc.tuple(fc.array(values, { minLength: 1, maxLength: 6 }), existing, conflict).map(([cells, old, onConflict]) => {
    // Existing keys only with ON CONFLICT: a plain INSERT of one is an error in both, which the bad-SQL test covers.
    const keys = [...cells.map((_, j) => freshKey(table, step, j)), ...(onConflict === undefined ? [] : old.map((i) => pick(table.rows[i]!, table.primaryKey)))];
    const rows = keys.map((key, j) => ({ ...key, ...Object.fromEntries(extras.map((c, i) => [c.name, cells[j % cells.length]![i]!])) }));
    return { k: 'insert', table, rows, ...(onConflict === undefined ? {} : { conflict: onConflict }) };
  });
}

const pick = (row: Row, keys: readonly string[]): Row => Object.fromEntries(keys.map((k) => [k, row[k]!]));

/** `steps` changes over any tables: half updates, then inserts (plain and upserts), then deletes. */
export function dmlSequence(world: World, steps: number): fc.Arbitrary<Dml[]> {
  const table = fc.constantFrom(...world.tables);
  const step = (i: number) =>
    table.chain((t) =>
      fc.oneof({ weight: 5, arbitrary: update(world, t) }, { weight: 3, arbitrary: insert(t, i) }, { weight: 2, arbitrary: remove(world, t) }),
    );
  return fc.tuple(...Array.from({ length: steps }, (_, i) => step(i)));
}
