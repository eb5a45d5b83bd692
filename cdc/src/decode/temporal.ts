import { undecodable } from './decode-error.js';

/**
 * Dates and times as ISO-8601 strings with every digit the source sent.
 * A JS Date holds milliseconds, so MicroTimestamp and NanoTimestamp would lose
 * digits through it; strings keep them, sort like the instants they name
 * (within one precision), travel through msgpack and JSON unchanged, and
 * `new Date(s)` still reads them (the trailing `Z` keeps it from guessing a
 * local zone).
 */

/** `YYYY-MM-DD` (SQL DATE). */
export type DateString = string;
/** `HH:MM:SS.fff`, with 3, 6 or 9 fraction digits by precision; may be negative or past 24h (MySQL TIME). */
export type TimeString = string;
/** `YYYY-MM-DDTHH:MM:SS.fffZ`, with 3, 6 or 9 fraction digits by precision, or `infinity` / `-infinity`. */
export type TimestampString = string;

export const TimeUnit = {
  Millis: { perSecond: 1_000n, digits: 3 },
  Micros: { perSecond: 1_000_000n, digits: 6 },
  Nanos: { perSecond: 1_000_000_000n, digits: 9 },
} as const;
export type TimeUnit = (typeof TimeUnit)[keyof typeof TimeUnit];

const msPerDay = 86_400_000;
// The range of a JS Date: ±100,000,000 days around the epoch.
const maxAbsEpochMs = 8_640_000_000_000_000n;
// Debezium writes PostgreSQL's 'infinity' and '-infinity' timestamps as Long.MAX_VALUE and Long.MIN_VALUE.
const longMax = 2n ** 63n - 1n;
const longMin = -(2n ** 63n);
const zonedTimestamp = /^[+-]?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/;

/** Days since 1970-01-01 (io.debezium.time.Date, Kafka Connect Date) as `YYYY-MM-DD`. */
export function formatEpochDay(days: number, path: string): DateString {
  const ms = BigInt(days) * BigInt(msPerDay);
  if (ms > maxAbsEpochMs || ms < -maxAbsEpochMs) return undecodable(path, `date ${days} days from the epoch is out of range`);
  const iso = new Date(Number(ms)).toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/** A count of `unit` since 1970-01-01T00:00:00Z as an ISO-8601 UTC instant with the unit's digits. */
export function formatEpochInstant(value: bigint, unit: TimeUnit, path: string): TimestampString {
  if (value === longMax) return 'infinity';
  if (value === longMin) return '-infinity';
  const perMs = unit.perSecond / 1_000n;
  const ms = floorDiv(value, perMs);
  if (ms > maxAbsEpochMs || ms < -maxAbsEpochMs) return undecodable(path, `timestamp ${value} is out of range`);
  const subMs = (value - ms * perMs).toString().padStart(unit.digits - 3, '0');
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${unit.digits > 3 ? subMs : ''}Z`;
}

/**
 * A count of `unit` since midnight (Time, MicroTime, NanoTime) as `HH:MM:SS.f…`.
 * Not wrapped at 24h: MySQL TIME spans -838:59:59 to 838:59:59, and
 * PostgreSQL allows 24:00:00.
 */
export function formatTimeOfDay(value: bigint, unit: TimeUnit): TimeString {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const seconds = abs / unit.perSecond;
  const fraction = (abs % unit.perSecond).toString().padStart(unit.digits, '0');
  const hh = (seconds / 3600n).toString().padStart(2, '0');
  const mm = ((seconds / 60n) % 60n).toString().padStart(2, '0');
  const ss = (seconds % 60n).toString().padStart(2, '0');
  return `${sign}${hh}:${mm}:${ss}.${fraction}`;
}

/**
 * io.debezium.time.ZonedTimestamp: already ISO-8601 with an offset. Kept as
 * sent, offset included (Oracle keeps the column's own zone), once it looks
 * like one.
 */
export function checkZonedTimestamp(value: string, path: string): TimestampString {
  if (value === 'infinity' || value === '-infinity' || zonedTimestamp.test(value)) return value;
  return undecodable(path, `not an ISO-8601 timestamp with offset: ${JSON.stringify(value.slice(0, 40))}`);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
