import { SqlError } from '@shoal/client/protocol';
// The PostgreSQL-only build: a tenth of the all-dialects bundle, and only a default export at run time.
import postgres from 'node-sql-parser/build/postgresql.js';
import { isNode, type RawNode } from './raw-ast.js';

/** What one run of the parser gave: the statements, or where the grammar stopped. */
export type ParserOutcome =
  | { readonly kind: 'parsed'; readonly statements: readonly RawNode[] }
  | { readonly kind: 'syntax-error'; readonly offset: number; readonly found: string | null };

const parser = new postgres.Parser();
// Untrimmed: with its default trimming, the parser reports offsets into the trimmed text.
const options = { database: 'postgresql', trimQuery: false } as const;

interface PegSyntaxError {
  readonly name: 'SyntaxError';
  readonly found: string | null;
  readonly location: { readonly start: { readonly offset: number } };
}

function isPegSyntaxError(err: unknown): err is PegSyntaxError {
  if (!isNode(err) && !(err instanceof Error)) return false;
  const candidate = err as { name?: unknown; location?: { start?: { offset?: unknown } } };
  return candidate.name === 'SyntaxError' && typeof candidate.location?.start?.offset === 'number';
}

/**
 * Runs node-sql-parser in PostgreSQL mode. A grammar failure comes back as
 * an outcome (the adapter may retry with the text rewritten); anything else
 * the parser throws (a bug in its actions, a stack overflow on deep nesting)
 * becomes a SqlError here, so no other error type leaves the adapter.
 */
export function runParser(text: string): ParserOutcome {
  let result: unknown;
  try {
    result = parser.astify(text, options);
  } catch (err) {
    if (isPegSyntaxError(err)) return { kind: 'syntax-error', offset: err.location.start.offset, found: err.found };
    const message = err instanceof Error ? err.message : String(err);
    const reason = err instanceof RangeError ? 'the statement is nested too deeply' : message.replace(/^Error: /, '');
    throw new SqlError(`could not parse the statement: ${reason}`, { cause: err });
  }
  const statements = (Array.isArray(result) ? result : [result]).filter(isNode);
  return { kind: 'parsed', statements };
}
