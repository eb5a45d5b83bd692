import { formatTimestamp } from './temporal.js';

/** A value as an error message quotes it: strings in single quotes, long ones cut. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${cut(value)}'`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `'${formatTimestamp(value)}'`;
  if (typeof value === 'object') return cut(JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)) ?? 'object');
  return String(value);
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
