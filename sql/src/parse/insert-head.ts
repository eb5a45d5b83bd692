import { SqlError } from '@shoal/client/protocol';
import { blank } from './edited-text.js';
import { runParser, type ParserOutcome } from './node-parser.js';
import { isNode, typeOf, type RawNode } from './raw-ast.js';

/**
 * Two INSERT forms node-sql-parser's PostgreSQL grammar lacks:
 *
 * - ON CONFLICT without a column list (`INSERT INTO t VALUES (...) ON
 *   CONFLICT (id) DO NOTHING`): its grammar takes ON CONFLICT only after
 *   one, and checks the list's length against every row. The text up to
 *   where the plain parse stopped (before ON CONFLICT) parses as an INSERT
 *   without it, and gives the rows' width; a marker list of that width,
 *   `("shoal_all_columns", ...)`, is put before VALUES, and the parser's
 *   output, with the marker as every column, is turned back into the
 *   no-list form (every column in table order).
 * - A target alias (`INSERT INTO t AS i ...`): blanked out, and put back
 *   into the parser's output where the grammar keeps aliases.
 *
 * Both edits are made only in the statement's head, which the pattern reads
 * from the very start and which holds nothing but the keywords, the table
 * name and the alias: a string, quoted name or comment cannot be edited
 * (one there stops the match, and the statement's error stands).
 */
const NAME = String.raw`(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)`;
const INSERT_HEAD = new RegExp(String.raw`^\s*insert\s+into\s+${NAME}(?:\s*\.\s*${NAME})?(?<alias>\s+as\s+(?<name>${NAME}))?(?<gap>\s*)(?=(?<next>\(|values\b))`, 'iu');

const MARKER_BASE = 'shoal_all_columns';

/** What a rescued parse gives: the statements, or where the grammar stopped (an offset in the text as written). */
export type InsertAttempt = { readonly kind: 'parsed'; readonly statements: readonly RawNode[] } | { readonly kind: 'syntax-error'; readonly offset: number };
type ParseFailure = Extract<ParserOutcome, { kind: 'syntax-error' }>;

interface Head {
  /** Where VALUES starts, when no column list comes before it. */
  readonly valuesAt?: number;
  /** The alias as the parser reports one (the bare name, quotes removed), and where it is written. */
  readonly alias?: { readonly name: string; readonly start: number; readonly end: number };
}

interface Marker {
  readonly at: number;
  readonly length: number;
  readonly name: string;
}

/**
 * Parses `text` again with its INSERT head edited, after `failed` (the
 * plain parse). Undefined when the head needs no edit or the edited parse
 * does not show the edit was right; a later syntax error of the edited text
 * is returned, as it got past the place the plain parse stopped.
 */
export function attemptInsertHead(text: string, failed: ParseFailure): InsertAttempt | undefined {
  const head = headOf(text);
  if (!head) return undefined;
  const unaliased = head.alias ? blank(text, head.alias.start, head.alias.end) : text;
  let outcome: ParserOutcome = head.alias ? runParser(unaliased) : failed;
  let marker: (Marker & { readonly text: string }) | undefined;
  if (outcome.kind === 'syntax-error' && head.valuesAt !== undefined) {
    const width = rowWidth(unaliased.slice(0, outcome.offset));
    if (width === undefined) return laterError(outcome, failed);
    marker = markerList(unaliased, head.valuesAt, width);
    outcome = runParser(marker.text);
  }
  if (outcome.kind === 'syntax-error') return laterError({ ...outcome, offset: originalOffset(marker, outcome.offset) }, failed);
  const statement = outcome.statements.length === 1 ? outcome.statements[0]! : undefined;
  if (!statement || typeOf(statement) !== 'insert' || !markerCameBack(statement, marker)) return undefined;
  return { kind: 'parsed', statements: [restored(statement, marker, head.alias?.name)] };
}

function laterError(outcome: { readonly offset: number }, failed: ParseFailure): InsertAttempt | undefined {
  return outcome.offset > failed.offset ? { kind: 'syntax-error', offset: outcome.offset } : undefined;
}

function headOf(text: string): Head | undefined {
  const match = INSERT_HEAD.exec(text);
  const groups = match?.groups;
  if (!match || !groups) return undefined;
  const end = match.index + match[0].length;
  const valuesAt = groups['next']!.toLowerCase() === 'values' ? end : undefined;
  const written = groups['alias'];
  if (written === undefined) return valuesAt === undefined ? undefined : { valuesAt };
  const start = end - groups['gap']!.length - written.length;
  const alias = { name: unquoted(groups['name']!), start, end: start + written.length };
  return valuesAt === undefined ? { alias } : { valuesAt, alias };
}

/**
 * The width of the VALUES rows in `prefix` (the statement up to where the
 * grammar stopped), read from the parser's own output; undefined when the
 * prefix is not an INSERT of rows without a column list.
 */
function rowWidth(prefix: string): number | undefined {
  const outcome = runParser(prefix);
  if (outcome.kind !== 'parsed' || outcome.statements.length !== 1) return undefined;
  const statement = outcome.statements[0]!;
  const values = statement.values;
  if (typeOf(statement) !== 'insert' || statement.columns !== null || !isNode(values) || typeOf(values) !== 'values') return undefined;
  const widths = new Set((Array.isArray(values.values) ? values.values : []).map((row: unknown) => (isNode(row) && Array.isArray(row.value) ? row.value.length : -1)));
  if (widths.size > 1) throw new SqlError('VALUES lists must all be the same length');
  const [width] = widths;
  return width === undefined || width < 1 ? undefined : width;
}

function markerList(text: string, at: number, width: number): Marker & { readonly text: string } {
  const name = markerName(text);
  const list = ` (${Array.from({ length: width }, () => `"${name}"`).join(', ')}) `;
  return { text: text.slice(0, at) + list + text.slice(at), at, length: list.length, name };
}

function unquoted(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

/** A column name the statement does not contain, so the marker cannot be one of the user's. */
function markerName(text: string): string {
  let name = MARKER_BASE;
  while (text.includes(name)) name += 'x';
  return name;
}

function originalOffset(marker: Marker | undefined, offset: number): number {
  if (!marker || offset < marker.at) return offset;
  return offset < marker.at + marker.length ? marker.at : offset - marker.length;
}

function markerCameBack(statement: RawNode, marker: Marker | undefined): boolean {
  if (!marker) return true;
  const columns = statement.columns;
  if (!Array.isArray(columns) || columns.length === 0) return false;
  return columns.every((column: unknown) => isNode(column) && column.type === 'double_quote_string' && column.value === marker.name);
}

/** The statement as the parser would give it had its grammar these forms: no column list, the alias on the target. */
function restored(statement: RawNode, marker: Marker | undefined, alias: string | undefined): RawNode {
  const withColumns = marker ? { ...statement, columns: null } : statement;
  if (alias === undefined) return withColumns;
  const tables = Array.isArray(statement.table) ? statement.table : [];
  const aliased = tables.map((table: unknown) => (isNode(table) ? { ...table, as: alias } : table));
  return { ...withColumns, table: aliased };
}
