import fc from 'fast-check';
import { type Expr, col } from './expr.js';
import { ExprGen } from './expr-arbitrary.js';
import { tableColumns } from './scope.js';
import { type TableSpec, type ValueType, type World, comparableFamily } from './world.js';

const SUB_ALIAS = 'sq';

/** One generator per (world, table): a subquery's scope is its own table only, so the subquery stays uncorrelated. */
const generators = new WeakMap<World, Map<string, ExprGen>>();

function subGenerator(world: World, table: TableSpec): ExprGen {
  let byTable = generators.get(world);
  if (!byTable) generators.set(world, (byTable = new Map()));
  let gen = byTable.get(table.name);
  if (!gen) {
    gen = new ExprGen({ world, columns: tableColumns(table, SUB_ALIAS), subqueries: false, params: false });
    byTable.set(table.name, gen);
  }
  return gen;
}

/**
 * `operand [NOT] IN (SELECT sq.c FROM t sq [WHERE ...])` with `c` of the
 * operand's family; any table of the world, partitioned or replicated.
 */
export function subSelectArbitrary(outer: ExprGen, depth: number): fc.Arbitrary<Expr> {
  const world = outer.scope.world;
  const options = outer.comparableTypes().flatMap((type: ValueType) =>
    world.tables.flatMap((table) => {
      if (table.name === outer.scope.notInSubqueries) return [];
      const candidates = table.columns.filter((c) => comparableFamily(c.type) === comparableFamily(type));
      if (candidates.length === 0) return [];
      const inner = subGenerator(world, table);
      const where = fc.option(inner.predicate(1), { nil: undefined, freq: 3 });
      return [
        fc.tuple(outer.scalar(type, Math.max(0, depth - 1), false), fc.constantFrom(...candidates), where, fc.boolean()).map(
          ([operand, column, w, negated]): Expr => ({
            k: 'insub',
            operand,
            negated,
            sub: { table: table.name, alias: SUB_ALIAS, column: col(column.name, column.type, SUB_ALIAS), ...(w ? { where: w } : {}) },
          }),
        ),
      ];
    }),
  );
  return fc.oneof(...options);
}
