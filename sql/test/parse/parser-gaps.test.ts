import { describe, expect, test } from 'vitest';
import { parseStatement } from '../../src/parse/index.js';
import { bin, col, expectSqlError, lit, param, selectOf, statementOf } from './helpers.js';

/** The three forms node-sql-parser's PostgreSQL grammar lacks, handled around it. */
describe('? placeholders', () => {
  test('numbered in order of appearance', () => {
    expect(parseStatement('SELECT name FROM customers WHERE tier = ? AND visits > ? LIMIT ?')).toEqual({
      statement: {
        kind: 'select',
        distinct: false,
        items: [{ kind: 'expr', expr: col('name') }],
        from: { name: 'customers' },
        joins: [],
        where: bin('and', bin('=', col('tier'), param(0)), bin('>', col('visits'), param(1))),
        groupBy: [],
        orderBy: [],
        limit: param(2),
      },
      parameterCount: 3,
    });
  });

  test('in every statement kind', () => {
    expect(parseStatement('INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON CONFLICT (a) DO UPDATE SET b = ?')).toMatchObject({
      statement: { rows: [[param(0), param(1)], [param(2), param(3)]], onConflict: { action: { set: [{ column: 'b', value: param(4) }] } } },
      parameterCount: 5,
    });
    expect(parseStatement('UPDATE t SET a = ? WHERE b = ?')).toMatchObject({ statement: { set: [{ value: param(0) }], where: bin('=', col('b'), param(1)) }, parameterCount: 2 });
    expect(parseStatement('DELETE FROM t WHERE a IN (?, ?, ?)')).toMatchObject({ parameterCount: 3 });
    expect(parseStatement('SELECT a FROM t WHERE a BETWEEN ? AND ? AND b LIKE ? AND c IN (SELECT d FROM u WHERE e = ?)').parameterCount).toBe(4);
  });

  test('a ? against a word or an operator stays apart from it', () => {
    expect(selectOf('SELECT a FROM t WHERE a=?AND b=?').where).toEqual(bin('and', bin('=', col('a'), param(0)), bin('=', col('b'), param(1))));
    expect(selectOf('SELECT a FROM t WHERE a>=?').where).toEqual(bin('>=', col('a'), param(0)));
    expect(selectOf('SELECT ?||?').items).toEqual([{ kind: 'expr', expr: bin('||', param(0), param(1)) }]);
  });

  test('a ? inside a string, quoted name or comment is not a placeholder', () => {
    expect(parseStatement("SELECT 'why?' FROM t")).toMatchObject({ statement: { items: [{ kind: 'expr', expr: lit('why?') }] }, parameterCount: 0 });
    expect(parseStatement("SELECT 'why?', ? FROM t WHERE b = 'x?y' AND c = ?")).toMatchObject({
      statement: { items: [{ kind: 'expr', expr: lit('why?') }, { kind: 'expr', expr: param(0) }], where: bin('and', bin('=', col('b'), lit('x?y')), bin('=', col('c'), param(1))) },
      parameterCount: 2,
    });
    expect(parseStatement('SELECT "odd?name", ? FROM t')).toMatchObject({ statement: { items: [{ kind: 'expr', expr: col('odd?name') }, { kind: 'expr', expr: param(0) }] }, parameterCount: 1 });
    expect(parseStatement('SELECT a /* what? */ FROM t WHERE a = ? -- really?')).toMatchObject({ statement: { where: bin('=', col('a'), param(0)) }, parameterCount: 1 });
    expect(parseStatement('SELECT $$a?b$$, ?')).toMatchObject({ statement: { items: [{ kind: 'expr', expr: lit('a?b') }, { kind: 'expr', expr: param(0) }] }, parameterCount: 1 });
  });

  test('a string that looks like a marker changes nothing', () => {
    expect(parseStatement("SELECT '$shoalq0', ? FROM t")).toMatchObject({ statement: { items: [{ kind: 'expr', expr: lit('$shoalq0') }, { kind: 'expr', expr: param(0) }] }, parameterCount: 1 });
  });

  test('mixing ? and $n is refused', () => {
    expectSqlError('SELECT a FROM t WHERE a = ? AND b = $1', /cannot mix \$n and \? parameters/);
    expectSqlError('SELECT a FROM t WHERE a = $1 AND b = ?', /cannot mix/);
  });

  test('a syntax error elsewhere in a statement with ? points at the user\'s own text', () => {
    const error = expectSqlError('SELECT a FROM t WHERE a = ? AND b = ? ORDER a', /syntax error/);
    expect(error.message).toMatch(/at or near "a" \(line 1, column 45\)/);
    expect(error.message).toContain('ORDER ⟨here⟩a');
  });

  test("a ? between operands is PostgreSQL's jsonb operator; one the grammar cannot place is a syntax error", () => {
    expectSqlError('SELECT a ? b FROM t', /does not support the operator \?/);
    expectSqlError('SELECT a FROM t WHERE a = ??', /syntax error at end of input \(line 1, column 29\)/);
    expectSqlError('SELECT ? ? FROM t', /syntax error/);
  });

  test('a thousand-row insert with ? takes a couple of parses, even with a ? in a string or a syntax error', () => {
    const rows = Array.from({ length: 1000 }, () => '(?, ?, ?)').join(', ');
    const started = performance.now();
    const parsed = parseStatement(`INSERT INTO t (a, b, c) VALUES ('what?', ?, ?), ${rows}`);
    expect(parsed.parameterCount).toBe(3002);
    if (parsed.statement.kind !== 'insert') throw new Error('not an INSERT');
    expect(parsed.statement.rows[0]).toEqual([lit('what?'), param(0), param(1)]);
    expect(parsed.statement.rows[1000]).toEqual([param(2999), param(3000), param(3001)]);
    const error = expectSqlError(`INSERT INTO t (a, b, c) VALUES ${rows} ON CONFLICT (a) DO SOMETHING`, /syntax error/);
    expect(error.message).toContain('DO ⟨here⟩SOMETHING');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test('a thousand-row insert with ? parses in one pass', () => {
    const rows = Array.from({ length: 1000 }, () => '(?, ?, ?)').join(', ');
    const started = performance.now();
    const parsed = parseStatement(`INSERT INTO t (a, b, c) VALUES ${rows}`);
    expect(parsed.parameterCount).toBe(3000);
    if (parsed.statement.kind !== 'insert') throw new Error('not an INSERT');
    expect(parsed.statement.rows[999]).toEqual([param(2997), param(2998), param(2999)]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('EXPLAIN', () => {
  test('wraps SELECT, INSERT, UPDATE, DELETE; parameters counted', () => {
    expect(parseStatement('EXPLAIN SELECT a FROM t WHERE a = $1')).toEqual({
      statement: {
        kind: 'explain',
        statement: { kind: 'select', distinct: false, items: [{ kind: 'expr', expr: col('a') }], from: { name: 't' }, joins: [], where: bin('=', col('a'), param(0)), groupBy: [], orderBy: [] },
      },
      parameterCount: 1,
    });
    expect(statementOf('explain\n  INSERT INTO t (a) VALUES (1)')).toMatchObject({ kind: 'explain', statement: { kind: 'insert' } });
    expect(statementOf('  Explain UPDATE t SET a = 1')).toMatchObject({ kind: 'explain', statement: { kind: 'update' } });
    expect(statementOf('EXPLAIN DELETE FROM t WHERE a = ?')).toMatchObject({ kind: 'explain', statement: { kind: 'delete', where: bin('=', col('a'), param(0)) } });
  });

  test('only a leading EXPLAIN keyword: names and strings containing it are untouched', () => {
    expect(selectOf("SELECT \"explain\" FROM explains WHERE note = 'explain select'")).toMatchObject({
      items: [{ kind: 'expr', expr: col('explain') }],
      from: { name: 'explains' },
      where: bin('=', col('note'), lit('explain select')),
    });
    expect(selectOf('SELECT explained FROM t').items).toEqual([{ kind: 'expr', expr: col('explained') }]);
  });

  test('syntax errors after EXPLAIN keep their position in the text as written', () => {
    expect(expectSqlError('EXPLAIN SELECT a FROM t WHERE a =', /syntax error/).message).toMatch(/at end of input \(line 1, column 34\)/);
    expect(expectSqlError('EXPLAIN\nSELECT a\nFROM t WHERE a =', /syntax error/).message).toMatch(/at end of input \(line 3, column 17\)/);
  });

  test('refused: options, DDL, nothing to explain', () => {
    expectSqlError('EXPLAIN ANALYZE SELECT 1', /EXPLAIN ANALYZE is not supported/);
    expectSqlError('EXPLAIN VERBOSE SELECT 1', /EXPLAIN VERBOSE is not supported/);
    expectSqlError('EXPLAIN CREATE TABLE t (a INT PRIMARY KEY)', /EXPLAIN of CREATE TABLE is not supported/);
    expectSqlError('EXPLAIN ', /EXPLAIN needs a statement/);
  });
});

describe("CREATE TABLE's trailing WITH options", () => {
  const optionsOf = (sql: string) => {
    const statement = statementOf(sql);
    if (statement.kind !== 'create-table') throw new Error('not CREATE TABLE');
    return statement.options;
  };

  test("PostgreSQL's form: WITH (name = value, ...)", () => {
    expect(optionsOf("CREATE TABLE t (a INT PRIMARY KEY) WITH (mode = 'replicated', backups = 2)")).toEqual({ mode: 'replicated', backups: 2 });
    expect(optionsOf('CREATE TABLE t (a INT PRIMARY KEY) with (MODE = partitioned);')).toEqual({ mode: 'partitioned' });
    expect(optionsOf('CREATE TABLE t (a INT PRIMARY KEY)\nWITH (\n  backups = 0\n)\n')).toEqual({ backups: 0 });
  });

  test('the design\'s form: WITH "mode=...,backups=..."', () => {
    expect(optionsOf('CREATE TABLE t (a INT PRIMARY KEY) WITH "mode=partitioned,backups=1"')).toEqual({ mode: 'partitioned', backups: 1 });
    expect(optionsOf('CREATE TABLE t (a INT PRIMARY KEY) WITH "mode=replicated"')).toEqual({ mode: 'replicated' });
  });

  test('no WITH: the cache defaults', () => {
    expect(optionsOf('CREATE TABLE t (a INT PRIMARY KEY)')).toEqual({});
  });

  test('does not misfire on strings, names and comments holding the same words', () => {
    // A column and a string mentioning WITH (...): the statement parses as it is, no options.
    expect(optionsOf('CREATE TABLE "with (mode = replicated)" (a INT PRIMARY KEY)')).toEqual({});
    expect(statementOf('CREATE TABLE "with (mode = replicated)" (a INT PRIMARY KEY)')).toMatchObject({ name: 'with (mode = replicated)' });
    // In a trailing comment: ignored, as PostgreSQL ignores comments.
    expect(optionsOf("CREATE TABLE t (a INT PRIMARY KEY) -- with (mode = 'replicated')")).toEqual({});
    // Not CREATE TABLE: a string ending in the clause stays a string.
    expect(selectOf("SELECT * FROM t WHERE note = 'x with (mode = ''replicated'')'").where).toEqual(bin('=', col('note'), lit("x with (mode = 'replicated')")));
    expect(selectOf("SELECT f('with (a', 'b')").items).toEqual([{ kind: 'expr', expr: { kind: 'call', name: 'f', args: [lit('with (a'), lit('b')], distinct: false, star: false } }]);
  });

  test('a clause matched inside a broken statement does not hide its own syntax error', () => {
    const withClause = expectSqlError("SELEC f('with (a', 'b')", /syntax error/);
    const without = expectSqlError("SELEC f('x', 'b')", /syntax error/);
    expect(withClause.message).toMatch(/at or near "f" \(line 1, column 7\)/);
    expect(without.message).toMatch(/at or near "f" \(line 1, column 7\)/);
  });

  test('bad options', () => {
    expectSqlError("CREATE TABLE t (a INT PRIMARY KEY) WITH (mode = 'sharded')", /invalid value for parameter "mode"/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (backups = -1)', /invalid value for parameter "backups"/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (backups = 1.5)', /invalid value for parameter "backups"/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (fillfactor = 70)', /unrecognized parameter "fillfactor"/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (backups = 1, backups = 2)', /specified more than once/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (backups)', /invalid WITH options/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY) WITH (backups = 1 FROM x)', /invalid WITH options/);
    expectSqlError("CREATE TABLE t (a INT PRIMARY KEY) WITH (mode = 'x", /syntax error/);
  });

  test('WITH options on anything but CREATE TABLE are refused', () => {
    expectSqlError("SELECT a FROM t WITH (mode = 'replicated')", /WITH \(\.\.\.\) options belong to CREATE TABLE/);
    expectSqlError('SELECT a FROM t WITH (mode = 1)', /WITH \(\.\.\.\) options belong to CREATE TABLE/);
  });
});

describe('INSERT without a column list before ON CONFLICT, and a target alias', () => {
  const insertOf = (sql: string) => {
    const statement = statementOf(sql);
    if (statement.kind !== 'insert') throw new Error(`not an INSERT: ${statement.kind}`);
    return statement;
  };

  test('ON CONFLICT without a column list: every column, as without ON CONFLICT', () => {
    expect(insertOf('INSERT INTO t VALUES (1, 2) ON CONFLICT (a) DO NOTHING')).toEqual({
      kind: 'insert',
      table: 't',
      rows: [[lit(1), lit(2)]],
      onConflict: { target: ['a'], action: { kind: 'nothing' } },
    });
    expect(insertOf('insert into "T"\n values (?, ?), ($$x$$, ?) on conflict (a) do update set b = excluded.b where t.b < 3')).toEqual({
      kind: 'insert',
      table: 'T',
      rows: [[param(0), param(1)], [lit('x'), param(2)]],
      onConflict: { target: ['a'], action: { kind: 'update', set: [{ column: 'b', value: col('b', 'excluded') }], where: bin('<', col('b', 't'), lit(3)) } },
    });
    expect(insertOf('INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING')).toMatchObject({ onConflict: { target: [], action: { kind: 'nothing' } } });
    expect(statementOf('EXPLAIN INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING')).toMatchObject({ kind: 'explain', statement: { kind: 'insert', table: 't' } });
    expect(insertOf('INSERT INTO t VALUES (1)')).not.toHaveProperty('columns');
  });

  test('a user column named like the marker is still the user\'s', () => {
    expect(insertOf('INSERT INTO t (shoal_all_columns) VALUES (1) ON CONFLICT (a) DO NOTHING').columns).toEqual(['shoal_all_columns']);
    expect(insertOf("INSERT INTO t VALUES ('shoal_all_columns') ON CONFLICT (a) DO NOTHING")).toMatchObject({ rows: [[lit('shoal_all_columns')]] });
    expect(insertOf("INSERT INTO t VALUES ('shoal_all_columns') ON CONFLICT (a) DO NOTHING")).not.toHaveProperty('columns');
  });

  test('strings and comments are never edited: their statements keep their own errors', () => {
    expect(expectSqlError('/* c */ INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING', /syntax error/).message).toMatch(/at or near "ON"/);
    expect(selectOf("SELECT 'INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING'").items).toEqual([{ kind: 'expr', expr: lit('INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING') }]);
  });

  test('a later syntax error is reported where the user wrote it', () => {
    const error = expectSqlError('INSERT INTO t VALUES (1, 2)\nON CONFLICT (a) DO SOMETHING', /syntax error/);
    expect(error.message).toMatch(/at or near "SOMETHING" \(line 2, column 20\)/);
    // Where the grammar stops, as it does with a column list.
    expect(expectSqlError('INSERT INTO t VALUES (1) ON CONFLICTS', /syntax error/).message).toMatch(/\(line 1, column 37\)/);
    expect(expectSqlError('INSERT INTO t (a) VALUES (1) ON CONFLICTS', /syntax error/).message).toMatch(/\(line 1, column 41\)/);
    expectSqlError('INSERT INTO t VALUES (1), (1, 2) ON CONFLICT (a) DO NOTHING', /VALUES lists must all be the same length/);
  });

  test('a target alias names the table in ON CONFLICT, hiding its own name', () => {
    expect(insertOf('INSERT INTO items AS i (id, qty) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET qty = i.qty + excluded.qty WHERE i.qty < 10')).toEqual({
      kind: 'insert',
      table: 'items',
      columns: ['id', 'qty'],
      rows: [[lit(1), lit(2)]],
      onConflict: {
        target: ['id'],
        action: { kind: 'update', set: [{ column: 'qty', value: bin('+', col('qty', 'items'), col('qty', 'excluded')) }], where: bin('<', col('qty', 'items'), lit(10)) },
      },
    });
    expect(insertOf('INSERT INTO items AS "I" VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET qty = "I".qty')).toMatchObject({
      onConflict: { action: { set: [{ column: 'qty', value: col('qty', 'items') }] } },
    });
    expect(insertOf('INSERT INTO items as i VALUES (1)')).toEqual({ kind: 'insert', table: 'items', rows: [[lit(1)]] });
    expectSqlError('INSERT INTO items AS i VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET qty = items.qty', /invalid reference to FROM-clause entry for table "items"/);
    expectSqlError('INSERT INTO items AS excluded VALUES (1) ON CONFLICT (id) DO NOTHING', /table name "excluded" specified more than once/);
  });
});
