import { describe, expect, test } from 'vitest';
import { formatResult, formatValue } from '../../src/cli/result-table.js';

describe('formatResult', () => {
  test('a psql-like table: centred header, -+- rule, numbers right, text left, row count', () => {
    const text = formatResult({
      command: 'SELECT',
      columns: ['id', 'name', 'total'],
      rows: [
        [1, 'Ann', 12.5],
        [100, 'Bartholomew', null],
      ],
      rowCount: 2,
    });
    expect(text).toBe(
      [
        ' id  |    name     | total',
        '-----+-------------+-------',
        '   1 | Ann         |  12.5',
        ' 100 | Bartholomew |  NULL',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  test('one row says "row"; no rows still shows the header', () => {
    expect(formatResult({ command: 'SELECT', columns: ['n'], rows: [[5]], rowCount: 1 })).toBe(' n\n---\n 5\n(1 row)\n');
    expect(formatResult({ command: 'SELECT', columns: ['name'], rows: [], rowCount: 0 })).toBe(' name\n------\n(0 rows)\n');
  });

  test('DML prints its command tag and count, DDL its tag', () => {
    expect(formatResult({ command: 'INSERT', columns: [], rows: [], rowCount: 3 })).toBe('INSERT 3\n');
    expect(formatResult({ command: 'UPDATE', columns: [], rows: [], rowCount: 0 })).toBe('UPDATE 0\n');
    expect(formatResult({ command: 'DELETE', columns: [], rows: [], rowCount: 7 })).toBe('DELETE 7\n');
    expect(formatResult({ command: 'CREATE TABLE', columns: [], rows: [], rowCount: 0 })).toBe('CREATE TABLE\n');
    expect(formatResult({ command: 'DROP INDEX', columns: [], rows: [], rowCount: 0 })).toBe('DROP INDEX\n');
  });

  test('EXPLAIN output is a table like any other', () => {
    const text = formatResult({ command: 'EXPLAIN', columns: ['QUERY PLAN'], rows: [['Reduce: sort'], ['  Map on 3 nodes: scan customers']], rowCount: 2 });
    expect(text.split('\n')).toEqual(['            QUERY PLAN', '-'.repeat(34), ' Reduce: sort', '   Map on 3 nodes: scan customers', '(2 rows)', '']);
  });

  test('wide characters count as one column each (code points, not UTF-16 units)', () => {
    const text = formatResult({ command: 'SELECT', columns: ['s'], rows: [['Zoë'], ['😀x']], rowCount: 2 });
    expect(text.split('\n').slice(0, 4)).toEqual(['  s', '-----', ' Zoë', ' 😀x']);
  });

  test('a column of text that holds numbers-as-strings (DECIMAL) aligns left', () => {
    const text = formatResult({ command: 'SELECT', columns: ['price'], rows: [['12.50'], ['3.00']], rowCount: 2 });
    expect(text.split('\n')[2]).toBe(' 12.50');
    expect(text.split('\n')[3]).toBe(' 3.00');
  });
});

describe('formatValue', () => {
  test('NULL, numbers, booleans, strings', () => {
    expect(formatValue(null)).toBe('NULL');
    expect(formatValue(undefined)).toBe('NULL');
    expect(formatValue(-1.5)).toBe('-1.5');
    expect(formatValue(true)).toBe('true');
    expect(formatValue('plain')).toBe('plain');
  });

  test('bigints in full, dates in ISO 8601', () => {
    expect(formatValue(9223372036854775807n)).toBe('9223372036854775807');
    expect(formatValue(new Date('2024-01-31T10:00:00Z'))).toBe('2024-01-31T10:00:00.000Z');
    expect(formatValue(new Date(Number.NaN))).toBe('Invalid Date');
  });

  test('objects and arrays as JSON, bigints inside as digits, bytes as hex', () => {
    expect(formatValue({ a: [1, 'x'], b: null })).toBe('{"a":[1,"x"],"b":null}');
    expect(formatValue({ n: 2n ** 64n })).toBe('{"n":"18446744073709551616"}');
    expect(formatValue(new Uint8Array([0, 10, 255]))).toBe('\\x000aff');
  });

  test('control characters are escaped so a row stays on one line', () => {
    expect(formatValue('two\nlines\tand\u0001')).toBe('two\\nlines\\tand\\u0001');
    expect(formatValue({ s: 'a\nb' })).toBe('{"s":"a\\nb"}');
  });
});
