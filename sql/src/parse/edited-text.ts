/**
 * A statement's text as rewritten for the parser, remembering how to map an
 * offset in the rewritten text back to the text the user wrote, so that a
 * syntax error points at the user's own line and column.
 */
export interface EditedText {
  readonly text: string;
  /** Replacements made, in text order: where (in `text`), how long now, how long it was. */
  readonly edits: readonly TextEdit[];
}

export interface TextEdit {
  readonly at: number;
  readonly length: number;
  readonly originalLength: number;
}

export function unedited(text: string): EditedText {
  return { text, edits: [] };
}

/**
 * Replaces `[start, end)` of the text with spaces, keeping line breaks:
 * every later offset, line and column stays where it was.
 */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

/** Replaces `length` characters at `at` (an offset in `edited.text`) with `replacement`. */
export function replaceAt(edited: EditedText, at: number, length: number, replacement: string): EditedText {
  const text = edited.text.slice(0, at) + replacement + edited.text.slice(at + length);
  const shift = replacement.length - length;
  const moved = edited.edits.map((e) => (e.at > at ? { ...e, at: e.at + shift } : e));
  const edits = [...moved, { at, length: replacement.length, originalLength: length }].sort((a, b) => a.at - b.at);
  return { text, edits };
}

/** The offset in the original text of `offset` in the edited text (an offset inside a replacement maps to its start). */
export function originalOffset(edited: EditedText, offset: number): number {
  let shift = 0;
  for (const edit of edited.edits) {
    if (offset < edit.at) break;
    if (offset < edit.at + edit.length) return edit.at - shift;
    shift += edit.length - edit.originalLength;
  }
  return offset - shift;
}
