import { SqlError } from '@shoal/client/protocol';
import type { CreateTable } from '../ast.js';
import { blank } from './edited-text.js';
import { runParser } from './node-parser.js';
import { firstUnhandled, isNode, listAt, nodeAt, typeOf } from './raw-ast.js';

export type TableOptions = CreateTable['options'];

/**
 * A trailing `WITH (mode = 'replicated', backups = 2)` (PostgreSQL's storage
 * parameters form) or `WITH "mode=partitioned,backups=1"` (the design's
 * form) after CREATE TABLE's column list, which node-sql-parser's PostgreSQL
 * grammar does not accept. Anchored at the end of the statement.
 */
const TRAILING_WITH = /\bwith\s*(?:\(([^()]*)\)|"((?:[^"]|"")*)")\s*;?\s*$/i;

export interface TrailingWith {
  /** The statement with the clause blanked out (offsets unchanged). */
  readonly text: string;
  /** Where the clause starts, in the text. */
  readonly start: number;
  /** The option list inside the parentheses or quotes, and where it starts. */
  readonly body: string;
  readonly bodyStart: number;
}

/**
 * Finds the clause. The caller keeps the result only if the blanked text then
 * parses: were the match inside a string, quoted name or block comment, that
 * token's closing quote would lie in the blanked tail (the match runs to the
 * end of the text), leaving it unterminated and the parse failing; inside a
 * line comment, blanking changes nothing the parser reads, so a statement
 * that failed before fails again.
 */
export function findTrailingWith(text: string): TrailingWith | undefined {
  const match = TRAILING_WITH.exec(text);
  if (!match) return undefined;
  const quoted = match[1] === undefined;
  const body = quoted ? match[2]!.replaceAll('""', '"') : match[1]!;
  const opener = match[0].indexOf(quoted ? '"' : '(');
  return { text: blank(text, match.index, text.length), start: match.index, body, bodyStart: match.index + opener + 1 };
}

const SELECT_PREFIX = 'select ';
const SELECT_LIST_ONLY: ReadonlySet<string> = new Set(['type', 'columns']);

/**
 * Reads the option list with the parser itself, as the select list
 * `select mode = 'replicated', backups = 2`: each item must be
 * `name = value` with a string, number or bare word as the value.
 * `syntaxErrorAt` reports an offset of the clause's text.
 */
export function parseTableOptions(clause: TrailingWith, syntaxErrorAt: (offset: number) => SqlError): TableOptions {
  const outcome = runParser(SELECT_PREFIX + clause.body);
  if (outcome.kind === 'syntax-error') throw syntaxErrorAt(clause.bodyStart + Math.max(0, outcome.offset - SELECT_PREFIX.length));
  const select = outcome.statements.length === 1 ? outcome.statements[0]! : undefined;
  if (!select || typeOf(select) !== 'select' || firstUnhandled(select, SELECT_LIST_ONLY) !== undefined) throw badOptions(clause.body);
  const options: { mode?: 'partitioned' | 'replicated'; backups?: number } = {};
  const seen = new Set<string>();
  for (const item of listAt(select, 'columns')) {
    const [name, value] = optionItem(item, clause.body);
    if (seen.has(name)) throw new SqlError(`parameter "${name}" specified more than once`);
    seen.add(name);
    applyOption(options, name, value);
  }
  return options;
}

function optionItem(item: unknown, body: string): readonly [string, string | number] {
  const expr = isNode(item) ? nodeAt(item, 'expr') : undefined;
  if (!expr || typeOf(expr) !== 'binary_expr' || expr.operator !== '=' || (isNode(item) && item.as)) throw badOptions(body);
  const name = bareWord(expr.left);
  const value = optionValue(expr.right);
  if (name === undefined || value === undefined) throw badOptions(body);
  return [name.toLowerCase(), value];
}

/** An unqualified column reference read as a word: option names and bare-word values. */
function bareWord(node: unknown): string | undefined {
  if (!isNode(node) || typeOf(node) !== 'column_ref' || node.table !== null) return undefined;
  const column = node.column;
  if (typeof column === 'string') return column;
  const inner = isNode(column) ? nodeAt(column, 'expr') : undefined;
  return inner && typeof inner.value === 'string' ? inner.value : undefined;
}

function optionValue(node: unknown): string | number | undefined {
  if (!isNode(node)) return undefined;
  const type = typeOf(node);
  if (type === 'single_quote_string' && typeof node.value === 'string') return node.value.replaceAll("''", "'");
  if ((type === 'number' || type === 'bigint') && node.value !== null) return Number(node.value);
  return bareWord(node);
}

type OptionSetter = (options: { mode?: 'partitioned' | 'replicated'; backups?: number }, value: string | number) => void;

const MODES = ['partitioned', 'replicated'] as const;

const setters: Readonly<Record<string, OptionSetter>> = {
  mode: (options, value) => {
    const mode = MODES.find((m) => typeof value === 'string' && m === value.toLowerCase());
    if (mode === undefined) throw new SqlError(`invalid value for parameter "mode": "${value}" (expected 'partitioned' or 'replicated')`);
    options.mode = mode;
  },
  backups: (options, value) => {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new SqlError(`invalid value for parameter "backups": "${value}" (expected a whole number >= 0)`);
    options.backups = n;
  },
};

function applyOption(options: { mode?: 'partitioned' | 'replicated'; backups?: number }, name: string, value: string | number): void {
  const setter = setters[name];
  if (!setter) throw new SqlError(`unrecognized parameter "${name}" in WITH (...): Shoal tables take mode and backups`);
  setter(options, value);
}

function badOptions(body: string): SqlError {
  return new SqlError(`invalid WITH options "${body.trim()}": expected name = value pairs, e.g. WITH (mode = 'replicated', backups = 2)`);
}
