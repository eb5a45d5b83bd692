import Database from 'better-sqlite3';
import type { Value, ValueType } from './world.js';

/** An answer as both engines give it: column names, rows as arrays in column order. */
export interface Answer {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** A value as SQLite is given it: integers as BigInt (exact past 2^53), booleans as 1/0. */
export function sqliteValue(value: Value, type: ValueType): unknown {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if ((type === 'int' || type === 'bigint') && typeof value === 'number') return BigInt(value);
  return value;
}

/**
 * SQLite in memory, set up to read like PostgreSQL where it can:
 * `case_sensitive_like` (PostgreSQL's LIKE is case sensitive), and integers
 * read back as BigInt so that SUM over BIGINT stays exact.
 */
export class SqliteOracle {
  private readonly db: Database.Database;

  constructor() {
    this.db = new Database(':memory:');
    this.db.defaultSafeIntegers(true);
    this.db.pragma('case_sensitive_like = ON');
  }

  exec(text: string): void {
    this.db.exec(text);
  }

  query(text: string, params: readonly unknown[] = []): Answer {
    const statement = this.db.prepare(text);
    const columns = statement.columns().map((c) => c.name);
    return { columns, rows: statement.raw(true).all(...params) as unknown[][] };
  }

  /** Runs a statement that returns no rows; the rows it changed. */
  run(text: string, params: readonly unknown[] = []): number {
    return this.db.prepare(text).run(...params).changes;
  }

  /** Runs `work` in one transaction (loading a few thousand rows one statement at a time is then fast). */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
