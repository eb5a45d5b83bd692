import { SqlError } from '@shoal/client/protocol';

/** Characters of context shown on each side of the error position. */
const EXCERPT_RADIUS = 24;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of `offset` in `text`, counting \r\n, \n and \r as one break each. */
export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g) ?? [];
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line: breaks.length + 1, column: offset - lastBreak };
}

/** The text around `offset` on one line, with `⟨here⟩` marking the position. */
export function excerptAt(text: string, offset: number): string {
  const start = Math.max(0, offset - EXCERPT_RADIUS);
  const end = Math.min(text.length, offset + EXCERPT_RADIUS);
  const oneLine = (s: string) => s.replace(/\s+/g, ' ');
  const head = (start > 0 ? '…' : '') + oneLine(text.slice(start, offset));
  const tail = oneLine(text.slice(offset, end)) + (end < text.length ? '…' : '');
  return `${head}⟨here⟩${tail}`;
}

/**
 * A syntax error as PostgreSQL words it ("syntax error at or near ..."),
 * with the line and column in the text the user wrote and an excerpt.
 */
export function syntaxError(text: string, offset: number): SqlError {
  const { line, column } = positionOf(text, offset);
  const near = nearToken(text, offset);
  const where = near === undefined ? 'at end of input' : `at or near "${near}"`;
  return new SqlError(`syntax error ${where} (line ${line}, column ${column}): ${excerptAt(text, offset)}`);
}

/** The word or symbol starting at `offset`, for the message; undefined at the end of the text. */
function nearToken(text: string, offset: number): string | undefined {
  const rest = text.slice(offset).trimStart();
  if (rest === '') return undefined;
  const word = /^[\p{L}\p{N}_$]+/u.exec(rest);
  return word ? word[0] : rest[0];
}
