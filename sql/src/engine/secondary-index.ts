import { decodeKey } from '@shoal/client/protocol';
import sortedBtree from 'sorted-btree';
import type { IndexRange, IndexSchema, TableSchema } from '../sql-host.js';
import { TableLayout } from './table-layout.js';
import { type Comparator, comparatorFor } from './values/compare.js';

// sorted-btree is CommonJS with its class as `default`: Node's ESM import gives the module object, bundlers the class.
const imported = sortedBtree as unknown as { default?: unknown };
const BTree = (typeof imported === 'function' ? imported : imported.default) as typeof sortedBtree.default;
type BTree<K, V> = InstanceType<typeof BTree<K, V>>;

/** An index entry, or a probe: a bound that sorts before (-1) or after (+1) every entry sharing its values. */
interface IndexKey {
  readonly values: readonly unknown[];
  readonly id: string;
  readonly tail?: -1 | 1;
}

/**
 * A secondary index of one partition: entry ids (the key's canonical bytes as
 * latin1) ordered by the index columns' SQL values, NULL last as PostgreSQL
 * sorts it, the id breaking ties. The node keeps one per partition per index
 * and updates it on every write.
 */
export class SecondaryIndex {
  private readonly tree: BTree<IndexKey, undefined>;
  private readonly layout: TableLayout;
  private readonly positions: readonly number[];

  constructor(schema: TableSchema, readonly index: IndexSchema) {
    this.layout = new TableLayout({ name: index.name, mode: 'partitioned', partitions: 1, schema });
    this.positions = index.columns.map((column) => {
      const position = this.layout.positionOf(column);
      if (position === undefined) throw new Error(`index "${index.name}" names column "${column}", which the table does not have`);
      return position;
    });
    const comparators = this.positions.map((position) => comparatorFor(this.layout.kinds[position]!));
    this.tree = new BTree<IndexKey, undefined>(undefined, (a, b) => compareKeys(comparators, a, b));
  }

  get size(): number {
    return this.tree.size;
  }

  insert(entryId: string, row: unknown): void {
    this.tree.set(this.keyOf(entryId, row), undefined);
  }

  delete(entryId: string, row: unknown): void {
    this.tree.delete(this.keyOf(entryId, row));
  }

  /** Entry ids in index order whose index values fall in the range (each bound a prefix of the columns). */
  *range(range: IndexRange): Iterable<string> {
    const low: IndexKey | undefined = range.lower ? { values: range.lower.values, id: '', tail: range.lower.inclusive ? -1 : 1 } : undefined;
    const high: IndexKey | undefined = range.upper ? { values: range.upper.values, id: '', tail: range.upper.inclusive ? 1 : -1 } : undefined;
    const compare = this.tree._compare;
    for (const key of this.tree.keys(low)) {
      if (high && compare(key, high) >= 0) return;
      yield key.id;
    }
  }

  /** The row's index values as a scan would read them (the key fills in key columns the value lacks). */
  private keyOf(entryId: string, row: unknown): IndexKey {
    const key = needsKey(this.layout, this.positions, row) ? decodeKey(Buffer.from(entryId, 'latin1')) : '';
    const decoded = this.layout.decode({ key, value: row });
    return { values: this.positions.map((position) => decoded[position] ?? null), id: entryId };
  }
}

function needsKey(layout: TableLayout, positions: readonly number[], row: unknown): boolean {
  const object = row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : {};
  return positions.some((position) => layout.keyPositions.includes(position) && object[layout.names[position]!] === undefined);
}

function compareKeys(comparators: readonly Comparator[], a: IndexKey, b: IndexKey): number {
  const shared = Math.min(a.values.length, b.values.length);
  for (let i = 0; i < shared; i++) {
    const x = a.values[i];
    const y = b.values[i];
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const order = comparators[i]!(x, y);
    if (order !== 0) return order;
  }
  if (a.tail !== undefined) return b.tail !== undefined ? a.tail - b.tail : a.tail;
  if (b.tail !== undefined) return -b.tail;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
