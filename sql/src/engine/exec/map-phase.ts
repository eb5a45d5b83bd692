import type { MapScope, StoredRow } from '../../sql-host.js';
import type { RowSource, SelectPlan } from '../plan/select-plan.js';
import { joinRunner } from './join-steps.js';
import { makeSink } from './sinks.js';

type MapRowSource = Extract<RowSource, { kind: 'map' }>;

/** The stored rows the access path reaches on this node; an index this node lacks falls back to a scan. */
function driverRows(plan: SelectPlan, rowSource: MapRowSource, scope: MapScope): Iterable<StoredRow> {
  const table = plan.sources[rowSource.driver]!.layout.name;
  const access = rowSource.access;
  switch (access.kind) {
    case 'keys':
      return access.keys.flatMap((key) => scope.get(table, key) ?? []);
    case 'index':
      return scope.indexRange(table, access.index, access.range) ?? scope.scan(table);
    case 'scan':
      return scope.scan(table);
  }
}

/** The map phase of a SELECT (or a DML read) on one node: its partial output. */
export function runMapPhase(plan: SelectPlan, scope: MapScope, scanIndex: number): unknown[] {
  const rowSource = plan.rowSource;
  if (rowSource.kind === 'key-join') return scanForKeyJoin(plan, rowSource, scope, scanIndex);
  if (rowSource.kind !== 'map') return [];
  const sink = makeSink(plan);
  const filter = plan.filter;
  let current: StoredRow | undefined;
  const final = filter
    ? (row: unknown[]) => filter(row) !== true || sink.accept(row, current)
    : (row: unknown[]) => sink.accept(row, current);
  const joined = joinRunner(plan, rowSource.steps, scope, final);
  const source = plan.sources[rowSource.driver]!;
  const layout = source.layout;
  const offset = source.offset;
  const driverFilter = rowSource.driverFilter;
  const row = new Array<unknown>(plan.width).fill(null);
  for (const stored of driverRows(plan, rowSource, scope)) {
    layout.decodeInto(stored, row, offset);
    if (driverFilter !== undefined && driverFilter(row) !== true) continue;
    current = stored;
    if (!joined(row)) break;
  }
  return sink.output();
}

/** One side of a key join: the table's rows (its own cells) that pass what was pushed down to it. */
function scanForKeyJoin(plan: SelectPlan, rowSource: Extract<RowSource, { kind: 'key-join' }>, scope: MapScope, scanIndex: number): unknown[] {
  const scan = rowSource.scans[scanIndex === 1 ? 1 : 0];
  const source = plan.sources[scan.source]!;
  const row = new Array<unknown>(plan.width).fill(null);
  const rows: unknown[] = [];
  for (const stored of scope.scan(source.layout.name)) {
    source.layout.decodeInto(stored, row, source.offset);
    if (scan.filter !== undefined && scan.filter(row) !== true) continue;
    rows.push(row.slice(source.offset, source.offset + source.layout.width));
  }
  return rows;
}
