import { describe, expect, it } from 'vitest';
import { sqlErrorOf } from './fixtures.js';
import { InMemoryGrid } from '../support/in-memory-host.js';

const grid = new InMemoryGrid(1, 4);

async function value(expr: string, params: unknown[] = []): Promise<unknown> {
  const result = await grid.sql(`SELECT ${expr}`, params);
  return result.rows[0]![0];
}

const sqlError = (text: string, params: unknown[] = []) => sqlErrorOf(grid, text, params);

describe('arithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    // A literal with a decimal point is NUMERIC, written scale kept: PostgreSQL's answers.
    ['7.5 / 2', '3.7500000000000000'],
    ['7 / 2.0', '3.5000000000000000'],
    ['1.0 + 1', '2.0'],
    ['1.50', '1.50'],
    ['-1.0', '-1.0'],
    ['.5', '0.5'],
    ['2147483647 + 1.0', '2147483648.0'],
    ['1 / 3.0', '0.33333333333333333333'],
    ['1 / 3.5', '0.28571428571428571429'],
    ['0.1 + 0.2', '0.3'],
    ['1.25 * 2', '2.50'],
    ['2 - 5', -3],
    ['-(3)', -3],
    ['NULL + 1', null],
    ['9007199254740993 + 0', 9007199254740993n],
    ['CAST(1.5 AS DOUBLE) * 2', 3],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('refuses division by zero for every numeric kind', async () => {
    for (const expr of ['1 / 0', '1 % 0', '1.5 / 0', 'CAST(1 AS DOUBLE) / 0']) {
      expect(await sqlError(`SELECT ${expr}`)).toBe('division by zero');
    }
  });

  describe('integer overflow, as PostgreSQL: INT is 32 bits, BIGINT 64, and neither widens', () => {
    it.each([
      ['2147483647 + 1', 'integer out of range'],
      ['-2147483648 - 1', 'integer out of range'],
      ['65536 * 65536', 'integer out of range'],
      ['-CAST(-2147483648 AS INT)', 'integer out of range'],
      ['-2147483648 / -1', 'integer out of range'],
      ['abs(-2147483648)', 'integer out of range'],
      ['CAST(2147483647 AS INT) + CAST(1 AS INT)', 'integer out of range'],
      ['9223372036854775807 + 1', 'bigint out of range'],
      ['-9223372036854775808 - 1', 'bigint out of range'],
      ['CAST(4294967296 AS BIGINT) * 4294967296', 'bigint out of range'],
      ['-CAST(-9223372036854775808 AS BIGINT)', 'bigint out of range'],
      ['abs(-9223372036854775808)', 'bigint out of range'],
      ['-9223372036854775808 / -1', 'bigint out of range'],
    ])('%s', async (expr, message) => {
      expect(await sqlError(`SELECT ${expr}`)).toBe(message);
    });

    it.each([
      ['2147483647 + 0', 2147483647],
      ['-2147483647 - 1', -2147483648],
      ['-2147483648 % -1', 0],
      ['-4 % 2', 0],
      ['2147483647 / -1', -2147483647],
      // A literal past INT is a BIGINT, one past BIGINT a NUMERIC: the wider type holds the result.
      ['2147483648 + 1', 2147483649],
      ['2147483647 + CAST(1 AS BIGINT)', 2147483648],
      ['65536 * CAST(65536 AS BIGINT)', 4294967296],
      ['9223372036854775807 - 1', 9223372036854775806n],
      ['-9223372036854775808 % -1', 0],
      ['9223372036854775808 + 1', '9223372036854775809'],
      // PostgreSQL folds a minus into the constant before typing it, parentheses or not.
      ['-(-2147483648)', 2147483648],
      ['2147483647 + 1.5', '2147483648.5'],
      ['CAST(2147483647 AS DOUBLE) + 1', 2147483648],
    ])('%s is %s', async (expr, expected) => {
      expect(await value(expr)).toEqual(expected);
    });

    it('checks values read from INT and BIGINT columns', async () => {
      const g = new InMemoryGrid(2, 8);
      await g.sql('CREATE TABLE items (id INT PRIMARY KEY, qty INT, big BIGINT)');
      await g.sql('INSERT INTO items VALUES (1, 10, 9223372036854775000), (2, NULL, NULL)');
      await expect(g.sql('SELECT qty + 2147483647 FROM items')).rejects.toThrow('integer out of range');
      await expect(g.sql('SELECT -qty * 214748365 FROM items')).rejects.toThrow('integer out of range');
      await expect(g.sql('SELECT big + 1000 FROM items')).rejects.toThrow('bigint out of range');
      await expect(g.sql('UPDATE items SET qty = qty * 1000000000 WHERE id = 1')).rejects.toThrow('integer out of range');
      expect((await g.sql('SELECT qty + 2147483637, big + 807 FROM items WHERE id = 1')).rows).toEqual([[2147483647, 9223372036854775807n]]);
      expect((await g.sql('SELECT qty + 2147483647 FROM items WHERE id = 2')).rows).toEqual([[null]]);
      expect((await g.sql('SELECT SUM(qty) + 2147483647 FROM items')).rows).toEqual([[2147483657]]);
    });
  });

  it('refuses arithmetic on text', async () => {
    expect(await sqlError("SELECT 'a' || 1 + lower('x')")).toMatch(/operator does not exist/);
  });
});

