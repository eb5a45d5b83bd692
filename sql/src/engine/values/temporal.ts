/**
 * DATE is "YYYY-MM-DD" text and TIMESTAMP a JS Date (UTC, as a timestamp
 * without time zone is read). Stored rows may hold ISO strings instead of
 * Dates (the CDC ingester writes JSON), so reading accepts both.
 */

const DATE_PREFIX = /^\s*(\d{4})-(\d{2})-(\d{2})/;
const TIMESTAMP_TEXT = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/** The date part of a date or timestamp text, when it is a real calendar date. */
export function parseDate(text: string): string | undefined {
  const match = DATE_PREFIX.exec(text);
  if (!match || !TIMESTAMP_TEXT.test(text)) return undefined;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return `${year}-${month}-${day}`;
}

export function parseTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match || parseDate(text) === undefined) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match;
  const millis = fraction === '' ? '' : `.${fraction.slice(1, 4).padEnd(3, '0')}`;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zone);
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function normalizeOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4).padEnd(2, '0')}`;
}

/** PostgreSQL's text form of a timestamp without time zone: "2024-01-02 03:04:05.678". */
export function formatTimestamp(date: Date): string {
  const iso = date.toISOString();
  const millis = iso.slice(20, 23);
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return millis === '000' ? base : `${base}.${millis.replace(/0+$/, '')}`;
}

/** Midnight UTC of a DATE, to compare it with a TIMESTAMP. */
export function dateToTimestamp(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
