import { SqlError } from '@shoal/client/protocol';
import type { Expr } from '../../ast.js';
import { compileExpr, compilePredicate } from '../expr/compile-expr.js';
import type { Evaluator, ExprScope } from '../expr/compiled.js';
import { keyFunctionFor } from '../values/compare.js';
import { isNumericKind, type ValueKind, widerNumericKind } from '../values/value-kind.js';
import { chooseAccess } from './access-path.js';
import type { JoinStep, KeyJoinScan, RowSource } from './select-plan.js';
import { conjoin, conjunctsOf, type Source, sourcesOf } from './sources.js';

export interface PlannedRows {
  readonly rowSource: RowSource;
  readonly filter?: Evaluator;
}

/** A condition and the sources it reads. */
interface Conjunct {
  readonly expr: Expr;
  readonly sources: ReadonlySet<number>;
}

export const UNSUPPORTED_JOIN =
  'joins between partitioned tables must be on their primary keys (equality on every key column of both tables, same partition count), or the joined table must be replicated';

/** Decides where rows come from and where each condition is checked. */
export function planRows(sources: readonly Source[], where: Expr | undefined, scope: (clause: string) => ExprScope): PlannedRows {
  const whereConjuncts = conjunctsOf(where).map((expr) => conjunct(expr, sources));
  const partitioned = sources.flatMap((source, index) => (source.layout.info.mode === 'partitioned' ? [index] : []));
  if (partitioned.length === 2 && sources.length === 2) return planKeyJoin(sources, whereConjuncts, scope);
  if (partitioned.length > 1) throw new SqlError(UNSUPPORTED_JOIN);
  const driver = partitioned[0] ?? 0;
  if (driver !== 0) {
    if (sources.some((source) => source.join?.kind === 'left')) throw new SqlError(UNSUPPORTED_JOIN);
    return planReordered(sources, driver, whereConjuncts, scope);
  }
  return planInOrder(sources, whereConjuncts, scope);
}

function conjunct(expr: Expr, sources: readonly Source[]): Conjunct {
  return { expr, sources: sourcesOf(expr, sources) };
}

function compileAll(conjuncts: readonly Conjunct[], scope: ExprScope): Evaluator | undefined {
  const expr = conjoin(conjuncts.map((c) => c.expr));
  return expr ? compilePredicate(expr, scope).evaluate : undefined;
}

function within(c: Conjunct, bound: ReadonlySet<number>): boolean {
  for (const source of c.sources) if (!bound.has(source)) return false;
  return true;
}

function mapSource(sources: readonly Source[], driver: number, driverConjuncts: readonly Conjunct[], steps: JoinStep[], scope: (clause: string) => ExprScope): RowSource {
  const whereScope = scope('WHERE');
  const source = sources[driver]!;
  const access = chooseAccess(source.layout, source.offset, driverConjuncts.map((c) => c.expr), whereScope);
  const driverFilter = compileAll(driverConjuncts, whereScope);
  return driverFilter ? { kind: 'map', driver, access, driverFilter, steps } : { kind: 'map', driver, access, steps };
}

/** FROM order kept (LEFT JOINs need it): the driving table first, WHERE conjuncts over it checked before joining. */
function planInOrder(sources: readonly Source[], where: readonly Conjunct[], scope: (clause: string) => ExprScope): PlannedRows {
  const driverOnly = where.filter((c) => within(c, new Set([0])));
  const rest = where.filter((c) => !driverOnly.includes(c));
  const steps = sources.slice(1).map((source, i) => {
    const index = i + 1;
    const on = conjunctsOf(source.join!.on).map((expr) => conjunct(expr, sources));
    const bound = new Set(sources.slice(0, index + 1).map((_, position) => position));
    for (const c of on) if (!within(c, bound)) throw new SqlError(`invalid reference to a later table in JOIN/ON of "${source.name}"`);
    return joinStep(sources, index, source.join!.kind, on, new Set([...bound].filter((b) => b !== index)), scope('JOIN/ON'));
  });
  const filter = compileAll(rest, scope('WHERE'));
  const rowSource = mapSource(sources, 0, driverOnly, steps, scope);
  return filter ? { rowSource, filter } : { rowSource };
}

/** All joins INNER and the one partitioned table not first: it drives, and each condition is checked as soon as its tables are bound. */
function planReordered(sources: readonly Source[], driver: number, where: readonly Conjunct[], scope: (clause: string) => ExprScope): PlannedRows {
  const pool = [...where, ...sources.flatMap((source) => conjunctsOf(source.join?.on).map((expr) => conjunct(expr, sources)))];
  const bound = new Set([driver]);
  const driverOnly = pool.filter((c) => within(c, bound));
  let remaining = pool.filter((c) => !driverOnly.includes(c));
  const steps: JoinStep[] = [];
  for (let index = 0; index < sources.length; index++) {
    if (index === driver) continue;
    const before = new Set(bound);
    bound.add(index);
    const decidable = remaining.filter((c) => within(c, bound));
    remaining = remaining.filter((c) => !decidable.includes(c));
    steps.push(joinStep(sources, index, 'inner', decidable, before, scope('JOIN/ON')));
  }
  return { rowSource: mapSource(sources, driver, driverOnly, steps, scope) };
}