describe('three-valued logic', () => {
  it.each([
    ['NULL AND FALSE', false],
    ['NULL AND TRUE', null],
    ['NULL OR TRUE', true],
    ['NULL OR FALSE', null],
    ['NOT NULL', null],
    ['NULL = NULL', null],
    ['1 = 1 AND 2 > 1', true],
    ['1 IN (1, NULL)', true],
    ['2 IN (1, NULL)', null],
    ['2 NOT IN (1, NULL)', null],
    ['2 NOT IN (1, 3)', true],
    ['NULL IN (1)', null],
    ['2 BETWEEN 1 AND 3', true],
    ['2 NOT BETWEEN 1 AND 3', false],
    ['2 BETWEEN NULL AND 3', null],
    ['NULL IS NULL', true],
    ['1 IS NOT NULL', true],
  ])('%s is %j', async (expr, expected) => {
    expect(await value(expr)).toBe(expected);
  });
});

describe('comparisons', () => {
  it.each([
    ['1 < 1.5', true],
    ['2.0 = 2', true],
    ["'abc' < 'abd'", true],
    ["'B' < 'a'", true],
    ["'\u{1F600}' > '\u{FFFD}'", true],
    ["CAST('2024-01-02' AS DATE) > '2024-01-01'", true],
    ['TRUE > FALSE', true],
    ['9007199254740993 > 9007199254740992', true],
  ])('%s is %j', async (expr, expected) => {
    expect(await value(expr)).toBe(expected);
  });

  it('refuses comparing text with numbers', async () => {
    expect(await sqlError("SELECT lower('a') = 1")).toMatch(/operator does not exist: text = int/);
  });
});

describe('LIKE', () => {
  it.each([
    ["'hello' LIKE 'h%'", true],
    ["'hello' LIKE 'h_llo'", true],
    ["'hello' LIKE 'H%'", false],
    ["'hello' ILIKE 'H%'", true],
    ["'hello' NOT LIKE '%z%'", true],
    ["'50%' LIKE '50\\%'", true],
    ["'500' LIKE '50\\%'", false],
    ["'a.c' LIKE 'a.c'", true],
    ["'abc' LIKE 'a.c'", false],
    ["NULL LIKE 'a'", null],
    ["'line\nbreak' LIKE 'line%'", true],
  ])('%s is %j', async (expr, expected) => {
    expect(await value(expr)).toBe(expected);
  });
});

