import { shoalInsert } from './ddl.js';
import type { Expr } from './expr.js';
import { sqliteInsert } from './load-world.js';
import { RenderContext, type Dialect, renderExpr } from './render-expr.js';
import { sqliteValue } from './sqlite-oracle.js';
import type { Row, TableSpec } from './world.js';

/** A generated change, applied to both engines in the same order. */
export type Dml =
  | { readonly k: 'update'; readonly table: TableSpec; readonly sets: readonly (readonly [string, Expr])[]; readonly where?: Expr }
  | { readonly k: 'delete'; readonly table: TableSpec; readonly where?: Expr }
  | { readonly k: 'insert'; readonly table: TableSpec; readonly rows: readonly Row[]; readonly conflict?: 'nothing' | { readonly update: readonly string[] } };

/** What PostgreSQL tags each statement with. */
export const commandOf = (d: Dml) => d.k.toUpperCase();

export interface DmlStatements {
  readonly shoal: { readonly text: string; readonly params: readonly unknown[] };
  readonly sqlite: { readonly text: string; readonly params: readonly unknown[] };
}

/** DO UPDATE takes the proposed value, or on alternate columns keeps the stored one where the proposed is NULL. */
function conflictTail(d: Extract<Dml, { k: 'insert' }>, step: number): string {
  if (d.conflict === undefined) return '';
  const target = `ON CONFLICT (${d.table.primaryKey.join(', ')})`;
  if (d.conflict === 'nothing') return `${target} DO NOTHING`;
  const value = (c: string, i: number) => ((step + i) % 2 === 0 ? `EXCLUDED.${c}` : `COALESCE(EXCLUDED.${c}, ${d.table.name}.${c})`);
  return `${target} DO UPDATE SET ${d.conflict.update.map((c, i) => `${c} = ${value(c, i)}`).join(', ')}`;
}

function renderChange(d: Exclude<Dml, { k: 'insert' }>, dialect: Dialect, placeholder: '$' | '?') {
  const ctx = new RenderContext(dialect, placeholder);
  // In the order of the text: `?` placeholders bind by position.
  const head = d.k === 'delete' ? `DELETE FROM ${d.table.name}` : `UPDATE ${d.table.name} SET ${d.sets.map(([c, e]) => `${c} = ${renderExpr(e, ctx)}`).join(', ')}`;
  const text = d.where ? `${head} WHERE ${renderExpr(d.where, ctx)}` : head;
  return { text, params: ctx.params.map((p) => (dialect === 'sqlite' ? sqliteValue(p.value, p.type) : p.value)) };
}

/** Both engines' text and parameters; `step` varies how Shoal's values are carried. */
export function renderDml(d: Dml, step: number): DmlStatements {
  if (d.k === 'insert') {
    const tail = conflictTail(d, step);
    // Odd steps leave out the column list (the rows carry every column in table order).
    const columnList = step % 2 === 0;
    return { shoal: shoalInsert(d.table, d.rows, (['literal', '$', '?'] as const)[step % 3]!, tail, columnList), sqlite: sqliteInsert(d.table, d.rows, tail, columnList) };
  }
  const placeholder = step % 2 === 0 ? '$' : '?';
  return { shoal: renderChange(d, 'pg', placeholder), sqlite: renderChange(d, 'sqlite', '?') };
}
