/**
 * A copy of a string that shares nothing with the text it was cut from: V8
 * keeps the whole parent of a slice (or a concatenation's parts) alive, so
 * a name kept for the life of the process must not be one (a schema text,
 * a table name cut from a record of megabytes).
 */
export function flatCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
