import { type Key, SqlError } from '@shoal/client/protocol';
import type { Insert } from '../../ast.js';
import type { SqlHost, SqlResult } from '../../sql-host.js';
import { compileExpr, compilePredicate } from '../expr/compile-expr.js';
import { lookupTable } from '../plan/sources.js';
import type { TableLayout } from '../table-layout.js';
import { applyAssignments, compileAssignments, tableScope } from './dml-scope.js';
import { inChunks, readKeys } from './key-reads.js';
import type { ReadRunner } from './read-runner.js';
import { checkRow, duplicateKeyError, keyIdentity, valueForColumn } from './row-values.js';

interface NewRow {
  readonly key: Key;
  readonly identity: string;
  readonly cells: unknown[];
}

const result = (rowCount: number): SqlResult => ({ command: 'INSERT', columns: [], rows: [], rowCount });

/** INSERT: every row computed and checked before the first write, so a bad row writes nothing. */
export async function executeInsert(insert: Insert, run: ReadRunner, host: SqlHost): Promise<SqlResult> {
  const layout = lookupTable(host, insert.table);
  const rows = newRows(insert, layout, run);
  const action = insert.onConflict?.action;
  if (insert.onConflict) checkConflictTarget(layout, insert.onConflict.target);
  if (!action) return result(await insertPlain(host, layout, rows));
  if (action.kind === 'nothing') {
    const unique = new Map<string, NewRow>();
    for (const row of rows) if (!unique.has(row.identity)) unique.set(row.identity, row);
    const inserted = await inChunks([...unique.values()], (row) => host.putIfAbsent(layout.name, row.key, layout.valueOf(row.cells)));
    return result(inserted.filter(Boolean).length);
  }
  return result(await upsert(host, layout, rows, action, run));
}

function newRows(insert: Insert, layout: TableLayout, run: ReadRunner): NewRow[] {
  const positions = (insert.columns ?? layout.names).map((name) => {
    const position = layout.positionOf(name);
    if (position === undefined) throw new SqlError(`column "${name}" of relation "${layout.name}" does not exist`);
    return position;
  });
  if (new Set(positions).size !== positions.length) throw new SqlError('a column is named more than once in the INSERT column list');
  const scope = tableScope([], run.targets.params, 'VALUES', run.targets.subquery);
  return insert.rows.map((exprs) => {
    if (exprs.length > positions.length) throw new SqlError('INSERT has more expressions than target columns');
    if (exprs.length < positions.length) throw new SqlError('INSERT has more target columns than expressions');
    const cells = new Array<unknown>(layout.width).fill(null);
    exprs.forEach((expr, i) => {
      const position = positions[i]!;
      cells[position] = valueForColumn(compileExpr(expr, scope).evaluate([]), layout.columns[position]!);
    });
    const key = checkRow(layout, cells);
    return { key, identity: keyIdentity(key), cells };
  });
}

function checkConflictTarget(layout: TableLayout, target: readonly string[]): void {
  const key = layout.info.schema.primaryKey;
  if (target.length !== key.length || !key.every((name) => target.includes(name))) {
    throw new SqlError('there is no unique or exclusion constraint matching the ON CONFLICT specification');
  }
}

/** A plain INSERT of an existing key fails like PostgreSQL's; several rows are checked against the table first. */
async function insertPlain(host: SqlHost, layout: TableLayout, rows: readonly NewRow[]): Promise<number> {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.identity)) throw duplicateKeyError(layout, row.cells);
    seen.add(row.identity);
  }
  if (rows.length > 1) {
    const existing = await readKeys(host, layout, rows.map((row) => row.key));
    const clash = rows.find((row) => existing.has(row.identity));
    if (clash) throw duplicateKeyError(layout, clash.cells);
  }
  const inserted = await inChunks(rows, (row) => host.putIfAbsent(layout.name, row.key, layout.valueOf(row.cells)));
  const lost = rows.find((_, i) => !inserted[i]);
  if (lost) throw duplicateKeyError(layout, lost.cells);
  return rows.length;
}

/** ON CONFLICT DO UPDATE: existing rows read by key, updated with `excluded` as the proposed row; the rest inserted. */
async function upsert(host: SqlHost, layout: TableLayout, rows: readonly NewRow[], action: Extract<NonNullable<Insert['onConflict']>['action'], { kind: 'update' }>, run: ReadRunner): Promise<number> {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.identity)) throw new SqlError('ON CONFLICT DO UPDATE command cannot affect row a second time');
    seen.add(row.identity);
  }
  const sources = [
    { layout, name: layout.name, offset: 0 },
    { layout, name: 'excluded', offset: layout.width },
  ];
  const subquery = run.targets.subquery;
  const assignments = compileAssignments(layout, action.set, tableScope(sources, run.targets.params, 'ON CONFLICT DO UPDATE', subquery));
  if (assignments.some((assignment) => layout.keyPositions.includes(assignment.position))) {
    throw new SqlError('ON CONFLICT DO UPDATE cannot change primary key columns');
  }
  const where = action.where ? compilePredicate(action.where, tableScope(sources, run.targets.params, 'WHERE', subquery)).evaluate : undefined;
  const existing = await readKeys(host, layout, rows.map((row) => row.key));
  const updates: (readonly [Key, unknown])[] = [];
  const inserts: NewRow[] = [];
  for (const row of rows) {
    const old = existing.get(row.identity);
    if (!old) {
      inserts.push(row);
      continue;
    }
    const input = [...old, ...row.cells];
    if (where && where(input) !== true) continue;
    const cells = applyAssignments(layout, assignments, old, input);
    checkRow(layout, cells);
    updates.push([row.key, layout.valueOf(cells)]);
  }
  if (updates.length > 0) await host.put(layout.name, updates);
  const inserted = await inChunks(inserts, (row) => host.putIfAbsent(layout.name, row.key, layout.valueOf(row.cells)));
  if (inserted.some((done) => !done)) throw new SqlError(`a concurrent write inserted a conflicting row into "${layout.name}"; retry the statement`);
  return updates.length + inserts.length;
}
