import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type Compilable } from 'kysely';
import { describe, expect, test } from 'vitest';
import { parseStatement } from '../../src/parse/index.js';
import { bin, call, col, lit, param } from './helpers.js';

interface DB {
  customers: { id: number; name: string; tier: string | null; visits: number };
  orders: { id: number; customer_id: number; total: number };
  tiers: { id: string; label: string };
}

/** Kysely with its own PostgreSQL compiler and no connection: what `grid.kysely()` sends. */
const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Parses what Kysely compiled; parameterCount must cover Kysely's parameters exactly. */
function parseCompiled(query: Compilable) {
  const compiled = query.compile();
  const parsed = parseStatement(compiled.sql);
  expect(parsed.parameterCount).toBe(compiled.parameters.length);
  return parsed.statement;
}

describe('SQL compiled by Kysely for PostgreSQL', () => {
  test('selectFrom / where / orderBy / limit / offset', () => {
    const query = db.selectFrom('customers').select(['id', 'name']).where('tier', '=', 'gold').orderBy('name', 'desc').limit(10).offset(5);
    expect(query.compile().sql).toBe('select "id", "name" from "customers" where "tier" = $1 order by "name" desc limit $2 offset $3');
    expect(parseCompiled(query)).toEqual({
      kind: 'select',
      distinct: false,
      items: [
        { kind: 'expr', expr: col('id') },
        { kind: 'expr', expr: col('name') },
      ],
      from: { name: 'customers' },
      joins: [],
      where: bin('=', col('tier'), param(0)),
      groupBy: [],
      orderBy: [{ expr: col('name'), direction: 'desc' }],
      limit: param(1),
      offset: param(2),
    });
  });

  test('innerJoin / leftJoin with aliases, selectAll of one table, an in list', () => {
    const query = db
      .selectFrom('customers as c')
      .innerJoin('orders as o', 'o.customer_id', 'c.id')
      .leftJoin('tiers', 'tiers.id', 'c.tier')
      .select(['c.name', 'o.total as t'])
      .selectAll('c')
      .where('o.total', '>', 100)
      .where('c.id', 'in', [1, 2, 3]);
    expect(parseCompiled(query)).toEqual({
      kind: 'select',
      distinct: false,
      items: [
        { kind: 'expr', expr: col('name', 'c') },
        { kind: 'expr', expr: col('total', 'o'), alias: 't' },
        { kind: 'star', table: 'c' },
      ],
      from: { name: 'customers', alias: 'c' },
      joins: [
        { kind: 'inner', table: { name: 'orders', alias: 'o' }, on: bin('=', col('customer_id', 'o'), col('id', 'c')) },
        { kind: 'left', table: { name: 'tiers' }, on: bin('=', col('id', 'tiers'), col('tier', 'c')) },
      ],
      where: bin('and', bin('>', col('total', 'o'), param(0)), { kind: 'in-list', operand: col('id', 'c'), list: [param(1), param(2), param(3)], negated: false }),
      groupBy: [],
      orderBy: [],
    });
  });

  test('groupBy / having with sql`count(*)` and fn.sum / fn.countAll', () => {
    const query = db
      .selectFrom('orders')
      .select(['customer_id', sql<number>`count(*)`.as('n'), (eb) => eb.fn.sum('total').as('s'), (eb) => eb.fn.countAll().as('c')])
      .groupBy('customer_id')
      .having(sql`count(*)`, '>', 2)
      .orderBy('customer_id');
    const statement = parseCompiled(query);
    expect(statement).toMatchObject({
      items: [
        { kind: 'expr', expr: col('customer_id') },
        { kind: 'expr', expr: call('count', [], { star: true }), alias: 'n' },
        { kind: 'expr', expr: call('sum', [col('total')]), alias: 's' },
        { kind: 'expr', expr: call('count', [], { star: true }), alias: 'c' },
      ],
      groupBy: [col('customer_id')],
      having: bin('>', call('count', [], { star: true }), param(0)),
      orderBy: [{ expr: col('customer_id'), direction: 'asc' }],
    });
  });

  test('insertInto many rows with onConflict doUpdateSet from excluded', () => {
    const query = db
      .insertInto('customers')
      .values([
        { id: 1, name: 'a', tier: null, visits: 0 },
        { id: 2, name: 'b', tier: 'gold', visits: 1 },
      ])
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: (eb) => eb.ref('excluded.name'), visits: (eb) => eb('customers.visits', '+', 1) }));
    expect(parseCompiled(query)).toEqual({
      kind: 'insert',
      table: 'customers',
      columns: ['id', 'name', 'tier', 'visits'],
      rows: [
        [param(0), param(1), param(2), param(3)],
        [param(4), param(5), param(6), param(7)],
      ],
      onConflict: {
        target: ['id'],
        action: {
          kind: 'update',
          set: [
            { column: 'name', value: col('name', 'excluded') },
            { column: 'visits', value: bin('+', col('visits', 'customers'), param(8)) },
          ],
        },
      },
    });
  });

  test('insertInto with onConflict doNothing', () => {
    const query = db.insertInto('tiers').values({ id: 'gold', label: 'Gold' }).onConflict((oc) => oc.column('id').doNothing());
    expect(parseCompiled(query)).toEqual({
      kind: 'insert',
      table: 'tiers',
      columns: ['id', 'label'],
      rows: [[param(0), param(1)]],
      onConflict: { target: ['id'], action: { kind: 'nothing' } },
    });
  });

  test('updateTable set where', () => {
    const query = db.updateTable('customers').set({ name: 'x', tier: null }).where('id', '=', 1);
    expect(parseCompiled(query)).toEqual({
      kind: 'update',
      table: 'customers',
      set: [
        { column: 'name', value: param(0) },
        { column: 'tier', value: param(1) },
      ],
      where: bin('=', col('id'), param(2)),
    });
  });

  test('deleteFrom where with in list, or, is null, like', () => {
    const query = db
      .deleteFrom('customers')
      .where('id', 'in', [1, 2])
      .where((eb) => eb.or([eb('tier', 'is', null), eb('name', 'like', 'x%')]));
    expect(parseCompiled(query)).toEqual({
      kind: 'delete',
      table: 'customers',
      where: bin(
        'and',
        { kind: 'in-list', operand: col('id'), list: [param(0), param(1)], negated: false },
        bin('or', { kind: 'is-null', operand: col('tier'), negated: false }, { kind: 'like', operand: col('name'), pattern: param(2), caseInsensitive: false, negated: false }),
      ),
    });
  });

  test('distinct, not in subquery, between, nulls last', () => {
    const query = db
      .selectFrom('customers')
      .selectAll()
      .distinct()
      .where('id', 'not in', (eb) => eb.selectFrom('orders').select('customer_id'))
      .where((eb) => eb.between('visits', 1, 5))
      .orderBy('name', (ob) => ob.desc().nullsLast());
    expect(parseCompiled(query)).toMatchObject({
      distinct: true,
      items: [{ kind: 'star' }],
      where: bin(
        'and',
        { kind: 'in-subquery', operand: col('id'), negated: true, query: { kind: 'select', distinct: false, from: { name: 'orders' }, items: [{ kind: 'expr', expr: col('customer_id') }], joins: [], groupBy: [], orderBy: [] } },
        { kind: 'between', operand: col('visits'), low: param(0), high: param(1), negated: false },
      ),
      orderBy: [{ expr: col('name'), direction: 'desc', nulls: 'last' }],
    });
  });

  test('case, cast, coalesce, count distinct, ilike, is not null, not', () => {
    const query = db
      .selectFrom('customers')
      .select((eb) => [
        eb.case().when('visits', '=', 1).then('one').else('many').end().as('c'),
        eb.cast('visits', 'bigint').as('b'),
        eb.fn.coalesce('tier', sql<string>`'none'`).as('t'),
        eb.fn.count('tier').distinct().as('d'),
      ])
      .where('name', 'ilike', '%x')
      .where('tier', 'is not', null)
      .where((eb) => eb.not(eb('visits', '<>', 3)));
    expect(parseCompiled(query)).toMatchObject({
      items: [
        { kind: 'expr', alias: 'c', expr: { kind: 'case', whens: [{ when: bin('=', col('visits'), param(0)), then: param(1) }], otherwise: param(2) } },
        { kind: 'expr', alias: 'b', expr: { kind: 'cast', operand: col('visits'), type: { kind: 'bigint' } } },
        { kind: 'expr', alias: 't', expr: call('coalesce', [col('tier'), lit('none')]) },
        { kind: 'expr', alias: 'd', expr: call('count', [col('tier')], { distinct: true }) },
      ],
      where: bin(
        'and',
        bin('and', { kind: 'like', operand: col('name'), pattern: param(3), caseInsensitive: true, negated: false }, { kind: 'is-null', operand: col('tier'), negated: true }),
        { kind: 'unary', op: 'not', operand: bin('<>', col('visits'), param(4)) },
      ),
    });
  });
});
