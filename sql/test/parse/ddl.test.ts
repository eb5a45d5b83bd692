import { describe, expect, test } from 'vitest';
import type { SqlType } from '../../src/ast.js';
import { expectSqlError, statementOf } from './helpers.js';

/** The type a one-column table gives its column. */
function columnType(type: string): SqlType {
  const statement = statementOf(`CREATE TABLE t (c ${type} PRIMARY KEY)`);
  if (statement.kind !== 'create-table') throw new Error('not CREATE TABLE');
  return statement.columns[0]!.type;
}

describe('CREATE TABLE', () => {
  test('columns, NOT NULL, a column PRIMARY KEY (which implies NOT NULL)', () => {
    expect(statementOf('CREATE TABLE Customers (id BIGINT PRIMARY KEY, "Name" VARCHAR(80) NOT NULL, tier TEXT, since DATE NULL)')).toEqual({
      kind: 'create-table',
      name: 'customers',
      ifNotExists: false,
      columns: [
        { name: 'id', type: { kind: 'bigint' }, notNull: true },
        { name: 'Name', type: { kind: 'text', maxLength: 80 }, notNull: true },
        { name: 'tier', type: { kind: 'text' }, notNull: false },
        { name: 'since', type: { kind: 'date' }, notNull: false },
      ],
      primaryKey: ['id'],
      options: {},
    });
  });

  test('IF NOT EXISTS and a table-level composite PRIMARY KEY (named or not)', () => {
    const statement = statementOf('CREATE TABLE IF NOT EXISTS "Lines" (order_id INT, line INT, qty INT, PRIMARY KEY (order_id, line))');
    expect(statement).toMatchObject({ kind: 'create-table', name: 'Lines', ifNotExists: true, primaryKey: ['order_id', 'line'] });
    if (statement.kind !== 'create-table') throw new Error('not CREATE TABLE');
    expect(statement.columns.map((c) => c.notNull)).toEqual([true, true, false]);
    expect(statementOf('CREATE TABLE t (a INT, CONSTRAINT t_pk PRIMARY KEY (a))')).toMatchObject({ primaryKey: ['a'] });
  });

  test('every supported type and its spellings', () => {
    const cases: readonly (readonly [string, SqlType])[] = [
      ['INT', { kind: 'int' }],
      ['INTEGER', { kind: 'int' }],
      ['INT4', { kind: 'int' }],
      ['SMALLINT', { kind: 'int' }],
      ['BIGINT', { kind: 'bigint' }],
      ['INT8', { kind: 'bigint' }],
      ['DOUBLE', { kind: 'double' }],
      ['DOUBLE PRECISION', { kind: 'double' }],
      ['FLOAT8', { kind: 'double' }],
      ['FLOAT', { kind: 'double' }],
      ['REAL', { kind: 'double' }],
      ['DECIMAL(12, 2)', { kind: 'decimal', precision: 12, scale: 2 }],
      ['NUMERIC(5)', { kind: 'decimal', precision: 5, scale: 0 }],
      ['VARCHAR(20)', { kind: 'text', maxLength: 20 }],
      ['VARCHAR', { kind: 'text' }],
      ['CHARACTER VARYING(5)', { kind: 'text', maxLength: 5 }],
      ['TEXT', { kind: 'text' }],
      ['BOOLEAN', { kind: 'boolean' }],
      ['BOOL', { kind: 'boolean' }],
      ['DATE', { kind: 'date' }],
      ['TIMESTAMP', { kind: 'timestamp' }],
      ['TIMESTAMP WITHOUT TIME ZONE', { kind: 'timestamp' }],
      ['TIMESTAMPTZ', { kind: 'timestamp' }],
      ['JSON', { kind: 'json' }],
      ['JSONB', { kind: 'json' }],
    ];
    for (const [written, type] of cases) expect(columnType(written), written).toEqual(type);
  });

  test('refused types and bad type arguments', () => {
    expectSqlError('CREATE TABLE t (a UUID PRIMARY KEY)', /does not support type uuid/);
    expectSqlError('CREATE TABLE t (a CHAR(3) PRIMARY KEY)', /does not support type CHAR: it pads values with blanks; use VARCHAR\(n\) or TEXT/);
    expectSqlError('CREATE TABLE t (a NUMERIC PRIMARY KEY)', /NUMERIC without a precision/);
    expectSqlError('CREATE TABLE t (a DECIMAL(5, 7) PRIMARY KEY)', /scale 7 must be between 0 and precision 5/);
    expectSqlError('CREATE TABLE t (a DECIMAL(1001, 2) PRIMARY KEY)', /precision 1001 must be between 1 and 1000/);
  });

  test('a table needs exactly one primary key over its own columns', () => {
    expectSqlError('CREATE TABLE t (a INT, b TEXT)', /table "t" needs a PRIMARY KEY/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY)', /multiple primary keys for table "t"/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))', /multiple primary keys/);
    expectSqlError('CREATE TABLE t (a INT, PRIMARY KEY (b))', /column "b" named in key does not exist/);
    expectSqlError('CREATE TABLE t (a INT, PRIMARY KEY (a, a))', /column "a" appears twice in primary key/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY, A TEXT)', /column "a" specified more than once/);
  });

  test('refused column and table features', () => {
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY DEFAULT 1)', /does not support DEFAULT values/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY, b INT UNIQUE)', /does not support UNIQUE constraints/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY CHECK (a > 0))', /does not support CHECK constraints/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY REFERENCES u (id))', /REFERENCES/);
    expectSqlError('CREATE TABLE t (a INT PRIMARY KEY, UNIQUE (a))', /does not support UNIQUE constraints/);
    expectSqlError('CREATE TEMPORARY TABLE t (a INT PRIMARY KEY)', /does not support TEMPORARY tables/);
    expectSqlError('CREATE TABLE t AS SELECT 1', /does not support CREATE TABLE \.\.\. AS/);
    expectSqlError('CREATE TABLE s.t (a INT PRIMARY KEY)', /schema-qualified/);
  });
});

