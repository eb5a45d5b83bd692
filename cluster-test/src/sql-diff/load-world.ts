import { type ValueStyle, createIndex, shoalCreateTable, shoalInsert, sqliteCreateTable } from './ddl.js';
import type { Engines } from './query-check.js';
import { sqliteValue } from './sqlite-oracle.js';
import type { Row, TableSpec, World } from './world.js';

const STYLES: readonly ValueStyle[] = ['literal', '$', '?'];

/** Rows per INSERT, varied so both small and large statements run. */
const batchSize = (i: number) => [40, 100, 7, 60][i % 4]!;

/** The same statement for SQLite: `?` placeholders, values encoded for it by column type. */
export function sqliteInsert(t: TableSpec, rows: readonly Row[], tail = '', columnList = true): { text: string; params: unknown[] } {
  const { text, params } = shoalInsert(t, rows, '?', tail, columnList);
  return { text, params: params.map((v, i) => sqliteValue(v as never, t.columns[i % t.columns.length]!.type)) };
}

async function insertRows(engines: Engines, t: TableSpec): Promise<void> {
  let batch = 0;
  for (let at = 0; at < t.rows.length; batch++) {
    const rows = t.rows.slice(at, at + batchSize(batch));
    at += rows.length;
    // Every fourth statement without a column list (the values in table order).
    const statement = shoalInsert(t, rows, STYLES[batch % STYLES.length]!, '', batch % 4 !== 3);
    const answer = await engines.shoal.sql(statement.text, statement.params);
    if (answer.rowCount !== rows.length) throw new Error(`INSERT of ${rows.length} rows into ${t.name} answered rowCount ${answer.rowCount}: ${statement.text.slice(0, 200)}`);
    const lite = sqliteInsert(t, rows);
    engines.oracle.run(lite.text, lite.params);
  }
}

/**
 * Creates every table in both engines and inserts the rows through SQL.
 * Half the tables get their indexes before the rows and half after, so both
 * index maintenance on write and index builds over existing rows run.
 */
export async function loadWorld(engines: Engines, world: World): Promise<void> {
  await createTables(engines, world);
  await fillTables(engines, world);
}

/** CREATE TABLE in both, and the indexes of the tables whose indexes come before their rows. */
export async function createTables(engines: Engines, world: World): Promise<void> {
  for (const [i, t] of world.tables.entries()) {
    await engines.shoal.sql(shoalCreateTable(t));
    engines.oracle.exec(sqliteCreateTable(t));
    if (indexFirst(i)) await createIndexes(engines, t);
  }
}

/** The rows, then the indexes of the other tables. */
export async function fillTables(engines: Engines, world: World): Promise<void> {
  for (const [i, t] of world.tables.entries()) {
    await insertRows(engines, t);
    if (!indexFirst(i)) await createIndexes(engines, t);
  }
}

const indexFirst = (tableIndex: number) => tableIndex % 2 === 0;

async function createIndexes(engines: Engines, t: TableSpec): Promise<void> {
  for (const index of t.indexes) {
    await engines.shoal.sql(createIndex(t, index));
    engines.oracle.exec(createIndex(t, index));
  }
}

/** The grid key of a row, as the SQL layer stores it: the key column's value, or an object of the key columns. */
export function gridKeyOf(t: TableSpec, row: Row): unknown {
  if (t.primaryKey.length === 1) return row[t.primaryKey[0]!];
  return Object.fromEntries(t.primaryKey.map((k) => [k, row[k]]));
}

/**
 * Reads some rows back by key through the cache API: the value must be the
 * whole row as a plain object (absent fields read as NULL). One message per row that differs.
 */
export async function storedRowDifferences(world: World, read: (table: string, key: unknown) => Promise<unknown>, perTable = 10): Promise<string[]> {
  const problems: string[] = [];
  for (const t of world.tables) {
    const step = Math.max(1, Math.floor(t.rows.length / perTable));
    for (let i = 0; i < t.rows.length; i += step) {
      const row = t.rows[i]!;
      const stored = (await read(t.name, gridKeyOf(t, row))) as Record<string, unknown> | undefined;
      const got = stored === undefined ? undefined : Object.fromEntries(t.columns.map((c) => [c.name, stored[c.name] ?? null]));
      const want = Object.fromEntries(t.columns.map((c) => [c.name, row[c.name] ?? null]));
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${t.name} key ${JSON.stringify(gridKeyOf(t, row))}: cache.get gave ${JSON.stringify(stored)}, the row is ${JSON.stringify(want)}`);
    }
  }
  return problems;
}
