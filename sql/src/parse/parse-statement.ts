import { SqlError } from '@shoal/client/protocol';
import type { ParsedStatement, Statement } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { convertSelect } from './convert-select.js';
import { convertStatement } from './convert-statement.js';
import { originalOffset, unedited } from './edited-text.js';
import { splitExplain } from './explain-prefix.js';
import { Identifiers } from './identifiers.js';
import { runParser } from './node-parser.js';
import { Params } from './params.js';
import { resolvePlaceholders, type MarkedText } from './placeholders.js';
import type { RawNode } from './raw-ast.js';
import { syntaxError } from './syntax-error.js';
import { attemptInsertHead } from './insert-head.js';
import { findTrailingWith, parseTableOptions, type TableOptions, type TrailingWith } from './table-options.js';

/**
 * Parses one SQL statement (PostgreSQL dialect) into Shoal's AST.
 * node-sql-parser does the parsing; forms its PostgreSQL grammar lacks are
 * handled around it: a leading EXPLAIN, `?` placeholders, CREATE TABLE's
 * trailing WITH (...) options, and INSERT's ON CONFLICT without a column
 * list and target alias. Every failure is a SqlError; syntax
 * errors name the line and column in `text` and quote the text around it.
 */
export function parseStatement(text: string): ParsedStatement {
  if (typeof text !== 'string') throw new SqlError('the SQL statement must be a string');
  const { text: body, explain } = splitExplain(text);
  const parsed = parseAround(body, text);
  if (parsed.statements.length === 0) throw new SqlError(explain ? 'EXPLAIN needs a statement to explain' : 'empty statement');
  if (parsed.statements.length > 1) throw new SqlError('multiple statements are not supported: send one statement at a time');
  const params = new Params(parsed.markers);
  const ctx: ConvertContext = {
    ids: new Identifiers(text),
    params,
    source: text,
    subquery: (raw) => convertSelect(raw, ctx),
  };
  let statement = convertStatement(parsed.statements[0]!, ctx);
  if (parsed.options) statement = withOptions(statement, parsed.options);
  if (explain) statement = explained(statement);
  return { statement, parameterCount: params.count() };
}

interface Parsed {
  readonly statements: readonly RawNode[];
  readonly markers: ReadonlyMap<string, number>;
  /** Reads the trailing WITH clause, once the statement is known to be CREATE TABLE. */
  readonly options?: () => TableOptions;
}

/** One parse of a candidate text, with the trailing WITH rescue when the plain parse fails there. */
type WithAttempt =
  | { readonly kind: 'parsed'; readonly statements: readonly RawNode[]; readonly clause?: TrailingWith }
  | { readonly kind: 'syntax-error'; readonly offset: number };

/** The parser's output for `text`, rewriting `?` placeholders only when the plain parse fails and the text has some. */
function parseAround(text: string, original: string): Parsed {
  const plain = attemptWithOptions(text);
  if (plain.kind === 'parsed' || !text.includes('?')) return settled(plain, { edited: unedited(text), markers: new Map() }, original);
  const { marked, result } = resolvePlaceholders(text, attemptWithOptions);
  return settled(result, marked, original);
}

function settled(attempt: WithAttempt, marked: MarkedText, original: string): Parsed {
  const { edited, markers } = marked;
  if (attempt.kind === 'syntax-error') throw syntaxError(original, originalOffset(edited, attempt.offset));
  const clause = attempt.clause;
  if (clause === undefined) return { statements: attempt.statements, markers };
  const options = () => parseTableOptions(clause, (offset) => syntaxError(original, originalOffset(edited, offset)));
  return { statements: attempt.statements, markers, options };
}

/**
 * Parses `text`; when that fails, tries the INSERT head rescue (see
 * insert-head.ts), then, when the text ends in a WITH clause, parses it
 * again with the clause blanked out. An error before the clause is the
 * statement's own; one inside it means blanking did not help, and the first
 * error stands.
 */
function attemptWithOptions(text: string): WithAttempt {
  const outcome = runParser(text);
  if (outcome.kind === 'parsed') return outcome;
  const insert = attemptInsertHead(text, outcome);
  if (insert) return insert;
  const clause = findTrailingWith(text);
  if (!clause) return outcome;
  const retry = runParser(clause.text);
  if (retry.kind === 'parsed') return { ...retry, clause };
  return retry.offset < clause.start ? retry : outcome;
}

function withOptions(statement: Statement, options: () => TableOptions): Statement {
  if (statement.kind !== 'create-table') throw new SqlError('WITH (...) options belong to CREATE TABLE');
  return { ...statement, options: options() };
}

function explained(statement: Statement): Statement {
  const kind = statement.kind;
  if (kind === 'select' || kind === 'insert' || kind === 'update' || kind === 'delete') return { kind: 'explain', statement };
  throw new SqlError(`EXPLAIN of ${kind.replace('-', ' ').toUpperCase()} is not supported: EXPLAIN shows the plan of SELECT, INSERT, UPDATE and DELETE`);
}
