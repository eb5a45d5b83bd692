import fc from 'fast-check';
import { SqlError } from '@shoal/client/protocol';
import { describe, expect, test } from 'vitest';
import { parseStatement } from '../../src/parse/index.js';
import { expectSqlError } from './helpers.js';

describe('syntax errors', () => {
  test('name the line and column in the text as written and quote the text around it', () => {
    const error = expectSqlError('SELECT name\nFROM customers\nWHERE tier = = 1', /^syntax error at or near "=" \(line 3, column 14\): /);
    expect(error.message).toContain('WHERE tier = ⟨here⟩= 1');
  });

  test('leading blank lines and spaces count', () => {
    expectSqlError('\n\n   SELECT a FROM t WHERE a =', /at end of input \(line 3, column 29\)/);
  });

  test('at the end of the text', () => {
    expectSqlError('SELECT a FROM t WHERE', /syntax error/);
    expectSqlError("SELECT 'unterminated", /syntax error at end of input \(line 1, column 21\)/);
  });

  test('a long statement is quoted only around the error, on one line', () => {
    const error = expectSqlError(`SELECT ${'a, '.repeat(50)}FROM FROM t`, /syntax error/);
    expect(error.message).toMatch(/: …[^\n]{24}⟨here⟩[^\n]{1,24}$/);
  });

  test('empty text, several statements, not a string', () => {
    expectSqlError('', /empty statement/);
    expectSqlError('  ;  ', /empty statement/);
    expectSqlError('-- just a comment', /empty statement/);
    expectSqlError('SELECT 1; SELECT 2', /multiple statements are not supported/);
    expect(() => parseStatement(42 as unknown as string)).toThrow(SqlError);
  });

  test('errors the parser raises itself become SqlErrors too', () => {
    expectSqlError('INSERT INTO t (a, b) VALUES (1)', /column count doesn't match/);
    expectSqlError(`SELECT ${'('.repeat(20_000)}1${')'.repeat(20_000)}`, /nested too deeply|syntax error/);
  });
});

describe('unsupported SQL is refused by name', () => {
  const cases: readonly (readonly [string, RegExp])[] = [
    ['WITH x AS (SELECT 1) SELECT * FROM x', /does not support WITH/],
    ['SELECT a FROM t UNION SELECT b FROM u', /does not support UNION/],
    ['SELECT row_number() OVER (PARTITION BY a) FROM t', /does not support window functions/],
    ['SELECT count(*) OVER () FROM t', /does not support window functions/],
    ['SELECT * FROM (SELECT 1) s', /does not support subqueries in FROM/],
    ['SELECT (SELECT 1) FROM t', /does not support a subquery here/],
    ['SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u)', /does not support (EXISTS|a subquery here)/],
    ['SELECT * FROM t RIGHT JOIN u ON t.a = u.a', /does not support RIGHT JOIN: Shoal joins are INNER JOIN and LEFT JOIN/],
    ['SELECT * FROM t FULL JOIN u ON t.a = u.a', /does not support FULL JOIN/],
    ['SELECT * FROM t CROSS JOIN u', /CROSS is not supported here/],
    ['SELECT * FROM t NATURAL JOIN u', /NATURAL is not supported here/],
    ['SELECT * FROM t JOIN u USING (a)', /does not support JOIN \.\.\. USING/],
    ['SELECT * FROM t, u', /does not support a comma-separated FROM list: use JOIN \.\.\. ON/],
    ['SELECT * FROM ONLY t', /ONLY is not supported here/],
    ['SELECT * FROM public.t', /does not support schema-qualified table names/],
    ['SELECT DISTINCT ON (a) a FROM t', /does not support DISTINCT ON/],
    ['SELECT count(*) FILTER (WHERE a > 1) FROM t', /does not support aggregate FILTER/],
    ['SELECT string_agg(a, \',\') FROM t', /does not support aggregates with a separator/],
    ['SELECT array_agg(a ORDER BY a) FROM t', /does not support ORDER BY inside an aggregate/],
    ['SELECT a FROM t WHERE a = ANY($1)', /does not support ANY/],
    ['SELECT a FROM t WHERE (a, b) IN ((1, 2))', /does not support row values/],
    ['SELECT a FROM t GROUP BY ROLLUP (a)', /does not support ROLLUP/],
    ['SELECT a FROM t WINDOW w AS (PARTITION BY a)', /does not support WINDOW clauses/],
    ['SELECT a INTO x FROM t', /does not support SELECT INTO/],
    ['SELECT a IS TRUE FROM t', /does not support IS \[NOT\] TRUE/],
    ['SELECT a IS DISTINCT FROM b FROM t', /does not support IS \[NOT\] DISTINCT FROM/],
    ["SELECT a FROM t WHERE a LIKE 'x!%' ESCAPE '!'", /does not support LIKE \.\.\. ESCAPE/],
    ['SELECT a FROM t WHERE a SIMILAR TO $1', /does not support the operator SIMILAR TO/],
    ['SELECT a FROM t WHERE a ~ $1', /does not support the operator ~/],
    ["SELECT INTERVAL '1 day'", /does not support INTERVAL/],
    ["SELECT E'a\\nb'", /does not support this constant form/],
    ['SELECT extract(year FROM a) FROM t', /does not support EXTRACT/],
    ['SELECT $abc', /syntax error at or near "\$abc"/],
    ['SELECT a FROM t WHERE a = $0', /there is no parameter \$0/],
    ['ALTER TABLE t ADD COLUMN b INT', /does not support ALTER TABLE: Shoal runs SELECT, INSERT/],
    ['TRUNCATE t', /does not support TRUNCATE|syntax error/],
    ['CREATE VIEW v AS SELECT 1', /does not support CREATE VIEW/],
    ['DROP VIEW v', /does not support DROP VIEW/],
    ['SELECT * FROM t JOIN u ON true CROSS JOIN v', /does not support|not supported here|syntax error/],
  ];

  test.each(cases)('%s', (sql, message) => {
    expectSqlError(sql, message);
  });
});

describe('no error of another type ever leaves the parser', () => {
  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseStatement(text);
        } catch (err) {
          if (!(err instanceof SqlError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });

  test('SQL-shaped text: shuffled words of the supported statements', () => {
    const word = fc.constantFrom(
      'SELECT', 'FROM', 'WHERE', 'INSERT', 'INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE', 'CREATE', 'TABLE', 'INDEX', 'DROP', 'ON',
      'CONFLICT', 'DO', 'NOTHING', 'EXPLAIN', 'WITH', 'JOIN', 'LEFT', 'GROUP', 'BY', 'ORDER', 'LIMIT', 'AND', 'OR', 'NOT', 'IN',
      'IS', 'NULL', 'CASE', 'WHEN', 'THEN', 'END', 'CAST', 'AS', 'INT', 'PRIMARY', 'KEY', 't', 'a', '"A"', "'s'", "'?'", '?', '$1',
      '1', '-2', '9007199254740993', '(', ')', ',', '*', '=', '<', '+', '||', '::', ';', 'mode', "'replicated'", 'backups',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 24 }), (words) => {
        try {
          parseStatement(words.join(' '));
        } catch (err) {
          if (!(err instanceof SqlError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });
});
