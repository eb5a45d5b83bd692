import { SqlError } from '@shoal/client/protocol';
import { blank } from './edited-text.js';

/**
 * node-sql-parser has no EXPLAIN in PostgreSQL mode. A statement that starts
 * with the word EXPLAIN can be nothing else (no other statement begins with
 * it, and a string or quoted name cannot come first), so the keyword is
 * blanked out, keeping every offset for error messages, and the rest parsed.
 */
const EXPLAIN_PREFIX = /^\s*explain(?=\s)/i;
/** PostgreSQL's EXPLAIN options; Shoal's EXPLAIN only shows the plan. */
const EXPLAIN_OPTION = /^\s*(analyze|analyse|verbose)\b/i;

export interface ExplainSplit {
  readonly text: string;
  readonly explain: boolean;
}

export function splitExplain(text: string): ExplainSplit {
  const match = EXPLAIN_PREFIX.exec(text);
  if (!match) return { text, explain: false };
  const rest = text.slice(match[0].length);
  const option = EXPLAIN_OPTION.exec(rest);
  if (option) throw new SqlError(`EXPLAIN ${option[1]!.toUpperCase()} is not supported: EXPLAIN shows the plan without running the statement`);
  return { text: blank(text, 0, match[0].length), explain: true };
}
