/**
 * Shoal's SQL syntax tree: what the parser adapter makes of the parser
 * package's output, and all the planner ever sees. Nodes are plain readonly
 * objects tagged by `kind`, so they carry over msgpack and compare by shape.
 * Identifiers are as written when quoted, lower-cased when not (PostgreSQL's rule).
 */

/** A column type of the supported subset. */
export type SqlType =
  | { readonly kind: 'int' }
  | { readonly kind: 'bigint' }
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'text'; readonly maxLength?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'json' };

/**
 * A value at run time: SQL NULL is `null`; INT/DOUBLE `number`; BIGINT
 * `number` when safe, else `bigint`; DECIMAL its exact plain text ("12.50");
 * TEXT `string`; BOOLEAN `boolean`; DATE `"YYYY-MM-DD"`; TIMESTAMP `Date`;
 * JSON any msgpack value.
 */
export type SqlValue = null | number | bigint | string | boolean | Date | Uint8Array | readonly unknown[] | { readonly [key: string]: unknown };

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  /** `decimal`: the exact text of a numeric literal written with a decimal point ("1.50"), NUMERIC in PostgreSQL, so kept exact and with its scale. */
  | { readonly kind: 'literal'; readonly value: SqlValue; readonly decimal?: string }
  /** `$1` is index 0; `?` placeholders are numbered in order of appearance. */
  | { readonly kind: 'param'; readonly index: number }
  | { readonly kind: 'column'; readonly table?: string; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | 'not'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly caseInsensitive: boolean; readonly negated: boolean }
  | { readonly kind: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  | { readonly kind: 'in-list'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'in-subquery'; readonly operand: Expr; readonly query: Select; readonly negated: boolean }
  | { readonly kind: 'is-null'; readonly operand: Expr; readonly negated: boolean }
  | { readonly kind: 'case'; readonly operand?: Expr; readonly whens: readonly CaseWhen[]; readonly otherwise?: Expr }
  | { readonly kind: 'cast'; readonly operand: Expr; readonly type: SqlType }
  /** A function or aggregate call; `name` lower-case; `count(*)` has `star`. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly distinct: boolean; readonly star: boolean };

export interface CaseWhen {
  readonly when: Expr;
  readonly then: Expr;
}

export interface TableRef {
  readonly name: string;
  readonly alias?: string;
}

export type SelectItem =
  | { readonly kind: 'star'; readonly table?: string }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly alias?: string };

export interface Join {
  readonly kind: 'inner' | 'left';
  readonly table: TableRef;
  readonly on: Expr;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly direction: 'asc' | 'desc';
  /** PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending. */
  readonly nulls?: 'first' | 'last';
}

export interface Select {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  /** Absent for `SELECT 1 + 1`. */
  readonly from?: TableRef;
  readonly joins: readonly Join[];
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly having?: Expr;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface Assignment {
  readonly column: string;
  readonly value: Expr;
}

export type ConflictAction =
  | { readonly kind: 'nothing' }
  /** `excluded.col` (a column with table 'excluded') is the row proposed for insertion. */
  | { readonly kind: 'update'; readonly set: readonly Assignment[]; readonly where?: Expr };

export interface Insert {
  readonly kind: 'insert';
  readonly table: string;
  /** Absent: every column in table order. */
  readonly columns?: readonly string[];
  readonly rows: readonly (readonly Expr[])[];
  readonly onConflict?: { readonly target: readonly string[]; readonly action: ConflictAction };
}

export interface Update {
  readonly kind: 'update';
  readonly table: string;
  readonly set: readonly Assignment[];
  readonly where?: Expr;
}

export interface Delete {
  readonly kind: 'delete';
  readonly table: string;
  readonly where?: Expr;
}

export interface ColumnDefinition {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull: boolean;
}

export interface CreateTable {
  readonly kind: 'create-table';
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDefinition[];
  /** From `PRIMARY KEY (a, b)` or a column's `PRIMARY KEY`; the parser adapter refuses a table without one. */
  readonly primaryKey: readonly string[];
  /** From `WITH (mode = 'replicated', backups = 2)`; absent options take the cache defaults. */
  readonly options: { readonly mode?: 'partitioned' | 'replicated'; readonly backups?: number };
}

export interface DropTable {
  readonly kind: 'drop-table';
  readonly name: string;
  readonly ifExists: boolean;
}

export interface CreateIndex {
  readonly kind: 'create-index';
  /** Absent: the planner names it `<table>_<col>_<col>_idx`, as PostgreSQL does. */
  readonly name?: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly ifNotExists: boolean;
}

export interface DropIndex {
  readonly kind: 'drop-index';
  readonly name: string;
  readonly ifExists: boolean;
}

export interface Explain {
  readonly kind: 'explain';
  readonly statement: Select | Insert | Update | Delete;
}

export type Statement = Select | Insert | Update | Delete | CreateTable | DropTable | CreateIndex | DropIndex | Explain;

/** A parsed statement and how many parameters it takes. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly parameterCount: number;
}
