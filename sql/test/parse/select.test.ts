import { describe, expect, test } from 'vitest';
import { parseStatement } from '../../src/parse/index.js';
import { bin, call, col, exprOf, lit, param, selectOf } from './helpers.js';

describe('SELECT clauses', () => {
  test('items, FROM with alias, WHERE, ORDER BY, LIMIT/OFFSET', () => {
    expect(selectOf('SELECT a, b AS bee, t.c FROM things t WHERE a > 1 ORDER BY a DESC, b LIMIT 10 OFFSET 5')).toEqual({
      kind: 'select',
      distinct: false,
      items: [
        { kind: 'expr', expr: col('a') },
        { kind: 'expr', expr: col('b'), alias: 'bee' },
        { kind: 'expr', expr: col('c', 't') },
      ],
      from: { name: 'things', alias: 't' },
      joins: [],
      where: bin('>', col('a'), lit(1)),
      groupBy: [],
      orderBy: [
        { expr: col('a'), direction: 'desc' },
        { expr: col('b'), direction: 'asc' },
      ],
      limit: lit(10),
      offset: lit(5),
    });
  });

  test('SELECT without FROM', () => {
    expect(selectOf('SELECT 1 + 1')).toEqual({
      kind: 'select',
      distinct: false,
      items: [{ kind: 'expr', expr: bin('+', lit(1), lit(1)) }],
      joins: [],
      groupBy: [],
      orderBy: [],
    });
  });

  test('DISTINCT, *, t.*', () => {
    const select = selectOf('SELECT DISTINCT *, o.* FROM orders AS o');
    expect(select.distinct).toBe(true);
    expect(select.items).toEqual([{ kind: 'star' }, { kind: 'star', table: 'o' }]);
    expect(select.from).toEqual({ name: 'orders', alias: 'o' });
  });

  test('INNER and LEFT joins with ON', () => {
    const select = selectOf('SELECT c.name, o.total FROM customers c JOIN orders o ON o.cid = c.id LEFT OUTER JOIN tiers ON tiers.id = c.tier');
    expect(select.joins).toEqual([
      { kind: 'inner', table: { name: 'orders', alias: 'o' }, on: bin('=', col('cid', 'o'), col('id', 'c')) },
      { kind: 'left', table: { name: 'tiers' }, on: bin('=', col('id', 'tiers'), col('tier', 'c')) },
    ]);
    expect(selectOf('SELECT * FROM a INNER JOIN b ON a.x = b.x').joins[0]?.kind).toBe('inner');
    expect(selectOf('SELECT * FROM a LEFT JOIN b ON a.x = b.x').joins[0]?.kind).toBe('left');
  });

  test('GROUP BY and HAVING with aggregates', () => {
    const select = selectOf('SELECT tier, count(*), sum(total) FROM orders GROUP BY tier HAVING count(*) > 2');
    expect(select.groupBy).toEqual([col('tier')]);
    expect(select.having).toEqual(bin('>', call('count', [], { star: true }), lit(2)));
    expect(select.items[2]).toEqual({ kind: 'expr', expr: call('sum', [col('total')]) });
  });

  test('NULLS FIRST / LAST only when written', () => {
    expect(selectOf('SELECT a FROM t ORDER BY a ASC NULLS FIRST, b DESC NULLS LAST, c DESC').orderBy).toEqual([
      { expr: col('a'), direction: 'asc', nulls: 'first' },
      { expr: col('b'), direction: 'desc', nulls: 'last' },
      { expr: col('c'), direction: 'desc' },
    ]);
  });

  test('LIMIT and OFFSET in every order, with parameters, LIMIT ALL', () => {
    expect(selectOf('SELECT a FROM t LIMIT $1 OFFSET $2')).toMatchObject({ limit: param(0), offset: param(1) });
    expect(selectOf('SELECT a FROM t OFFSET 4 LIMIT 2')).toMatchObject({ limit: lit(2), offset: lit(4) });
    const offsetOnly = selectOf('SELECT a FROM t OFFSET 3');
    expect(offsetOnly.offset).toEqual(lit(3));
    expect(offsetOnly.limit).toBeUndefined();
    const limitOnly = selectOf('SELECT a FROM t LIMIT 7');
    expect(limitOnly.limit).toEqual(lit(7));
    expect(limitOnly.offset).toBeUndefined();
    expect(selectOf('SELECT a FROM t LIMIT ALL').limit).toBeUndefined();
  });

  test('ORDER BY and GROUP BY positions stay literals (the planner reads them as column numbers)', () => {
    const select = selectOf('SELECT a, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC');
    expect(select.groupBy).toEqual([lit(1)]);
    expect(select.orderBy).toEqual([{ expr: lit(2), direction: 'desc' }]);
  });

  test('a trailing semicolon is fine', () => {
    expect(selectOf('SELECT a FROM t;').from).toEqual({ name: 't' });
  });
});

