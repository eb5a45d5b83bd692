import type { Row } from '../expr/compiled.js';
import type { RowOrder } from '../plan/select-plan.js';

/** A comparator of rows by the sort keys, NULL placement and direction included. */
export function rowComparator(order: RowOrder): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of order) {
      const x = a[key.position];
      const y = b[key.position];
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull && yNull) continue;
        return xNull === key.nullsFirst ? -1 : 1;
      }
      const order = key.compare(x, y);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}