function joinStep(sources: readonly Source[], index: number, kind: 'inner' | 'left', conditions: readonly Conjunct[], before: ReadonlySet<number>, scope: ExprScope): JoinStep {
  const compiled = conditions.map((c) => compilePredicate(c.expr, scope).evaluate);
  const hash = hashCondition(sources, index, conditions, before, scope);
  return hash ? { source: index, kind, conditions: compiled, hash } : { source: index, kind, conditions: compiled };
}

/** An equality between a column of the joined table and an expression over tables already bound. */
function hashCondition(sources: readonly Source[], index: number, conditions: readonly Conjunct[], before: ReadonlySet<number>, scope: ExprScope): JoinStep['hash'] {
  const source = sources[index]!;
  for (const c of conditions) {
    if (c.expr.kind !== 'binary' || c.expr.op !== '=') continue;
    for (const [build, probe] of [[c.expr.left, c.expr.right], [c.expr.right, c.expr.left]] as const) {
      if (build.kind !== 'column' || !within(conjunct(probe, sources), before)) continue;
      const built = compileExpr(build, scope);
      if (built.column === undefined || built.column < source.offset || built.column >= source.offset + source.layout.width) continue;
      const probed = compileExpr(probe, scope);
      const kind = hashKind(built.kind, probed.kind);
      if (kind === undefined) continue;
      return { buildPosition: built.column - source.offset, probe: probed.evaluate, keyOf: keyFunctionFor(kind) };
    }
  }
  return undefined;
}

function hashKind(a: ValueKind, b: ValueKind): ValueKind | undefined {
  if (a === b && a !== 'unknown') return a;
  if (isNumericKind(a) && isNumericKind(b)) return widerNumericKind(a, b);
  return undefined;
}

/** Two partitioned tables equated on every key column: each scanned with what can be pushed to it, joined by the reducer. */
function planKeyJoin(sources: readonly Source[], where: readonly Conjunct[], scope: (clause: string) => ExprScope): PlannedRows {
  const [left, right] = sources as [Source, Source];
  const joinKind = right.join!.kind;
  if (left.layout.info.partitions !== right.layout.info.partitions) throw new SqlError(UNSUPPORTED_JOIN);
  const on = conjunctsOf(right.join!.on).map((expr) => conjunct(expr, sources));
  const pairs = keyPairs(sources, on, scope('JOIN/ON'));
  if (!pairs) throw new SqlError(UNSUPPORTED_JOIN);
  const onLeft = new Set([0]);
  const onRight = new Set([1]);
  const pushLeft = [...where.filter((c) => within(c, onLeft) && c.sources.size > 0), ...(joinKind === 'inner' ? on.filter((c) => within(c, onLeft) && c.sources.size > 0) : [])];
  const pushRight = [...(joinKind === 'inner' ? where.filter((c) => within(c, onRight) && c.sources.size > 0) : []), ...on.filter((c) => within(c, onRight) && c.sources.size > 0)];
  const residual = on.filter((c) => !pairs.used.has(c) && !pushLeft.includes(c) && !pushRight.includes(c));
  const rest = where.filter((c) => !pushLeft.includes(c) && !pushRight.includes(c));
  const scan = (index: number, pushed: readonly Conjunct[], positions: readonly number[], kinds: readonly ValueKind[]): KeyJoinScan => {
    const filter = compileAll(pushed, scope(index === 0 || joinKind === 'inner' ? 'WHERE' : 'JOIN/ON'));
    return filter ? { source: index, filter, keyPositions: positions, keyKinds: kinds } : { source: index, keyPositions: positions, keyKinds: kinds };
  };
  const rowSource: RowSource = {
    kind: 'key-join',
    joinKind,
    scans: [scan(0, pushLeft, pairs.left, pairs.kinds), scan(1, pushRight, pairs.right, pairs.kinds)],
    residual: residual.map((c) => compilePredicate(c.expr, scope('JOIN/ON')).evaluate),
  };
  const filter = compileAll(rest, scope('WHERE'));
  return filter ? { rowSource, filter } : { rowSource };
}

/** Matches `l.k = r.k` ON conjuncts covering both primary keys one to one. */
function keyPairs(sources: readonly Source[], on: readonly Conjunct[], scope: ExprScope) {
  const [left, right] = sources as [Source, Source];
  const leftKeys = new Set(left.layout.keyPositions.map((p) => p + left.offset));
  const rightKeys = new Set(right.layout.keyPositions.map((p) => p + right.offset));
  const pairs = new Map<number, { right: number; kind: ValueKind }>();
  const used = new Set<Conjunct>();
  for (const c of on) {
    if (c.expr.kind !== 'binary' || c.expr.op !== '=' || c.expr.left.kind !== 'column' || c.expr.right.kind !== 'column') continue;
    const a = compileExpr(c.expr.left, scope);
    const b = compileExpr(c.expr.right, scope);
    const [l, r] = leftKeys.has(a.column!) ? [a, b] : [b, a];
    const kind = hashKind(l.kind, r.kind);
    if (!leftKeys.has(l.column!) || !rightKeys.has(r.column!) || kind === undefined || pairs.has(l.column!)) continue;
    pairs.set(l.column!, { right: r.column!, kind });
    used.add(c);
  }
  const rightCovered = new Set([...pairs.values()].map((pair) => pair.right));
  if (pairs.size !== leftKeys.size || rightCovered.size !== rightKeys.size) return undefined;
  const entries = [...pairs.entries()];
  return { left: entries.map(([l]) => l), right: entries.map(([, pair]) => pair.right), kinds: entries.map(([, pair]) => pair.kind), used };
}