describe('DROP TABLE, CREATE INDEX, DROP INDEX', () => {
  test('DROP TABLE [IF EXISTS]', () => {
    expect(statementOf('DROP TABLE Customers')).toEqual({ kind: 'drop-table', name: 'customers', ifExists: false });
    expect(statementOf('DROP TABLE IF EXISTS "Customers"')).toEqual({ kind: 'drop-table', name: 'Customers', ifExists: true });
  });

  test('DROP TABLE refuses CASCADE/RESTRICT (read by the parser as an alias) and several tables', () => {
    expectSqlError('DROP TABLE t CASCADE', /does not support DROP TABLE \.\.\. CASCADE/);
    expectSqlError('DROP TABLE t RESTRICT', /does not support DROP TABLE \.\.\. RESTRICT/);
    expectSqlError('DROP TABLE a, b', /several tables/);
  });

  test('CREATE INDEX with and without a name, IF NOT EXISTS, CONCURRENTLY', () => {
    expect(statementOf('CREATE INDEX Customers_Tier ON Customers (Tier, "Region")')).toEqual({
      kind: 'create-index',
      name: 'customers_tier',
      table: 'customers',
      columns: ['tier', 'Region'],
      ifNotExists: false,
    });
    expect(statementOf('CREATE INDEX ON t (a)')).toEqual({ kind: 'create-index', table: 't', columns: ['a'], ifNotExists: false });
    expect(statementOf('CREATE INDEX IF NOT EXISTS "ByTier" ON t (tier)')).toMatchObject({ name: 'ByTier', ifNotExists: true });
    expect(statementOf('CREATE INDEX CONCURRENTLY ix ON t USING btree (a)')).toMatchObject({ name: 'ix', columns: ['a'] });
  });

  test('refused index forms', () => {
    expectSqlError('CREATE UNIQUE INDEX ix ON t (a)', /does not support UNIQUE indexes/);
    expectSqlError('CREATE INDEX ix ON t (a) WHERE a > 0', /partial indexes/);
    expectSqlError('CREATE INDEX ix ON t ((lower(a)))', /expression indexes/);
    expectSqlError('CREATE INDEX ix ON t (a DESC)', /ASC\/DESC index columns/);
    expectSqlError('CREATE INDEX ix ON t USING gin (a)', /index method gin/);
    expectSqlError('CREATE INDEX ix ON t (a, a)', /appears twice/);
  });

  test('DROP INDEX [IF EXISTS]', () => {
    expect(statementOf('DROP INDEX Customers_Tier')).toEqual({ kind: 'drop-index', name: 'customers_tier', ifExists: false });
    expect(statementOf('DROP INDEX IF EXISTS "ByTier"')).toEqual({ kind: 'drop-index', name: 'ByTier', ifExists: true });
  });
});