describe('identifiers', () => {
  test('unquoted names fold to lower case, quoted ones stay as written', () => {
    const select = selectOf('SELECT Name, "Name", T.Total AS Sum, x AS "Mixed" FROM Things T');
    expect(select.items).toEqual([
      { kind: 'expr', expr: col('name') },
      { kind: 'expr', expr: col('Name') },
      { kind: 'expr', expr: col('total', 't'), alias: 'sum' },
      { kind: 'expr', expr: col('x'), alias: 'Mixed' },
    ]);
    expect(select.from).toEqual({ name: 'things', alias: 't' });
  });

  test('quoted table names, aliases and qualifiers keep their case', () => {
    const select = selectOf('SELECT "C"."Id", "C".* FROM "Customers" AS "C"');
    expect(select.from).toEqual({ name: 'Customers', alias: 'C' });
    expect(select.items).toEqual([{ kind: 'expr', expr: col('Id', 'C') }, { kind: 'star', table: 'C' }]);
  });

  test('quoted names may hold what a bare name cannot', () => {
    expect(selectOf('SELECT "first name" FROM "my table"')).toMatchObject({
      items: [{ kind: 'expr', expr: col('first name') }],
      from: { name: 'my table' },
    });
  });
});

describe('expressions', () => {
  test('literals: integers, decimals, negatives, strings, booleans, NULL', () => {
    expect(exprOf('42')).toEqual(lit(42));
    expect(exprOf('-5')).toEqual(lit(-5));
    expect(exprOf('- 5')).toEqual(lit(-5));
    // A decimal point makes NUMERIC: the exact text travels with the number.
    expect(exprOf('1.5')).toEqual({ kind: 'literal', value: 1.5, decimal: '1.5' });
    expect(exprOf('-0.25')).toEqual({ kind: 'literal', value: -0.25, decimal: '-0.25' });
    expect(exprOf('- 1.50')).toEqual({ kind: 'literal', value: -1.5, decimal: '-1.50' });
    expect(exprOf('.5')).toEqual({ kind: 'literal', value: 0.5, decimal: '0.5' });
    expect(exprOf('1.0')).toEqual({ kind: 'literal', value: 1, decimal: '1.0' });
    expect(exprOf('1e3')).toEqual(lit(1000));
    expect(exprOf("'it''s'")).toEqual(lit("it's"));
    expect(exprOf("'C:\\path'")).toEqual(lit('C:\\path'));
    expect(exprOf('$$dollar ? quoted$$')).toEqual(lit('dollar ? quoted'));
    expect(exprOf('TRUE')).toEqual(lit(true));
    expect(exprOf('false')).toEqual(lit(false));
    expect(exprOf('NULL')).toEqual(lit(null));
  });

  test('integers beyond 2^53 are exact bigints, both signs', () => {
    expect(exprOf('9007199254740991')).toEqual(lit(9007199254740991));
    expect(exprOf('9007199254740993')).toEqual(lit(9007199254740993n));
    expect(exprOf('9223372036854775807')).toEqual(lit(9223372036854775807n));
    expect(exprOf('-9223372036854775808')).toEqual(lit(-9223372036854775808n));
    expect(exprOf('-9007199254740993')).toEqual(lit(-9007199254740993n));
    expect(exprOf('- 9007199254740993')).toEqual(lit(-9007199254740993n));
    expect(exprOf('3000000000')).toEqual(lit(3000000000));
  });

  test('arithmetic, concatenation, comparisons and precedence', () => {
    expect(exprOf('a + b * 2 - c / 4 % 3')).toEqual(
      bin('-', bin('+', col('a'), bin('*', col('b'), lit(2))), bin('%', bin('/', col('c'), lit(4)), lit(3))),
    );
    expect(exprOf("first || ' ' || last")).toEqual(bin('||', bin('||', col('first'), lit(' ')), col('last')));
    for (const op of ['=', '<', '<=', '>', '>='] as const) expect(exprOf(`a ${op} 1`)).toEqual(bin(op, col('a'), lit(1)));
    expect(exprOf('a <> 1')).toEqual(bin('<>', col('a'), lit(1)));
    expect(exprOf('a != 1')).toEqual(bin('<>', col('a'), lit(1)));
  });

  test('AND, OR, NOT, unary minus', () => {
    expect(exprOf('a = 1 OR b = 2 AND NOT c')).toEqual(
      bin('or', bin('=', col('a'), lit(1)), bin('and', bin('=', col('b'), lit(2)), { kind: 'unary', op: 'not', operand: col('c') })),
    );
    expect(exprOf('NOT (a IS NULL)')).toEqual({ kind: 'unary', op: 'not', operand: { kind: 'is-null', operand: col('a'), negated: false } });
    expect(exprOf('-a')).toEqual({ kind: 'unary', op: '-', operand: col('a') });
  });

  test('LIKE, ILIKE and their negations', () => {
    expect(exprOf("name LIKE 'a%'")).toEqual({ kind: 'like', operand: col('name'), pattern: lit('a%'), caseInsensitive: false, negated: false });
    expect(exprOf("name ILIKE 'a%'")).toMatchObject({ caseInsensitive: true, negated: false });
    expect(exprOf("name NOT LIKE 'a%'")).toMatchObject({ caseInsensitive: false, negated: true });
    expect(exprOf("name NOT ILIKE 'a%'")).toMatchObject({ caseInsensitive: true, negated: true });
  });

  test('BETWEEN, IN lists, IN subqueries, IS [NOT] NULL', () => {
    expect(exprOf('a BETWEEN 1 AND 5')).toEqual({ kind: 'between', operand: col('a'), low: lit(1), high: lit(5), negated: false });
    expect(exprOf('a NOT BETWEEN $1 AND $2')).toEqual({ kind: 'between', operand: col('a'), low: param(0), high: param(1), negated: true });
    expect(exprOf("a IN (1, 'x', $1)")).toEqual({ kind: 'in-list', operand: col('a'), list: [lit(1), lit('x'), param(0)], negated: false });
    expect(exprOf('a NOT IN (1)')).toMatchObject({ kind: 'in-list', negated: true });
    expect(exprOf('a IS NULL')).toEqual({ kind: 'is-null', operand: col('a'), negated: false });
    expect(exprOf('a IS NOT NULL')).toEqual({ kind: 'is-null', operand: col('a'), negated: true });
    const sub = exprOf('a NOT IN (SELECT b FROM u WHERE c = 1)');
    expect(sub).toEqual({
      kind: 'in-subquery',
      operand: col('a'),
      negated: true,
      query: { kind: 'select', distinct: false, items: [{ kind: 'expr', expr: col('b') }], from: { name: 'u' }, joins: [], where: bin('=', col('c'), lit(1)), groupBy: [], orderBy: [] },
    });
  });

  test('CASE in both forms', () => {
    expect(exprOf("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END")).toEqual({
      kind: 'case',
      whens: [
        { when: bin('>', col('a'), lit(1)), then: lit('big') },
        { when: bin('>', col('a'), lit(0)), then: lit('small') },
      ],
      otherwise: lit('none'),
    });
    expect(exprOf("CASE a WHEN 1 THEN 'one' END")).toEqual({ kind: 'case', operand: col('a'), whens: [{ when: lit(1), then: lit('one') }] });
  });

  test('CAST and :: with every supported type', () => {
    expect(exprOf('CAST(a AS INT)')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'int' } });
    expect(exprOf('a::bigint')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'bigint' } });
    expect(exprOf('a::numeric(10, 2)')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'decimal', precision: 10, scale: 2 } });
    expect(exprOf('CAST(a AS VARCHAR(5))')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'text', maxLength: 5 } });
    expect(exprOf('CAST(a AS DOUBLE PRECISION)')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'double' } });
    expect(exprOf('a::text::int')).toEqual({ kind: 'cast', operand: { kind: 'cast', operand: col('a'), type: { kind: 'text' } }, type: { kind: 'int' } });
    expect(exprOf("'2024-01-31'::date")).toEqual({ kind: 'cast', operand: lit('2024-01-31'), type: { kind: 'date' } });
    expect(exprOf("DATE '2024-01-31'")).toEqual({ kind: 'cast', operand: lit('2024-01-31'), type: { kind: 'date' } });
    expect(exprOf("TIMESTAMP '2024-01-31 10:00:00'")).toEqual({ kind: 'cast', operand: lit('2024-01-31 10:00:00'), type: { kind: 'timestamp' } });
    expect(exprOf('a::jsonb')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'json' } });
    expect(exprOf('a::bool')).toEqual({ kind: 'cast', operand: col('a'), type: { kind: 'boolean' } });
  });

  test('function calls: lower-cased names, DISTINCT, count(*)', () => {
    expect(exprOf('COALESCE(a, b, 0)')).toEqual(call('coalesce', [col('a'), col('b'), lit(0)]));
    expect(exprOf('Upper(name)')).toEqual(call('upper', [col('name')]));
    expect(exprOf('round(x, 2)')).toEqual(call('round', [col('x'), lit(2)]));
    expect(exprOf('now()')).toEqual(call('now', []));
    expect(exprOf('COUNT(*)')).toEqual(call('count', [], { star: true }));
    expect(exprOf('count(DISTINCT a)')).toEqual(call('count', [col('a')], { distinct: true }));
    expect(exprOf('count(1)')).toEqual(call('count', [lit(1)]));
    for (const name of ['sum', 'avg', 'min', 'max']) expect(exprOf(`${name.toUpperCase()}(x)`)).toEqual(call(name, [col('x')]));
    expect(exprOf('"MyFunc"(x)')).toEqual(call('MyFunc', [col('x')]));
  });

  test('parameters: $n is index n-1, parameterCount the highest', () => {
    expect(parseStatement('SELECT a FROM t WHERE a = $3 AND b = $1')).toMatchObject({
      statement: { where: bin('and', bin('=', col('a'), param(2)), bin('=', col('b'), param(0))) },
      parameterCount: 3,
    });
    expect(parseStatement('SELECT 1').parameterCount).toBe(0);
  });
});
