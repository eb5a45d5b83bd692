import type { ColumnSpec, TableSpec, Value, ValueType, World } from './world.js';

/** A column an expression may name, with some of its values so literals hit rows. */
export interface ScopeColumn {
  readonly qualifier?: string;
  readonly column: ColumnSpec;
  readonly samples: readonly Value[];
}

/** What the generator may use at one place of a query. */
export interface Scope {
  readonly world: World;
  readonly columns: readonly ScopeColumn[];
  /** Whether predicates may hold `IN (SELECT ...)` (not inside a subquery: one level is the supported subset). */
  readonly subqueries: boolean;
  /** Whether comparison literals may be sent as bound parameters. */
  readonly params: boolean;
  /** A table subqueries must not read: the one a DML statement changes (engines differ in when they would read it). */
  readonly notInSubqueries?: string;
}

const SAMPLES = 24;

/** Up to 24 distinct non-null values of the column, spread over the rows. */
export function samplesOf(table: TableSpec, column: string): Value[] {
  const seen = new Set<Value>();
  const step = Math.max(1, Math.floor(table.rows.length / (SAMPLES * 2)));
  for (let i = 0; i < table.rows.length && seen.size < SAMPLES; i += step) {
    const value = table.rows[i]![column];
    if (value !== null && value !== undefined) seen.add(value);
  }
  return [...seen];
}

export function tableColumns(table: TableSpec, qualifier?: string): ScopeColumn[] {
  return table.columns.map((column) => ({ column, samples: samplesOf(table, column.name), ...(qualifier ? { qualifier } : {}) }));
}

export function scopeOf(
  world: World,
  tables: readonly (readonly [TableSpec, string | undefined])[],
  options: { subqueries: boolean; params: boolean; notInSubqueries?: string },
): Scope {
  return { world, columns: tables.flatMap(([table, qualifier]) => tableColumns(table, qualifier)), ...options };
}

export function columnsOfType(scope: Scope, type: ValueType): ScopeColumn[] {
  return scope.columns.filter((c) => c.column.type === type);
}

export function hasType(scope: Scope, type: ValueType): boolean {
  return columnsOfType(scope, type).length > 0;
}

/** The value types expressions can be built of here: INT, TEXT and BOOLEAN always (from literals), BIGINT and DOUBLE with such a column. */
export function availableTypes(scope: Scope): ValueType[] {
  return (['int', 'bigint', 'double', 'text', 'bool'] as const).filter((t) => t === 'int' || t === 'text' || t === 'bool' || hasType(scope, t));
}
