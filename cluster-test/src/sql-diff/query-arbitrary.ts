import fc from 'fast-check';
import { aggregateCall, aggregateItem, havingPredicate } from './aggregate-arbitrary.js';
import { type Expr, col, isApprox, lit, readsColumn, typeOf } from './expr.js';
import { type Ordering, orderingArbitrary } from './order-arbitrary.js';
import { type Query, type SelectItem, renderQuery } from './query.js';
import { type Source, joinSources, singleSource } from './source-arbitrary.js';
import { sometimes } from './value-arbitrary.js';
import type { TableSpec, World } from './world.js';

const aliases = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const itemsOf = (exprs: readonly Expr[]): SelectItem[] => exprs.map((expr, i) => ({ expr, alias: `c${i}` }));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * SQLite reads an ORDER BY key that folds to an integer constant as a column
 * position (`(FALSE AND k1 = 9)` folds to 0): keys read a column and are not BOOLEAN.
 */
const orderableKey = (e: Expr) => readsColumn(e) && typeOf(e) !== 'bool';

/** `SELECT [DISTINCT] exprs FROM source [WHERE] [ORDER BY [LIMIT [OFFSET]]]`. */
function plainQuery(source: Source): fc.Arbitrary<Query> {
  const { gen } = source;
  const body = fc.record({
    exprs: fc.array(gen.anyScalar(2), { minLength: 1, maxLength: 4 }),
    distinct: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    where: sometimes(gen.where(), 0.6),
  });
  return body.chain(({ exprs, distinct, where }) => {
    const names = aliases(exprs.length);
    const ordering = orderingArbitrary({
      sortable: range(exprs.length),
      aliases: names,
      ...(distinct ? {} : { expressions: gen.anyScalar(1).filter(orderableKey) }),
      tieBreak: distinct ? range(exprs.length).map((alias) => ({ alias })) : source.totalOrder.map((expr) => ({ expr })),
    });
    return ordering.map((o) => assemble(source, { distinct, items: itemsOf(exprs), ...(where ? { where } : {}) }, o));
  });
}

/** `SELECT keys..., aggregates... FROM source [WHERE] GROUP BY keys [HAVING] [ORDER BY ...]`. */
function groupedQuery(source: Source): fc.Arbitrary<Query> {
  const { gen, keyGen } = source;
  const computed = fc.oneof(...keyGen.comparableTypes().map((t) => keyGen.scalar(t === 'bool' ? 'int' : t, 1, false))).filter(readsColumn);
  const key = fc.oneof(computed, ...gen.scope.columns.map((c) => fc.constant(col(c.column.name, c.column.type, c.qualifier))));
  const body = fc.record({
    keys: fc.uniqueArray(key, { minLength: 1, maxLength: 2, selector: (e) => JSON.stringify(e) }),
    aggregates: fc.array(aggregateItem(gen), { minLength: 1, maxLength: 3 }),
    where: sometimes(gen.where(), 0.6),
    having: sometimes(havingPredicate(gen), 0.3),
    distinct: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
  return body.chain(({ keys, aggregates, where, having, distinct }) => {
    const exprs = [...keys, ...aggregates];
    const ordering = orderingArbitrary({
      sortable: range(exprs.length).filter((i) => !isApprox(exprs[i]!)),
      aliases: aliases(exprs.length),
      // An aggregate the select list does not show may order the groups too (PostgreSQL allows it, but not with DISTINCT).
      ...(distinct ? {} : { expressions: aggregateCall(gen).filter((e) => !isApprox(e)) }),
      tieBreak: range(keys.length).map((alias) => ({ alias })),
    });
    const parts = { distinct, items: itemsOf(exprs), groupBy: keys, ...(where ? { where } : {}), ...(having ? { having } : {}) };
    return ordering.map((o) => assemble(source, parts, o));
  });
}

/** Aggregates over the whole (filtered) source: one row, also over no rows. */
function globalAggregate(source: Source): fc.Arbitrary<Query> {
  const { gen } = source;
  return fc.tuple(fc.array(aggregateItem(gen), { minLength: 1, maxLength: 4 }), sometimes(gen.where(), 0.6)).map(([exprs, where]) =>
    assemble(source, { distinct: false, items: itemsOf(exprs), ...(where ? { where } : {}) }, { check: { kind: 'none' } }),
  );
}

/** `WHERE pk = v` (every key column), the single-partition path, with a key that exists or one that does not. */
function pointLookup(source: Source): fc.Arbitrary<Query> {
  const table = source.tables[0]!;
  const keyRow = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...table.rows) }, { weight: 1, arbitrary: fc.constant(absentKey(table)) });
  const star = { star: table.columns.map((c) => ({ name: c.name, type: c.type })) };
  const shape = fc.record({
    row: keyRow,
    asParams: fc.boolean(),
    selectStar: fc.boolean(),
    extra: sometimes(source.gen.predicate(1), 0.3),
    exprs: fc.array(source.gen.anyScalar(1), { minLength: 1, maxLength: 3 }),
  });
  return shape.map(({ row, asParams, selectStar, extra, exprs }) => {
    const conditions = table.primaryKey.map((k): Expr => {
      const type = table.columns.find((c) => c.name === k)!.type;
      return { k: 'cmp', op: '=', left: col(k, type), right: lit(row[k]!, type, asParams) };
    });
    const where = [...conditions, ...(extra ? [extra] : [])].reduce((a, b): Expr => ({ k: 'logic', op: 'AND', left: a, right: b }));
    return assemble(source, { distinct: false, items: selectStar ? star : itemsOf(exprs), where }, { check: { kind: 'none' } });
  });
}

