import fc from 'fast-check';
import { cellOf } from './value-arbitrary.js';
import type { ColumnSpec, IndexSpec, Row, TableSpec, ValueType, World } from './world.js';

/**
 * How a table's primary key looks. Two partitioned tables share `id` and two
 * share `pair`, so pk-to-pk joins of partitioned tables meet rows; `rid` and
 * `code` are the small key ranges of the replicated dimension tables, which
 * the facts' first INT and TEXT columns fall into often.
 */
type KeyShape = 'id' | 'pair' | 'rid' | 'code';

interface TableRole {
  readonly name: string;
  readonly key: KeyShape;
  readonly rows: readonly [number, number];
  readonly mode: fc.Arbitrary<'partitioned' | 'replicated'>;
}

const ROLES: readonly TableRole[] = [
  { name: 'p1', key: 'id', rows: [80, 250], mode: fc.constant('partitioned') },
  { name: 'p2', key: 'id', rows: [80, 250], mode: fc.constant('partitioned') },
  { name: 'c1', key: 'pair', rows: [40, 150], mode: fc.constant('partitioned') },
  { name: 'c2', key: 'pair', rows: [40, 150], mode: fc.constantFrom('partitioned', 'replicated') },
  { name: 'r1', key: 'rid', rows: [8, 26], mode: fc.constant('replicated') },
  { name: 'r2', key: 'code', rows: [5, 14], mode: fc.constant('replicated') },
];

const LETTER: Readonly<Record<ValueType, string>> = { int: 'i', bigint: 'g', double: 'd', text: 's', bool: 'b' };

const keyColumns: Readonly<Record<KeyShape, readonly ColumnSpec[]>> = {
  id: [{ name: 'id', type: 'int', nullable: false }],
  pair: [
    { name: 'k1', type: 'int', nullable: false },
    { name: 'k2', type: 'text', nullable: false },
  ],
  rid: [{ name: 'rid', type: 'int', nullable: false }],
  code: [{ name: 'code', type: 'text', nullable: false }],
};

/** Key values as rows of the key columns; unique. */
function keyRows(shape: KeyShape, [min, max]: readonly [number, number]): fc.Arbitrary<Row[]> {
  const code = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'B'), minLength: 1, maxLength: 2 });
  switch (shape) {
    case 'id':
      return fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: min, maxLength: max }).map((ids) => ids.map((id) => ({ id })));
    case 'rid':
      return fc.uniqueArray(fc.integer({ min: 0, max: 25 }), { minLength: min, maxLength: max }).map((ids) => ids.map((rid) => ({ rid })));
    case 'code':
      return fc.uniqueArray(code, { minLength: min, maxLength: max }).map((codes) => codes.map((c) => ({ code: c })));
    case 'pair': {
      const pair = fc.record({ k1: fc.integer({ min: 0, max: 20 }), k2: fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 2 }) });
      return fc.uniqueArray(pair, { minLength: min, maxLength: max, selector: (p) => `${p.k1}|${p.k2}` });
    }
  }
}

/** The non-key columns: the first is INT and the second TEXT (join columns toward r1 and r2), then 0–4 of any type. */
function extraColumns(): fc.Arbitrary<ColumnSpec[]> {
  const anyType = fc.constantFrom<ValueType>('int', 'bigint', 'double', 'double', 'text', 'bool');
  return fc.array(anyType, { minLength: 0, maxLength: 4 }).chain((rest) => {
    const types: ValueType[] = ['int', 'text', ...rest];
    const columns = types.map((type, i) =>
      fc.record({
        nullable: fc.boolean().map((b) => b || i === 0 || i > 2),
        varchar: type === 'text' ? fc.boolean() : fc.constant(false),
      }).map(({ nullable, varchar }): ColumnSpec => ({ name: `${LETTER[type]}${i + 1}`, type, nullable, ...(varchar ? { maxLength: 8 } : {}) })),
    );
    return fc.tuple(...columns);
  });
}

function indexes(table: string, columns: readonly ColumnSpec[]): fc.Arbitrary<IndexSpec[]> {
  const names = columns.map((c) => c.name);
  const one = fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 2 });
  return fc.array(one, { maxLength: 2 }).map((lists) => {
    const distinct = [...new Map(lists.map((cols) => [cols.join(','), cols])).values()];
    return distinct.map((cols, i) => ({ name: `${table}_ix${i + 1}`, columns: cols }));
  });
}

function tableArbitrary(role: TableRole, prefix: string): fc.Arbitrary<TableSpec> {
  const name = `${prefix}${role.name}`;
  const keys = keyColumns[role.key];
  // Cells for 500 rows, more than any role has: generated this way since seeds were first named, so a named seed keeps its world.
  return fc.tuple(role.mode, extraColumns()).chain(([mode, extras]) =>
    fc.tuple(indexes(name, extras), keyRows(role.key, role.rows), fc.array(fc.tuple(...extras.map((c) => cellOf(c.type, c.nullable, c.maxLength))), { minLength: 500, maxLength: 500 })).map(
      ([ix, keyRowList, cells]): TableSpec => ({
        name,
        mode,
        backups: mode === 'partitioned' ? 1 : 0,
        columns: [...keys, ...extras],
        primaryKey: keys.map((k) => k.name),
        indexes: ix,
        rows: keyRowList.map((key, r): Row => ({ ...key, ...Object.fromEntries(extras.map((c, i) => [c.name, cells[r]![i]!])) })),
      }),
    ),
  );
}

/** The world of a seed: the same seed always gives the same tables and rows. */
export function worldOf(seed: number, prefix: string): World {
  const arbitrary = fc.tuple(...ROLES.map((role) => tableArbitrary(role, prefix)));
  const [tables] = fc.sample(arbitrary, { seed, numRuns: 1 });
  return { seed, tables: tables! };
}
