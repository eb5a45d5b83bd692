import fc from 'fast-check';
import { type Expr, col } from './expr.js';
import { ExprGen } from './expr-arbitrary.js';
import type { JoinClause } from './query.js';
import { scopeOf } from './scope.js';
import { sometimes } from './value-arbitrary.js';
import type { TableSpec, World } from './world.js';

/** What a query reads from: one table, or two joined the ways Shoal supports. */
export interface Source {
  readonly from: { readonly table: string; readonly alias?: string };
  readonly join?: JoinClause;
  readonly gen: ExprGen;
  /** The same scope without bound parameters: a GROUP BY key must read exactly as its select item does. */
  readonly keyGen: ExprGen;
  /** Columns that order the source's rows totally (every primary-key column of each side). */
  readonly totalOrder: readonly Expr[];
  readonly tables: readonly TableSpec[];
}

const pkOf = (table: TableSpec, qualifier?: string): Expr[] => table.primaryKey.map((name) => col(name, table.columns.find((c) => c.name === name)!.type, qualifier));

const on = (pairs: readonly (readonly [Expr, Expr])[]): Expr =>
  pairs.map(([l, r]): Expr => ({ k: 'cmp', op: '=', left: l, right: r })).reduce((acc, e) => ({ k: 'logic', op: 'AND', left: acc, right: e }));

export function singleSource(world: World, table: TableSpec): Source {
  const gen = (params: boolean) => new ExprGen(scopeOf(world, [[table, undefined]], { subqueries: true, params }));
  return { from: { table: table.name }, gen: gen(true), keyGen: gen(false), totalOrder: pkOf(table), tables: [table] };
}

/** A join: ON pairs the left's columns with the right's, plus (right replicated only) maybe one more condition on the right. */
function joinSource(world: World, left: TableSpec, right: TableSpec, pairs: readonly (readonly [string, string])[]): fc.Arbitrary<Source> {
  const gen = new ExprGen(scopeOf(world, [[left, 'a'], [right, 'b']], { subqueries: true, params: true }));
  const keyGen = new ExprGen(scopeOf(world, [[left, 'a'], [right, 'b']], { subqueries: true, params: false }));
  const rightOnly = new ExprGen(scopeOf(world, [[right, 'b']], { subqueries: false, params: false }));
  const typeOf = (t: TableSpec, name: string) => t.columns.find((c) => c.name === name)!.type;
  const base = on(pairs.map(([l, r]) => [col(l, typeOf(left, l), 'a'), col(r, typeOf(right, r), 'b')] as const));
  const extra = right.mode === 'replicated' ? sometimes(rightOnly.predicate(0), 0.3) : fc.constant(undefined);
  return fc.tuple(fc.constantFrom<'INNER' | 'LEFT'>('INNER', 'LEFT'), extra).map(([kind, more]) => ({
    from: { table: left.name, alias: 'a' },
    join: { kind, table: right.name, alias: 'b', on: more ? { k: 'logic', op: 'AND', left: base, right: more } : base },
    gen,
    keyGen,
    totalOrder: [...pkOf(left, 'a'), ...pkOf(right, 'b')],
    tables: [left, right],
  }));
}

/**
 * Every join the world allows: toward a replicated right side on any column
 * of the key's type, and partitioned to partitioned on the full primary keys.
 */
export function joinSources(world: World): fc.Arbitrary<Source>[] {
  const sources: fc.Arbitrary<Source>[] = [];
  for (const right of world.tables) {
    for (const left of world.tables) {
      if (right.mode === 'replicated' && right.primaryKey.length === 1) {
        const key = right.columns[0]!;
        const candidates = left.columns.filter((c) => c.type === key.type);
        for (const c of candidates.slice(0, 2)) sources.push(joinSource(world, left, right, [[c.name, key.name]]));
      } else if (samePrimaryKey(left, right) && (right.mode === 'replicated' || left.mode === 'partitioned')) {
        sources.push(joinSource(world, left, right, left.primaryKey.map((k) => [k, k] as const)));
      }
    }
  }
  return sources;
}

function samePrimaryKey(a: TableSpec, b: TableSpec): boolean {
  return a.primaryKey.length === b.primaryKey.length && a.primaryKey.every((k, i) => b.primaryKey[i] === k && a.columns[i]!.type === b.columns[i]!.type);
}
