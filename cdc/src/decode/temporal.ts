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
  Millis: { perSecond: 1_000n, perMs: 1, digits: 3 },
  Micros: { perSecond: 1_000_000n, perMs: 1_000, digits: 6 },
  Nanos: { perSecond: 1_000_000_000n, perMs: 1_000_000, digits: 9 },
} as const;
export type TimeUnit = (typeof TimeUnit)[keyof typeof TimeUnit];

const msPerDay = 86_400_000;
// The range of a JS Date: ±100,000,000 days around the epoch.
const maxAbsEpochMs = 8_640_000_000_000_000n;
const maxAbsEpochMsNumber = 8_640_000_000_000_000;
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
export function formatEpochInstant(value: bigint | number, unit: TimeUnit, path: string): TimestampString {
  if (typeof value === 'number') return formatSafeEpochInstant(value, unit, path);
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
 * The same for a safe integer, in double arithmetic that stays exact (`%`
 * and the division of a multiple are exact below 2^53): BigInt's costs more
 * than the rest of a row's decoding.
 */
function formatSafeEpochInstant(value: number, unit: TimeUnit, path: string): TimestampString {
  const length = writeSafeEpochInstant(value, unit, instantScratch, path);
  if (length >= 0) return instantScratch.toString('latin1', 0, length);
  const { ms, rest } = splitEpochValue(value, unit);
  return `${new Date(ms).toISOString().slice(0, -1)}${unit.digits > 3 ? String(rest).padStart(unit.digits - 3, '0') : ''}Z`;
}

const instantScratch = Buffer.alloc(32);

/** A count of `unit` as whole epoch milliseconds and the `unit`s past them (≥ 0). */
function splitEpochValue(value: number, unit: TimeUnit): { ms: number; rest: number } {
  const perMs = unit.perMs;
  let rest = value % perMs;
  let ms = (value - rest) / perMs;
  if (rest < 0) {
    rest += perMs;
    ms -= 1;
  }
  return { ms, rest };
}

const msPerDayNumber = 86_400_000;
// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years toISOString writes with four digits.
const firstFourDigitYearMs = -62_167_219_200_000;
const firstFiveDigitYearMs = 253_402_300_800_000;

/**
 * Writes what `formatEpochInstant` gives a safe integer, as ASCII, into
 * `out` from 0 (at least 30 bytes) and returns its length; -1 for a year
 * outside 0000–9999, which `Date` formats; `CdcDecodeError` beyond the
 * range of a `Date`, as `formatEpochInstant`. The date is computed (days to a
 * civil date, H. Hinnant's algorithm) and kept for the next value of the
 * same day, and digits go straight to bytes: a `Date` or a string per
 * timestamp cost as much as the rest of a row.
 */
export function writeSafeEpochInstant(value: number, unit: TimeUnit, out: Uint8Array, path: string): number {
  const { ms, rest } = splitEpochValue(value, unit);
  if (Math.abs(ms) > maxAbsEpochMsNumber) return undecodable(path, `timestamp ${value} is out of range`);
  if (ms < firstFourDigitYearMs || ms >= firstFiveDigitYearMs) return -1;
  const days = Math.floor(ms / msPerDayNumber);
  if (days !== cachedDay) cacheDate(days);
  out.set(cachedDate, 0);
  let time = ms - days * msPerDayNumber;
  const millis = time % 1000;
  time = (time - millis) / 1000;
  const second = time % 60;
  const minute = ((time - second) / 60) % 60;
  const hour = Math.floor(time / 3600);
  out[10] = 84; // T
  writeDigits(out, 11, hour, 2);
  out[13] = 58; // :
  writeDigits(out, 14, minute, 2);
  out[16] = 58;
  writeDigits(out, 17, second, 2);
  out[19] = 46; // .
  writeDigits(out, 20, millis, 3);
  const end = 23 + unit.digits - 3;
  if (unit.digits > 3) writeDigits(out, 23, rest, unit.digits - 3);
  out[end] = 90; // Z
  return end + 1;
}

/** `YYYY-MM-DD` of the last day written, as ASCII. */
const cachedDate = new Uint8Array(10);
let cachedDay = Number.NaN;

function cacheDate(days: number): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  writeDigits(cachedDate, 0, year, 4);
  cachedDate[4] = 45; // -
  writeDigits(cachedDate, 5, month, 2);
  cachedDate[7] = 45;
  writeDigits(cachedDate, 8, day, 2);
  cachedDay = days;
}

/** `value` (≥ 0) as exactly `width` decimal digits, zero-padded, at `at`. */
function writeDigits(out: Uint8Array, at: number, value: number, width: number): void {
  let rest = value;
  for (let i = at + width - 1; i >= at; i--) {
    const digit = rest % 10;
    out[i] = 48 + digit;
    rest = (rest - digit) / 10;
  }
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