function absentKey(table: TableSpec): Record<string, number | string> {
  return Object.fromEntries(table.primaryKey.map((k) => [k, table.columns.find((c) => c.name === k)!.type === 'int' ? 100_000 : 'zz']));
}

/** `SELECT * FROM t [WHERE] [ORDER BY pk]`. */
function starQuery(source: Source): fc.Arbitrary<Query> {
  const table = source.tables[0]!;
  const star = { star: table.columns.map((c) => ({ name: c.name, type: c.type })) };
  return fc.tuple(sometimes(source.gen.where(), 0.6), fc.boolean()).map(([where, ordered]) =>
    assemble(source, { distinct: false, items: star, ...(where ? { where } : {}) }, ordered ? { orderBy: source.totalOrder.map((expr) => ({ key: { expr }, direction: 'ASC', nulls: 'LAST' })), check: { kind: 'total' } } : { check: { kind: 'none' } }),
  );
}

type QueryBody = Pick<Query, 'distinct' | 'items' | 'where' | 'groupBy' | 'having'>;

function assemble(source: Source, body: QueryBody, ordering: Ordering): Query {
  return described({ ...body, from: source.from, ...(source.join ? { join: source.join } : {}), ...ordering });
}

/** fast-check prints a counterexample with this: the SQL Shoal ran, not the tree. */
export function described<T extends Query>(q: T): T {
  return Object.defineProperty(q, fc.toStringMethod, { value: () => describeQuery(q), enumerable: false });
}

export function describeQuery(q: Query): string {
  const { text, params } = renderQuery(q, 'pg');
  return params.length === 0 ? text : `${text} -- params ${JSON.stringify(params.map((p) => p.value))}`;
}

/** Every query shape over every table and join of the world. */
export function queryArbitrary(world: World): fc.Arbitrary<Query> {
  const singles = world.tables.map((t) => singleSource(world, t));
  const joins = joinSources(world);
  const single = fc.constantFrom(...singles);
  const joined = fc.oneof(...joins);
  const source = fc.oneof({ weight: 3, arbitrary: single }, { weight: 2, arbitrary: joined });
  return fc.oneof(
    { weight: 5, arbitrary: source.chain(plainQuery) },
    { weight: 4, arbitrary: source.chain(groupedQuery) },
    { weight: 1, arbitrary: source.chain(globalAggregate) },
    { weight: 1, arbitrary: fc.oneof(...singles.map(pointLookup)) },
    { weight: 1, arbitrary: fc.oneof(...singles.map(starQuery)) },
  );
}
