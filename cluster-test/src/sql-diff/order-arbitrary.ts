import fc from 'fast-check';
import type { Expr } from './expr.js';
import type { OrderCheck, OrderKey } from './query.js';

/** The ORDER BY/LIMIT/OFFSET part of a query and how its answer is to be compared. */
export interface Ordering {
  readonly orderBy?: readonly OrderKey[];
  readonly limit?: number;
  readonly offset?: number;
  readonly check: OrderCheck;
}

interface OrderChoice {
  readonly keys: readonly ({ readonly alias: number } | { readonly expr: Expr })[];
  readonly directions: readonly (readonly ['ASC' | 'DESC', 'FIRST' | 'LAST'])[];
  readonly limit?: number;
  readonly offset?: number;
}

const direction = fc.tuple(fc.constantFrom<'ASC' | 'DESC'>('ASC', 'DESC'), fc.constantFrom<'FIRST' | 'LAST'>('FIRST', 'LAST'));

export interface OrderOptions {
  /** Output columns that may be keys (never AVG or SUM of DOUBLE: a last-bit difference would reorder them). */
  readonly sortable: readonly number[];
  readonly aliases: readonly string[];
  /** Expressions of the FROM scope that may be keys too (plain queries only; PostgreSQL wants DISTINCT's keys in the output). */
  readonly expressions?: fc.Arbitrary<Expr>;
  /** Keys appended, ascending, to make the order total when a LIMIT or an expression key needs it. */
  readonly tieBreak: readonly ({ readonly alias: number } | { readonly expr: Expr })[];
}

/**
 * No ORDER BY (compared as multisets), or one with an explicit NULLS FIRST/LAST
 * on every key (SQLite and PostgreSQL place NULLs differently by default).
 * With a LIMIT or OFFSET, or a key that is not an output column, the
 * tie-break keys are appended so every position is decided.
 */
export function orderingArbitrary(options: OrderOptions): fc.Arbitrary<Ordering> {
  const aliasKey = options.sortable.length > 0 ? [fc.constantFrom(...options.sortable).map((alias) => ({ alias }))] : [];
  const exprKey = options.expressions ? [options.expressions.map((expr) => ({ expr }))] : [];
  if (aliasKey.length + exprKey.length === 0) return fc.constant({ check: { kind: 'none' } });
  const choice = fc.record({
    keys: fc.array(fc.oneof(...aliasKey, ...exprKey), { minLength: 1, maxLength: 3 }),
    directions: fc.array(direction, { minLength: 3 + options.tieBreak.length, maxLength: 3 + options.tieBreak.length }),
    limit: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined, freq: 2 }),
    offset: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined, freq: 2 }),
  });
  return fc.oneof({ weight: 1, arbitrary: fc.constant<Ordering>({ check: { kind: 'none' } }) }, { weight: 2, arbitrary: choice.map((c) => build(c, options)) });
}

function build(choice: OrderChoice, options: OrderOptions): Ordering {
  const { limit, offset } = choice;
  const total = limit !== undefined || offset !== undefined || choice.keys.some((k) => 'expr' in k);
  const keys = total ? [...choice.keys, ...options.tieBreak] : choice.keys;
  const orderBy = keys.map((k, i): OrderKey => {
    const [dir, nulls] = choice.directions[i] ?? ['ASC', 'LAST'];
    return { key: 'alias' in k ? { alias: options.aliases[k.alias]! } : { expr: k.expr }, direction: i < choice.keys.length ? dir : 'ASC', nulls };
  });
  const check: OrderCheck = total ? { kind: 'total' } : { kind: 'keys', columns: choice.keys.map((k) => (k as { alias: number }).alias) };
  return { orderBy, check, ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
}
