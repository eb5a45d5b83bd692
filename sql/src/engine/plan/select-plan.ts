import type { AggregateFunction } from '../aggregate/aggregate-functions.js';
import type { Evaluator } from '../expr/compiled.js';
import type { KeyOf } from '../values/compare.js';
import type { ValueKind } from '../values/value-kind.js';
import type { Access } from './access-path.js';
import type { Source } from './sources.js';

/** One replicated table joined in the map phase, from this node's copy. */
export interface JoinStep {
  readonly source: number;
  readonly kind: 'inner' | 'left';
  /** Conditions over the combined row once this source is bound (ON conjuncts and WHERE conjuncts that became decidable). */
  readonly conditions: readonly Evaluator[];
  /** An equality ON condition: the joined table's rows bucketed by `buildPosition` (within its own row), probed by `probe`. */
  readonly hash?: { readonly buildPosition: number; readonly probe: Evaluator; readonly keyOf: KeyOf };
}

/** Where the rows come from. */
export type RowSource =
  /** `SELECT` without FROM: one empty row, evaluated on the receiving node. */
  | { readonly kind: 'single-row' }
  /** Map on the primaries of the driving table's partitions, replicated tables joined locally. */
  | { readonly kind: 'map'; readonly driver: number; readonly access: Access; readonly driverFilter?: Evaluator; readonly steps: readonly JoinStep[] }
  /** Two partitioned tables joined on their keys: one scan each, joined by the reducer. */
  | { readonly kind: 'key-join'; readonly joinKind: 'inner' | 'left'; readonly scans: readonly [KeyJoinScan, KeyJoinScan]; readonly residual: readonly Evaluator[] };

export interface KeyJoinScan {
  readonly source: number;
  readonly filter?: Evaluator;
  /** Positions in the combined row of the key columns, in matching order across both scans. */
  readonly keyPositions: readonly number[];
  readonly keyKinds: readonly ValueKind[];
}

export interface PlannedAggregate {
  readonly fn: AggregateFunction;
  /** Absent for COUNT(*). */
  readonly argument?: Evaluator;
}

/** What the map phase makes of the rows that pass the filter. */
export type Sink =
  | { readonly kind: 'aggregate'; readonly keys: readonly Evaluator[]; readonly keyFunctions: readonly KeyOf[]; readonly aggregates: readonly PlannedAggregate[] }
  | { readonly kind: 'project'; readonly outputs: readonly Evaluator[]; readonly distinct: boolean; readonly keep?: { readonly count: number; readonly order?: RowOrder } }
  /** DML reads: each row's stored key and its cells. */
  | { readonly kind: 'fetch' };

export interface SortKey {
  readonly position: number;
  readonly compare: (a: unknown, b: unknown) => number;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export type RowOrder = readonly SortKey[];

/** What the reducer does after merging: HAVING, output columns over group rows, DISTINCT, ORDER BY, OFFSET/LIMIT. */
export interface Finish {
  readonly having?: Evaluator;
  /** Over group rows (aggregate sink) to produce output + sort-key columns; absent when the map already projected. */
  readonly outputs?: readonly Evaluator[];
  readonly distinct: boolean;
  readonly order: RowOrder;
  readonly offset: number;
  readonly limit?: number;
  /** Output columns shown; the rest are sort keys only. */
  readonly visible: number;
  readonly groupKeyKinds: readonly ValueKind[];
}

export interface SelectPlan {
  readonly sources: readonly Source[];
  readonly width: number;
  readonly rowSource: RowSource;
  /** The WHERE conjuncts not decided earlier, over the whole combined row. */
  readonly filter?: Evaluator;
  readonly sink: Sink;
  readonly finish: Finish;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
}
