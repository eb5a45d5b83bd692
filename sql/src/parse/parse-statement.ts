import { SqlError } from '@shoal/client/protocol';
import type { ParsedStatement, Statement } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { convertSelect } from './convert-select.js';
import { convertStatement } from './convert-statement.js';
import { originalOffset, unedited, type EditedText } from './edited-text.js';
import { splitExplain } from './explain-prefix.js';
import { Identifiers } from './identifiers.js';
import { runParser, type ParserOutcome } from './node-parser.js';
import { Params } from './params.js';
import { markersStandAlone, rewritePlaceholders } from './placeholders.js';
import type { RawNode } from './raw-ast.js';
import { syntaxError } from './syntax-error.js';
import { findTrailingWith, parseTableOptions, type TableOptions } from './table-options.js';

/**
 * Parses one SQL statement (PostgreSQL dialect) into Shoal's AST.
 * node-sql-parser does the parsing; three forms its PostgreSQL grammar lacks
 * are handled around it: a leading EXPLAIN, `?` placeholders, and CREATE
 * TABLE's trailing WITH (...) options. Every failure is a SqlError; syntax
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
  readonly options?: TableOptions;
}

/** The parser's output for `text`, with the `?` and WITH rewrites applied only when the plain parse fails. */
function parseAround(text: string, original: string): Parsed {
  let edited: EditedText = unedited(text);
  let markers: ReadonlyMap<string, number> = new Map();
  let outcome: ParserOutcome = runParser(text);
  if (outcome.kind === 'syntax-error' && text.includes('?')) {
    ({ edited, markers, outcome } = rewritePlaceholders(text));
  }
  if (outcome.kind === 'parsed') return checked({ statements: outcome.statements, markers });
  const failure = outcome.offset;
  const clause = findTrailingWith(edited.text);
  if (!clause) throw syntaxError(original, originalOffset(edited, failure));
  const retry = runParser(clause.text);
  if (retry.kind === 'parsed') {
    const options = parseTableOptions(clause, (offset) => syntaxError(original, originalOffset(edited, offset)));
    return checked({ statements: retry.statements, markers, options });
  }
  // An error before the clause is the statement's own; one inside it means the blanking did not help.
  const offset = retry.offset < clause.start ? retry.offset : failure;
  throw syntaxError(original, originalOffset(edited, offset));
}

function checked(parsed: Parsed): Parsed {
  if (!markersStandAlone(parsed.statements, parsed.markers)) throw new SqlError('could not place the ? parameters in this statement: use $1, $2, ...');
  return parsed;
}

function withOptions(statement: Statement, options: TableOptions): Statement {
  if (statement.kind !== 'create-table') throw new SqlError('WITH (...) options belong to CREATE TABLE');
  return { ...statement, options };
}

function explained(statement: Statement): Statement {
  const kind = statement.kind;
  if (kind === 'select' || kind === 'insert' || kind === 'update' || kind === 'delete') return { kind: 'explain', statement };
  throw new SqlError(`EXPLAIN of ${kind.replace('-', ' ').toUpperCase()} is not supported: EXPLAIN shows the plan of SELECT, INSERT, UPDATE and DELETE`);
}
