import { SqlError } from '@shoal/client/protocol';
import type { Row } from '../expr/compiled.js';
import type { SelectPlan, Sink } from '../plan/select-plan.js';
import type { StoredRow } from '../../sql-host.js';
import { keyFunctionFor, type KeyOf, tupleKey } from '../values/compare.js';
import { rowComparator } from './row-order.js';

/** Where the rows that pass every condition go; `accept` answers whether more rows are wanted. */
export interface RowSink {
  accept(row: Row, stored?: StoredRow): boolean;
  /** The partial output, plain msgpack-able data. */
  output(): unknown[];
}

interface Group {
  readonly keys: unknown[];
  readonly states: unknown[];
}

/** Folds rows into partial aggregate states per group: [keys, wire states] per group. */
class AggregateSink implements RowSink {
  private readonly groups = new Map<unknown, Group>();

  constructor(private readonly sink: Extract<Sink, { kind: 'aggregate' }>) {}

  accept(row: Row): boolean {
    const { keys, keyFunctions, aggregates } = this.sink;
    let groupKey: unknown;
    if (keys.length === 1) groupKey = keyFunctions[0]!(keys[0]!(row));
    else if (keys.length === 0) groupKey = '';
    else groupKey = tupleKey(keys.map((key, i) => keyFunctions[i]!(key(row))));
    let group = this.groups.get(groupKey);
    if (group === undefined) {
      group = { keys: keys.map((key) => key(row)), states: aggregates.map((aggregate) => aggregate.fn.initial()) };
      this.groups.set(groupKey, group);
    }
    const states = group.states;
    for (let i = 0; i < aggregates.length; i++) {
      const aggregate = aggregates[i]!;
      if (aggregate.argument === undefined) states[i] = aggregate.fn.add(states[i], true);
      else {
        const value = aggregate.argument(row);
        if (value !== null) states[i] = aggregate.fn.add(states[i], value);
      }
    }
    return true;
  }

  output(): unknown[] {
    const aggregates = this.sink.aggregates;
    return [...this.groups.values()].map((group) => [group.keys, group.states.map((state, i) => aggregates[i]!.fn.toWire(state))]);
  }
}

/** Computes output columns; with DISTINCT drops repeats, with LIMIT keeps only what could make the cut. */
class ProjectSink implements RowSink {
  private rows: unknown[][] = [];
  private readonly seen: Set<string> | undefined;
  private readonly keyFunctions: readonly KeyOf[];
  private readonly compare: ((a: Row, b: Row) => number) | undefined;

  constructor(private readonly sink: Extract<Sink, { kind: 'project' }>, plan: SelectPlan) {
    this.seen = sink.distinct ? new Set() : undefined;
    this.keyFunctions = plan.kinds.map(keyFunctionFor);
    this.compare = sink.keep?.order ? rowComparator(sink.keep.order) : undefined;
  }

  accept(row: Row): boolean {
    const outputs = this.sink.outputs;
    const projected = new Array<unknown>(outputs.length);
    for (let i = 0; i < outputs.length; i++) projected[i] = outputs[i]!(row);
    if (this.seen) {
      const key = distinctKey(projected, this.keyFunctions);
      if (this.seen.has(key)) return true;
      this.seen.add(key);
    }
    this.rows.push(projected);
    const keep = this.sink.keep;
    if (keep === undefined) return true;
    if (this.compare === undefined) return this.rows.length < keep.count;
    if (this.rows.length >= Math.max(2 * keep.count, 1024)) this.trim(keep.count);
    return true;
  }

  private trim(count: number): void {
    this.rows.sort(this.compare);
    this.rows.length = Math.min(this.rows.length, count);
  }

  output(): unknown[] {
    if (this.sink.keep && this.compare) this.trim(this.sink.keep.count);
    return this.rows;
  }
}

export function distinctKey(row: Row, keyFunctions: readonly KeyOf[]): string {
  const parts = new Array<unknown>(keyFunctions.length);
  for (let i = 0; i < keyFunctions.length; i++) parts[i] = keyFunctions[i]!(row[i] ?? null);
  return tupleKey(parts);
}

/** DML reads: [stored key, cells] per row. */
class FetchSink implements RowSink {
  private readonly entries: unknown[] = [];

  constructor(private readonly width: number) {}

  accept(row: Row, stored?: StoredRow): boolean {
    if (!stored) throw new SqlError('a DML read must run in the map phase');
    this.entries.push([stored.key, row.slice(0, this.width)]);
    return true;
  }

  output(): unknown[] {
    return this.entries;
  }
}

export function makeSink(plan: SelectPlan): RowSink {
  const sink = plan.sink;
  switch (sink.kind) {
    case 'aggregate':
      return new AggregateSink(sink);
    case 'project':
      return new ProjectSink(sink, plan);
    case 'fetch':
      return new FetchSink(plan.width);
  }
}
