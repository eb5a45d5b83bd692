import { SqlError } from '@shoal/client/protocol';
import { isNode, unexpectedShape } from './raw-ast.js';

/**
 * PostgreSQL's identifier rule: unquoted names fold to lower case (ASCII
 * letters only, as PostgreSQL does), quoted names stay as written.
 *
 * node-sql-parser keeps the quoting of column names (`{ type:
 * 'double_quote_string' | 'default', value }`) but reports table names,
 * aliases, qualifiers and CREATE INDEX names as bare strings (its open issue
 * #1607). For those, a name that would fold to itself needs nothing; any
 * other counts as quoted when the statement contains it in double quotes.
 * That is exact unless one statement spells the same mixed-case word both
 * quoted and unquoted (`SELECT "Foo" FROM Foo`); then both read as quoted.
 * Kysely quotes every identifier, so its queries are always read exactly.
 */
export class Identifiers {
  constructor(private readonly source: string) {}

  /** A name as the parser reports it: a tagged node (quoting known) or a bare string (quoting lost). */
  name(raw: unknown): string {
    if (typeof raw === 'string') return this.bare(raw);
    if (isNode(raw) && typeof raw.value === 'string') return raw.type === 'double_quote_string' ? raw.value : fold(raw.value);
    throw unexpectedShape('identifier');
  }

  /**
   * A table name or alias. The parser also reads some reserved words there
   * (`FROM t CROSS JOIN u` as table t aliased "cross", `FROM ONLY t` as
   * table "only"): PostgreSQL would not, so those are refused.
   */
  relation(raw: unknown): string {
    const name = this.name(raw);
    if (typeof raw === 'string' && RESERVED.has(name) && !this.wasQuoted(raw)) {
      throw new SqlError(`${name.toUpperCase()} is not supported here (a reserved word where a table name or alias belongs)`);
    }
    return name;
  }

  private bare(name: string): string {
    const folded = fold(name);
    return folded === name || !this.wasQuoted(name) ? folded : name;
  }

  private wasQuoted(name: string): boolean {
    return this.source.includes(`"${name.replaceAll('"', '""')}"`);
  }
}

/** Lower-cases ASCII letters only, like PostgreSQL's downcasing of unquoted names. */
export function fold(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** PostgreSQL's reserved key words (those that cannot name a table without quotes). */
const RESERVED: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization', 'binary', 'both',
  'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create', 'cross',
  'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
  'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch',
  'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group', 'having', 'ilike', 'in', 'initially', 'inner',
  'intersect', 'into', 'is', 'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime',
  'localtimestamp', 'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer',
  'overlaps', 'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
  'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true', 'union',
  'unique', 'user', 'using', 'variadic', 'verbose', 'when', 'where', 'window', 'with',
]);

/** Throws `message(name)` for the first name that appears twice. */
export function requireDistinct(names: readonly string[], message: (name: string) => string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new SqlError(message(name));
    seen.add(name);
  }
}
