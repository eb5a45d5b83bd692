import { replaceAt, unedited, type EditedText } from './edited-text.js';
import { isNode, type RawNode } from './raw-ast.js';

/**
 * `?` placeholders, which node-sql-parser's PostgreSQL grammar rejects, are
 * rewritten to named parameters (` $shoalq0 `, which the grammar reads as a
 * variable) — and kept only where the parser itself shows a placeholder
 * stands. Every `?` is rewritten and the text parsed, then:
 *
 * - a marker that does not come back as a parameter node was inside a
 *   string, quoted name or comment: its `?` is put back;
 * - a parse that fails right at a marker (the parser's dollar-quoted
 *   strings do not take a `$` inside) puts that `?` back too;
 *
 * and the text is parsed again, until every marker left is a parameter (one
 * or two parses in practice, whatever the number of placeholders). A failure
 * anywhere else is the statement's own syntax error, and a `?` the grammar
 * cannot place stays one, as in PostgreSQL.
 *
 * Markers carry spaces on both sides so they never fuse with a neighbouring
 * word, and a prefix the text does not contain, so they never collide.
 */
export interface MarkedText {
  readonly edited: EditedText;
  /** Marker name → 0-based index of its `?` among the rewritten ones, in text order. */
  readonly markers: ReadonlyMap<string, number>;
}

/** What parsing a candidate text gave. */
export type Attempt = { readonly kind: 'parsed'; readonly statements: readonly RawNode[] } | { readonly kind: 'syntax-error'; readonly offset: number };

/** Rewrites `?` placeholders and settles which of them are real, as described above. */
export function resolvePlaceholders<A extends Attempt>(text: string, attempt: (text: string) => A): { readonly marked: MarkedText; readonly result: A } {
  const prefix = markerPrefix(text);
  let positions = questionMarks(text);
  for (;;) {
    const marked = markAt(text, positions, prefix);
    const result = attempt(marked.edited.text);
    const stray = result.kind === 'parsed' ? strayMarkers(result.statements, marked.markers) : markerAt(marked.edited, result.offset);
    if (stray.size === 0) return { marked, result };
    positions = positions.filter((_, i) => !stray.has(i));
  }
}

function questionMarks(text: string): number[] {
  const positions: number[] = [];
  for (let at = text.indexOf('?'); at >= 0; at = text.indexOf('?', at + 1)) positions.push(at);
  return positions;
}

function markerPrefix(text: string): string {
  const lower = text.toLowerCase();
  let prefix = 'shoalq';
  while (lower.includes(`$${prefix}`)) prefix += 'x';
  return prefix;
}

/** Rewrites the `?` at each of `positions` (ascending offsets in `text`). */
function markAt(text: string, positions: readonly number[], prefix: string): MarkedText {
  let edited = unedited(text);
  const markers = new Map<string, number>();
  let shift = 0;
  positions.forEach((position, i) => {
    const name = `${prefix}${i}`;
    const marker = ` $${name} `;
    edited = replaceAt(edited, position + shift, 1, marker);
    shift += marker.length - 1;
    markers.set(name, i);
  });
  return { edited, markers };
}

/** The index of the marker covering `offset`, if one does (edits are the markers, in order). */
function markerAt(edited: EditedText, offset: number): ReadonlySet<number> {
  const index = edited.edits.findIndex((edit) => offset >= edit.at && offset < edit.at + edit.length);
  return new Set(index < 0 ? [] : [index]);
}

/** Indexes of the markers that did not come back as a parameter node exactly once. */
function strayMarkers(statements: readonly RawNode[], markers: ReadonlyMap<string, number>): ReadonlySet<number> {
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
  return new Set([...markers].filter(([name]) => seen.get(name) !== 1).map(([, index]) => index));
}
