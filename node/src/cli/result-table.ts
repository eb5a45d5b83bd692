/** What one SQL statement answered, as `grid.sql` returns it. */
export interface StatementResult {
  readonly command: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly rowCount: number;
}

/** Commands whose tag carries the number of rows written, as psql prints them ("UPDATE 3"). */
const COUNTED_COMMANDS: ReadonlySet<string> = new Set(['INSERT', 'UPDATE', 'DELETE']);

/** How a NULL shows: visible, so that it is not mistaken for an empty string. */
export const NULL_TEXT = 'NULL';

/**
 * A statement's result the way psql shows it: a table with a centred header,
 * a `-+-` rule, values aligned (numbers right, the rest left) and `(N rows)`;
 * or, for a statement that returns no columns, its command tag with the row
 * count where one applies (`INSERT 3`, `CREATE TABLE`).
 */
export function formatResult(result: StatementResult): string {
  if (result.columns.length === 0) {
    return COUNTED_COMMANDS.has(result.command) ? `${result.command} ${result.rowCount}\n` : `${result.command}\n`;
  }
  const cells = result.rows.map((row) => result.columns.map((_, i) => formatValue(row[i])));
  const rightAligned = result.columns.map((_, i) => alignsRight(result.rows.map((row) => row[i])));
  const widths = result.columns.map((column, i) => Math.max(width(column), ...cells.map((row) => width(row[i]!))));
  const line = (values: readonly string[], align: (i: number) => 'left' | 'right' | 'center') =>
    ` ${values.map((value, i) => pad(value, widths[i]!, align(i))).join(' | ')}`.trimEnd();
  const lines = [
    line(result.columns, () => 'center'),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...cells.map((row) => line(row, (i) => (rightAligned[i] ? 'right' : 'left'))),
    `(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * One value as text: NULL visibly, timestamps in ISO 8601, big integers in
 * full, bytes as PostgreSQL's hex (`\x0a1b`), objects as JSON; control
 * characters escaped so that every row stays on one line.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'string') return escapeControl(value);
  if (typeof value === 'object') return escapeControl(JSON.stringify(value, jsonReplacer));
  return String(value);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return value;
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => ESCAPES[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** A column of numbers (NULLs allowed) aligns right, as psql aligns numeric columns. */
function alignsRight(values: readonly unknown[]): boolean {
  const isNumber = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';
  return values.some(isNumber) && values.every((v) => isNumber(v) || v === null || v === undefined);
}

/** Columns of text as a terminal shows them: code points, not UTF-16 units. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right' | 'center'): string {
  const room = size - width(text);
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'left') return text + ' '.repeat(room);
  const before = Math.floor(room / 2);
  return ' '.repeat(before) + text + ' '.repeat(room - before);
}
