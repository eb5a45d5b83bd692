import { describe, expect, test } from 'vitest';
import { parseStatement } from '../../src/parse/index.js';
import { bin, col, expectSqlError, lit, param, statementOf } from './helpers.js';

describe('INSERT', () => {
  test('a column list and several rows', () => {
    expect(parseStatement("INSERT INTO Customers (id, Name, \"Tier\") VALUES (1, 'a', 'gold'), ($1, $2, NULL)")).toEqual({
      statement: {
        kind: 'insert',
        table: 'customers',
        columns: ['id', 'name', 'Tier'],
        rows: [
          [lit(1), lit('a'), lit('gold')],
          [param(0), param(1), lit(null)],
        ],
      },
      parameterCount: 2,
    });
  });

  test('without a column list (every column in table order)', () => {
    expect(statementOf('INSERT INTO t VALUES (1, 2)')).toEqual({ kind: 'insert', table: 't', rows: [[lit(1), lit(2)]] });
  });

  test('ON CONFLICT (key) DO NOTHING', () => {
    expect(statementOf('INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT (id) DO NOTHING')).toMatchObject({
      onConflict: { target: ['id'], action: { kind: 'nothing' } },
    });
  });

  test('ON CONFLICT DO NOTHING without a target has an empty target', () => {
    expect(statementOf('INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT DO NOTHING')).toMatchObject({
      onConflict: { target: [], action: { kind: 'nothing' } },
    });
  });

  test('ON CONFLICT (a, b) DO UPDATE SET c = excluded.c WHERE ...', () => {
    expect(statementOf('INSERT INTO t (a, b, c) VALUES (1, 2, 3) ON CONFLICT (a, b) DO UPDATE SET c = excluded.c, n = t.n + 1 WHERE t.c < excluded.c')).toEqual({
      kind: 'insert',
      table: 't',
      columns: ['a', 'b', 'c'],
      rows: [[lit(1), lit(2), lit(3)]],
      onConflict: {
        target: ['a', 'b'],
        action: {
          kind: 'update',
          set: [
            { column: 'c', value: col('c', 'excluded') },
            { column: 'n', value: bin('+', col('n', 't'), lit(1)) },
          ],
          where: bin('<', col('c', 't'), col('c', 'excluded')),
        },
      },
    });
  });

  test('rows must match the column list, and the list must not repeat a column', () => {
    // node-sql-parser checks these two itself.
    expectSqlError('INSERT INTO t (a, b) VALUES (1)', /column count doesn't match value count at row 1/);
    expectSqlError('INSERT INTO t (a) VALUES (1, 2), (3, 4)', /column count doesn't match value count at row 1/);
    expectSqlError('INSERT INTO t VALUES (1, 2), (3)', /VALUES lists must all be the same length/);
    expectSqlError('INSERT INTO t (a, a) VALUES (1, 2)', /column "a" specified more than once/);
  });

  test('DO UPDATE needs a conflict target, as in PostgreSQL', () => {
    expectSqlError('INSERT INTO t (a) VALUES (1) ON CONFLICT DO UPDATE SET a = 2', /requires the conflict columns/);
  });

  test('refused forms', () => {
    expectSqlError('INSERT INTO t SELECT * FROM u', /does not support INSERT \.\.\. SELECT/);
    expectSqlError('INSERT INTO t (a) VALUES (1) RETURNING a', /does not support RETURNING/);
    expectSqlError('INSERT INTO t (a) VALUES (DEFAULT)', /does not support DEFAULT/);
    expectSqlError('INSERT INTO s.t (a) VALUES (1)', /schema-qualified/);
  });
});

describe('UPDATE', () => {
  test('SET several columns WHERE ...', () => {
    expect(statementOf("UPDATE Customers SET name = 'x', \"Tier\" = NULL, visits = visits + 1 WHERE id = $1")).toEqual({
      kind: 'update',
      table: 'customers',
      set: [
        { column: 'name', value: lit('x') },
        { column: 'Tier', value: lit(null) },
        { column: 'visits', value: bin('+', col('visits'), lit(1)) },
      ],
      where: bin('=', col('id'), param(0)),
    });
  });

  test('without WHERE', () => {
    expect(statementOf('UPDATE t SET a = 1')).toEqual({ kind: 'update', table: 't', set: [{ column: 'a', value: lit(1) }] });
  });

  test('refused forms', () => {
    expectSqlError('UPDATE t SET a = 1, a = 2', /multiple assignments to same column "a"/);
    expectSqlError('UPDATE t SET a = u.b FROM u WHERE t.id = u.id', /does not support UPDATE \.\.\. FROM/);
    expectSqlError('UPDATE t AS x SET a = 1', /does not support UPDATE with a table alias/);
    expectSqlError('UPDATE t SET t.a = 1', /qualified column in SET/);
    expectSqlError('UPDATE t SET a = 1 RETURNING a', /does not support RETURNING/);
  });
});

describe('DELETE', () => {
  test('with and without WHERE', () => {
    expect(statementOf('DELETE FROM Orders WHERE total < 10 OR id IN (1, 2)')).toEqual({
      kind: 'delete',
      table: 'orders',
      where: bin('or', bin('<', col('total'), lit(10)), { kind: 'in-list', operand: col('id'), list: [lit(1), lit(2)], negated: false }),
    });
    expect(statementOf('DELETE FROM t')).toEqual({ kind: 'delete', table: 't' });
  });

  test('refused forms', () => {
    expectSqlError('DELETE FROM t AS x WHERE x.a = 1', /does not support DELETE with a table alias/);
    expectSqlError('DELETE FROM t WHERE a = 1 RETURNING a', /does not support RETURNING/);
  });
});
