import { encodeKey, type Key, partitionOf } from '@shoal/client/protocol';
import type { Expr, SqlType } from '../../ast.js';
import type { IndexRange } from '../../sql-host.js';
import { compileExpr } from '../expr/compile-expr.js';
import type { ExprScope } from '../expr/compiled.js';
import { ConversionError, convertValue } from '../values/convert.js';
import { compareNumeric } from '../values/decimal-math.js';
import type { TableLayout } from '../table-layout.js';

/** How the map phase finds the driving table's rows. */
export type Access =
  | { readonly kind: 'scan' }
  | { readonly kind: 'keys'; readonly keys: readonly Key[]; readonly partitions: readonly number[] }
  | { readonly kind: 'index'; readonly index: string; readonly columns: readonly string[]; readonly range: IndexRange };

type RestrictionOp = '=' | 'in' | '<' | '<=' | '>' | '>=';

/** A WHERE conjunct that pins one column of the driving table to constants. */
interface Restriction {
  readonly column: string;
  readonly op: RestrictionOp;
  readonly values: readonly unknown[];
}

const MAX_LOOKUP_KEYS = 1000;
const flipped: Record<string, RestrictionOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Chooses point lookups by the whole primary key, else the best index, else a scan. */
export function chooseAccess(layout: TableLayout, driverOffset: number, conjuncts: readonly Expr[], scope: ExprScope): Access {
  const restrictions = conjuncts.flatMap((conjunct) => restrictionsOf(conjunct, layout, driverOffset, scope));
  return keyAccess(layout, restrictions) ?? indexAccess(layout, restrictions) ?? { kind: 'scan' };
}

function restrictionsOf(expr: Expr, layout: TableLayout, offset: number, scope: ExprScope): Restriction[] {
  const columnOf = (side: Expr): string | undefined => {
    if (side.kind !== 'column') return undefined;
    const position = scope.column(side.table, side.name).position - offset;
    return position >= 0 && position < layout.width ? layout.names[position] : undefined;
  };
  const constantOf = (side: Expr): { value: unknown } | undefined => {
    try {
      const compiled = compileExpr(side, scope);
      return compiled.constant ? { value: compiled.value } : undefined;
    } catch {
      return undefined;
    }
  };
  const restrict = (column: string | undefined, op: RestrictionOp, sides: readonly Expr[]): Restriction[] => {
    if (column === undefined) return [];
    const values = sides.map(constantOf);
    if (values.some((value) => value === undefined)) return [];
    const type = layout.columns[layout.positionOf(column)!]!.type;
    const converted = values.map((value) => (value!.value === null ? null : exactValue(value!.value, type)));
    // A value no stored one can equal drops out of an equality; a range bound that does not convert exactly is not used.
    if (op === '=' || op === 'in') return [{ column, op, values: converted.filter((value) => value !== undefined) }];
    return converted.every((value) => value !== undefined && value !== null) ? [{ column, op, values: converted }] : [];
  };
  switch (expr.kind) {
    case 'binary': {
      const op = flipped[expr.op];
      if (!op) return [];
      const left = columnOf(expr.left);
      return left !== undefined ? restrict(left, flipped[op]!, [expr.right]) : restrict(columnOf(expr.right), op, [expr.left]);
    }
    case 'in-list':
      return expr.negated ? [] : restrict(columnOf(expr.operand), 'in', expr.list);
    case 'between':
      if (expr.negated) return [];
      return [...restrict(columnOf(expr.operand), '>=', [expr.low]), ...restrict(columnOf(expr.operand), '<=', [expr.high])];
    case 'is-null': {
      const column = columnOf(expr.operand);
      return expr.negated || column === undefined ? [] : [{ column, op: '=', values: [null] }];
    }
    default:
      return [];
  }
}

/** The constant as the column stores it; undefined when no stored value can equal it. */
function exactValue(value: unknown, type: SqlType): unknown {
  try {
    const converted = convertValue(value, type, 'assign');
    const numeric = typeof value === 'number' || typeof value === 'bigint';
    if (numeric && compareNumeric(value, converted) !== 0) return undefined;
    return converted;
  } catch (err) {
    if (err instanceof ConversionError) return undefined;
    throw err;
  }
}

function keyAccess(layout: TableLayout, restrictions: readonly Restriction[]): Access | undefined {
  const perColumn: unknown[][] = [];
  for (const column of layout.info.schema.primaryKey) {
    const pinned = restrictions.find((restriction) => restriction.column === column && (restriction.op === '=' || restriction.op === 'in'));
    if (!pinned) return undefined;
    perColumn.push(pinned.values.filter((value) => value !== null && typeof value !== 'bigint'));
  }
  if (perColumn.reduce((count, values) => count * values.length, 1) > MAX_LOOKUP_KEYS) return undefined;
  let tuples: unknown[][] = [[]];
  for (const values of perColumn) tuples = tuples.flatMap((tuple) => values.map((value) => [...tuple, value]));
  const keyNames = layout.info.schema.primaryKey;
  const keys = new Map<string, Key>();
  for (const tuple of tuples) {
    const key = keyNames.length === 1 ? (tuple[0] as Key) : Object.fromEntries(keyNames.map((name, i) => [name, tuple[i] as Key]));
    keys.set(Buffer.from(encodeKey(key)).toString('latin1'), key);
  }
  const partitions = new Set<number>();
  for (const encoded of keys.keys()) partitions.add(partitionOf(Buffer.from(encoded, 'latin1'), layout.info.partitions));
  return { kind: 'keys', keys: [...keys.values()], partitions: [...partitions].sort((a, b) => a - b) };
}

/** The index whose leading columns the conjuncts pin most: equalities first, then one range. */
function indexAccess(layout: TableLayout, restrictions: readonly Restriction[]): Access | undefined {
  let best: { access: Access; score: number } | undefined;
  for (const index of layout.info.schema.indexes) {
    const equal: unknown[] = [];
    for (const column of index.columns) {
      const pinned = restrictions.find((restriction) => restriction.column === column && restriction.op === '=' && restriction.values.length === 1);
      if (!pinned) break;
      equal.push(pinned.values[0]);
    }
    const next = index.columns[equal.length];
    const lower = next === undefined ? undefined : restrictions.find((r) => r.column === next && (r.op === '>' || r.op === '>='));
    const upper = next === undefined ? undefined : restrictions.find((r) => r.column === next && (r.op === '<' || r.op === '<='));
    const score = equal.length * 2 + (lower || upper ? 1 : 0);
    if (score === 0 || (best && best.score >= score)) continue;
    const range: IndexRange = {
      lower: lower ? { values: [...equal, lower.values[0]], inclusive: lower.op === '>=' } : equal.length > 0 ? { values: equal, inclusive: true } : undefined,
      upper: upper ? { values: [...equal, upper.values[0]], inclusive: upper.op === '<=' } : equal.length > 0 ? { values: equal, inclusive: true } : undefined,
    } as IndexRange;
    best = { access: { kind: 'index', index: index.name, columns: index.columns, range: withoutUndefined(range) }, score };
  }
  return best?.access;
}

function withoutUndefined(range: IndexRange): IndexRange {
  return {
    ...(range.lower ? { lower: range.lower } : {}),
    ...(range.upper ? { upper: range.upper } : {}),
  };
}