describe('CASE, COALESCE, NULLIF, CAST', () => {
  it.each([
    ["CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END", 'b'],
    ["CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", 'two'],
    ["CASE 3 WHEN 1 THEN 'one' END", null],
    ['CASE NULL WHEN NULL THEN 1 ELSE 2 END', 2],
    ['COALESCE(NULL, NULL, 3, 4)', 3],
    ['COALESCE(NULL, 1.5)', '1.5'],
    ['NULLIF(1, 1)', null],
    ['NULLIF(1, 2)', 1],
    ["CAST('42' AS INT)", 42],
    ['CAST(2.5 AS INT)', 3],
    ['CAST(-2.5 AS INT)', -3],
    ['CAST(CAST(2.5 AS DOUBLE) AS INT)', 2],
    ['CAST(12 AS TEXT)', '12'],
    ["CAST('12.345' AS DECIMAL(10,2))", '12.35'],
    ["CAST('t' AS BOOLEAN)", true],
    ["CAST('2024-02-30' AS DATE) IS NULL", 'error'],
  ])('%s = %j', async (expr, expected) => {
    if (expected === 'error') {
      expect(await sqlError(`SELECT ${expr}`)).toMatch(/invalid input/);
      return;
    }
    expect(await value(expr)).toEqual(expected);
  });

  it('casts text to a timestamp', async () => {
    expect(await value("CAST('2024-01-02 03:04:05' AS TIMESTAMP)")).toEqual(new Date('2024-01-02T03:04:05Z'));
  });

  it('refuses a CASE mixing text and numbers', async () => {
    expect(await sqlError("SELECT CASE WHEN TRUE THEN 1 ELSE lower('a') END")).toMatch(/CASE types/);
  });
});

describe('string functions', () => {
  it.each([
    ["lower('AbC')", 'abc'],
    ["upper('AbC')", 'ABC'],
    ["length('héllo')", 5],
    ["length('\u{1F600}x')", 2],
    ["substring('hello', 2, 3)", 'ell'],
    ["substring('hello', 0, 3)", 'he'],
    ["substr('hello', 3)", 'llo'],
    ["trim('  x  ')", 'x'],
    ["ltrim('  x  ')", 'x  '],
    ["rtrim('xxaxx', 'x')", 'xxa'],
    ["replace('a-b-c', '-', '+')", 'a+b+c'],
    ["concat('a', NULL, 1, TRUE)", 'a1true'],
    ["'a' || 'b'", 'ab'],
    ["'a' || NULL", null],
    ["strpos('hello', 'll')", 3],
    ["left('hello', 2)", 'he'],
    ["left('hello', -2)", 'hel'],
    ["right('hello', 2)", 'lo'],
    ["right('hello', -2)", 'llo'],
  ])('%s = %j', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe('math functions', () => {
  it.each([
    ['abs(-3)', 3],
    ['abs(-2.5)', '2.5'],
    ['round(2.5)', '3'],
    ['round(CAST(2.5 AS DOUBLE))', 2],
    ['round(2.345, 2)', '2.35'],
    ['round(1234, -2)', '1200'],
    ['ceil(1.2)', '2'],
    ['ceiling(CAST(1.2 AS DOUBLE))', 2],
    ['floor(-1.2)', '-2'],
    ['mod(7, 3)', 1],
    ['power(2, 10)', 1024],
    ['sqrt(16)', 4],
    ['sign(-5)', -1],
    ['greatest(1, 5, NULL, 3)', 5],
    ['least(1, 5, NULL, 3)', 1],
    ["greatest('a', 'b')", 'b'],
  ])('%s = %j', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('refuses the square root of a negative number', async () => {
    expect(await sqlError('SELECT sqrt(-1)')).toMatch(/square root/);
  });
});

describe('parameters', () => {
  it('types a parameter by its context', async () => {
    expect(await value('$1 + 1', [2])).toBe(3);
    expect(await value('? || ?', ['a', 'b'])).toBe('ab');
    expect(await value("CAST($1 AS DATE) = '2024-01-01'", ['2024-01-01'])).toBe(true);
  });

  it('checks the parameter count', async () => {
    expect(await sqlError('SELECT $1 + $2', [1])).toMatch(/supplies 1 parameters, but prepared statement requires 2/);
  });

  it('names output columns like PostgreSQL', async () => {
    const result = await grid.sql("SELECT 1, 1 AS one, lower('A'), CASE WHEN TRUE THEN 1 END, CAST('1' AS INT)");
    expect(result.columns).toEqual(['?column?', 'one', 'lower', 'case', 'int']);
  });
});
