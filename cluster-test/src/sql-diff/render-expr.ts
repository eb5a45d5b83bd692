import type { Expr, SubSelect } from './expr.js';
import type { Value, ValueType } from './world.js';

/** `pg`: the text Shoal runs (PostgreSQL dialect); `sqlite`: the oracle's. */
export type Dialect = 'pg' | 'sqlite';

/**
 * Where a rendering is written to: placeholders are numbered in order of
 * appearance, the same order in both dialects, so one parameter list serves
 * both (each engine's values then encoded by `bindFor`).
 */
export class RenderContext {
  readonly params: { readonly value: Value; readonly type: ValueType }[] = [];

  constructor(
    readonly dialect: Dialect,
    /** Shoal accepts both `$1` and `?`; SQLite is always given `?`. */
    readonly placeholder: '$' | '?' = '$',
  ) {}

  bind(value: Value, type: ValueType): string {
    this.params.push({ value, type });
    return this.dialect === 'sqlite' || this.placeholder === '?' ? '?' : `$${this.params.length}`;
  }
}

/** A literal as SQL text: DOUBLE always with a decimal point, negatives in parentheses, text quoted. */
export function renderValue(value: Value, type: ValueType): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  const text = type === 'double' && Number.isInteger(value) ? value.toFixed(1) : String(value);
  return value < 0 || Object.is(value, -0) ? `(${text})` : text;
}

export function renderExpr(e: Expr, ctx: RenderContext): string {
  const r = (x: Expr) => renderExpr(x, ctx);
  switch (e.k) {
    case 'col':
      return e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    case 'lit':
      return e.param && e.value !== null ? ctx.bind(e.value, e.type) : renderValue(e.value, e.type);
    case 'arith':
      return `(${r(e.left)} ${e.op} ${r(e.right)})`;
    case 'concat':
      return `(${r(e.left)} || ${r(e.right)})`;
    case 'neg':
      return `(- ${r(e.operand)})`;
    case 'fn':
      // SQLite calls PostgreSQL's strpos instr (same arguments, same 1-based answer, 0 when absent).
      return `${e.name === 'strpos' && ctx.dialect === 'sqlite' ? 'instr' : e.name}(${e.args.map(r).join(', ')})`;
    case 'cast':
      return `CAST(${r(e.operand)} AS ${e.to.toUpperCase()})`;
    case 'case':
      return `(CASE ${e.whens.map(([when, then]) => `WHEN ${r(when)} THEN ${r(then)}`).join(' ')}${e.otherwise ? ` ELSE ${r(e.otherwise)}` : ''} END)`;
    case 'coalesce':
      return `COALESCE(${e.args.map(r).join(', ')})`;
    case 'cmp':
      return `(${r(e.left)} ${e.op} ${r(e.right)})`;
    case 'logic':
      return `(${r(e.left)} ${e.op} ${r(e.right)})`;
    case 'not':
      return `(NOT ${r(e.operand)})`;
    case 'isnull':
      return `(${r(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'inlist':
      return `(${r(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(r).join(', ')}))`;
    case 'insub':
      return `(${r(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${renderSubSelect(e.sub, ctx)}))`;
    case 'between':
      return `(${r(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${r(e.low)} AND ${r(e.high)})`;
    case 'like':
      return renderLike(e, ctx);
    case 'agg':
      return `${e.fn.toUpperCase()}(${e.arg ? `${e.distinct ? 'DISTINCT ' : ''}${r(e.arg)}` : '*'})`;
  }
}

/** SQLite has no ILIKE: `lower(a) LIKE lower(p)`, the same over this ASCII data (the oracle runs with case_sensitive_like on). */
function renderLike(e: Extract<Expr, { k: 'like' }>, ctx: RenderContext): string {
  const not = e.negated ? 'NOT ' : '';
  if (!e.caseInsensitive) return `(${renderExpr(e.operand, ctx)} ${not}LIKE ${renderExpr(e.pattern, ctx)})`;
  if (ctx.dialect === 'pg') return `(${renderExpr(e.operand, ctx)} ${not}ILIKE ${renderExpr(e.pattern, ctx)})`;
  return `(lower(${renderExpr(e.operand, ctx)}) ${not}LIKE lower(${renderExpr(e.pattern, ctx)}))`;
}

function renderSubSelect(sub: SubSelect, ctx: RenderContext): string {
  const where = sub.where ? ` WHERE ${renderExpr(sub.where, ctx)}` : '';
  return `SELECT ${renderExpr(sub.column, ctx)} FROM ${sub.table} ${sub.alias}${where}`;
}
