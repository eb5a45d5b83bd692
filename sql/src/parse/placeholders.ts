import { SqlError } from '@shoal/client/protocol';
import { replaceAt, unedited, type EditedText } from './edited-text.js';
import { runParser, type ParserOutcome } from './node-parser.js';
import { isNode, type RawNode } from './raw-ast.js';

/**
 * `?` placeholders, which node-sql-parser's PostgreSQL grammar rejects, are
 * rewritten to named parameters (` $shoalq0 `, which the grammar reads as a
 * variable) — only where the parser itself shows a placeholder stands:
 *
 * 1. Optimistically every `?` is rewritten, and the result kept only if the
 *    parse succeeds and each marker comes back as a parameter node exactly
 *    once. A `?` inside a string, quoted name or comment would come back
 *    inside that token instead (or not at all), so the check fails.
 * 2. Otherwise, one at a time: the grammar stops exactly at a placeholder
 *    `?` (it can be nothing else there), that one is rewritten and the parse
 *    retried, until it succeeds or stops at anything other than a `?`.
 *
 * Markers carry spaces on both sides so they never fuse with a neighbouring
 * word, and a prefix the text does not contain, so they never collide.
 */
export interface Placeholders {
  readonly edited: EditedText;
  /** Marker name → 0-based index of its `?` in the order they appear. */
  readonly markers: ReadonlyMap<string, number>;
  readonly outcome: ParserOutcome;
}

export function rewritePlaceholders(text: string): Placeholders {
  const prefix = markerPrefix(text);
  const optimistic = rewriteAll(text, prefix);
  const outcome = runParser(optimistic.text);
  if (outcome.kind === 'parsed') {
    const markers = markersOf(optimistic, prefix);
    if (markersStandAlone(outcome.statements, markers)) return { edited: optimistic, markers, outcome };
  }
  return rewriteOneByOne(text, prefix);
}

/** Whether every marker appears as a parameter node exactly once. */
export function markersStandAlone(statements: readonly RawNode[], markers: ReadonlyMap<string, number>): boolean {
  const seen = new Map<string, number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isNode(value)) {
      if (value.type === 'var' && value.prefix === '$' && typeof value.name === 'string') seen.set(value.name, (seen.get(value.name) ?? 0) + 1);
      Object.values(value).forEach(visit);
    }
  };
  statements.forEach(visit);
  return [...markers.keys()].every((name) => seen.get(name) === 1);
}

function markerPrefix(text: string): string {
  const lower = text.toLowerCase();
  let prefix = 'shoalq';
  while (lower.includes(`$${prefix}`)) prefix += 'x';
  return prefix;
}

const marker = (prefix: string, n: number) => ` $${prefix}${n} `;

function rewriteAll(text: string, prefix: string): EditedText {
  let edited = unedited(text);
  let n = 0;
  for (let at = edited.text.indexOf('?'); at >= 0; at = edited.text.indexOf('?', at + 1)) {
    const replacement = marker(prefix, n++);
    edited = replaceAt(edited, at, 1, replacement);
    at += replacement.length - 1;
  }
  return edited;
}

function rewriteOneByOne(text: string, prefix: string): Placeholders {
  let edited = unedited(text);
  let outcome = runParser(text);
  for (let n = 0; outcome.kind === 'syntax-error' && edited.text[outcome.offset] === '?'; n++) {
    edited = replaceAt(edited, outcome.offset, 1, marker(prefix, n));
    outcome = runParser(edited.text);
  }
  return { edited, markers: markersOf(edited, prefix), outcome };
}

/** Each marker's index: the rank of its `?` in the text (edits are kept in text order). */
function markersOf(edited: EditedText, prefix: string): ReadonlyMap<string, number> {
  const markers = new Map<string, number>();
  for (const edit of edited.edits) {
    const name = edited.text.slice(edit.at, edit.at + edit.length).trim().slice(1);
    if (!name.startsWith(prefix)) throw new SqlError('internal error: placeholder rewrite lost its marker');
    markers.set(name, markers.size);
  }
  return markers;
}
