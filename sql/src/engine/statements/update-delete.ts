import { type Key, SqlError } from '@shoal/client/protocol';
import type { Delete, Update } from '../../ast.js';
import type { SqlHost, SqlResult } from '../../sql-host.js';
import { lookupTable } from '../plan/sources.js';
import type { TableLayout } from '../table-layout.js';
import { applyAssignments, compileAssignments, tableScope } from './dml-scope.js';
import { inChunks } from './key-reads.js';
import { flatten, type ReadRunner } from './read-runner.js';
import { checkRow, duplicateKeyError, keyIdentity } from './row-values.js';

interface FetchedRow {
  readonly key: Key;
  readonly cells: readonly unknown[];
}

/** The rows the statement's WHERE keeps, read through the map phase (a point lookup when the key is pinned). */
async function fetchRows(run: ReadRunner): Promise<FetchedRow[]> {
  const plan = run.targets.plan(0);
  const entries = flatten(await run.outputs(plan, 0));
  return entries.map((entry) => {
    if (!Array.isArray(entry) || !Array.isArray(entry[1])) throw new SqlError('a map phase answered with a malformed output');
    return { key: entry[0] as Key, cells: entry[1] as unknown[] };
  });
}

/** UPDATE: new rows computed and checked for all matches before the first write. */
export async function executeUpdate(update: Update, run: ReadRunner, host: SqlHost): Promise<SqlResult> {
  const layout = lookupTable(host, update.table);
  const sources = [{ layout, name: layout.name, offset: 0 }];
  const assignments = compileAssignments(layout, update.set, tableScope(sources, run.targets.params, 'UPDATE', run.targets.subquery));
  const matched = await fetchRows(run);
  const changes = matched.map((row) => {
    const cells = applyAssignments(layout, assignments, row.cells, row.cells);
    const key = checkRow(layout, cells);
    return { old: row.key, key, cells, moved: keyIdentity(key) !== keyIdentity(row.key) };
  });
  const inPlace = changes.filter((change) => !change.moved);
  if (inPlace.length > 0) await host.put(layout.name, inPlace.map((change) => [change.old, layout.valueOf(change.cells)] as const));
  await moveRows(host, layout, changes.filter((change) => change.moved));
  return { command: 'UPDATE', columns: [], rows: [], rowCount: changes.length };
}

/** Rows whose primary key changed: the old entry removed, the new one inserted unless its key is taken. */
async function moveRows(host: SqlHost, layout: TableLayout, moves: readonly { old: Key; key: Key; cells: unknown[] }[]): Promise<void> {
  if (moves.length === 0) return;
  await host.remove(layout.name, moves.map((move) => move.old));
  const inserted = await inChunks(moves, (move) => host.putIfAbsent(layout.name, move.key, layout.valueOf(move.cells)));
  const clash = moves.find((_, i) => !inserted[i]);
  if (clash) throw duplicateKeyError(layout, clash.cells);
}

export async function executeDelete(statement: Delete, run: ReadRunner, host: SqlHost): Promise<SqlResult> {
  lookupTable(host, statement.table);
  const matched = await fetchRows(run);
  const removed = matched.length === 0 ? 0 : await host.remove(statement.table, matched.map((row) => row.key));
  return { command: 'DELETE', columns: [], rows: [], rowCount: removed };
}
