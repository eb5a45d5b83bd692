import { LosslessNumber, isLosslessNumber, parse } from 'lossless-json';
import { undecodable } from './decode-error.js';
import { ExactJsonSyntaxError, parseExactJson, parseJsonNumber, setKey } from './exact-json.js';

/** Text or bytes as a source hands them over; null or undefined is an absent value. */
export type RawJson = string | Uint8Array | null | undefined;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const integerLiteral = /^-?\d+$/;

/**
 * Parses JSON without losing numbers. Debezium writes int64 columns, LSNs and
 * `ts_ns` as plain JSON numbers, which `JSON.parse` rounds past 2^53, and the
 * JsonConverter's `decimal.format=NUMERIC` writes decimals as numbers whose
 * digits matter. So integers come back as `number` when safe and `bigint`
 * otherwise, and any other number whose text a `number` would not reproduce
 * stays a `LosslessNumber` until a schema says what it is.
 *
 * Returns `undefined` for an absent or empty record part (Kafka's converters
 * read empty bytes as null).
 */
export function parseJsonText(raw: RawJson, path = ''): unknown {
  const text = jsonTextOf(raw, path);
  if (text === undefined) return undefined;
  try {
    return parseExactJson(text);
  } catch (error) {
    if (!(error instanceof ExactJsonSyntaxError)) throw error;
  }
  return parseLosslessly(text, path);
}

// No integer literal of 15 digits or fewer passes 2^53; a run of 16 digits anywhere (a string's included) takes the exact path.
const possiblyUnsafeInteger = /\d{16}/;

/**
 * A JSON document without a schema to say what its numbers are, as
 * `toPlainJson(parseJsonText(text))` gives it: numbers plain, integers past
 * 2^53 exact as bigint. Through `JSON.parse` when that gives the same, which
 * is when no integer could pass 2^53 (`JSON.parse` reads any other number as
 * `Number` of its text, as `toPlainJson` does, and repeated keys and
 * `__proto__` as the exact parser does); the exact parser otherwise, and for
 * every text `JSON.parse` refuses, so failures read as before.
 */
export function parsePlainJson(text: string, path = ''): unknown {
  if (!possiblyUnsafeInteger.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // The exact parser says what is wrong.
    }
  }
  return toPlainJson(parseJsonText(text, path));
}

/** A record part as text; undefined when absent or blank. */
export function jsonTextOf(raw: RawJson, path: string): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = typeof raw === 'string' ? raw : decodeUtf8(raw, path);
  return text.trim() === '' ? undefined : text;
}

/**
 * The reference parse, which `parseExactJson` matches: it is asked only
 * when that one refused the text, for lossless-json's words on what is wrong.
 */
export function parseLosslessly(text: string, path: string): unknown {
  try {
    return parse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (error) {
    return undecodable(path, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    return undecodable(path, 'invalid JSON: the bytes are not UTF-8', error);
  }
}

function parseNumber(text: string): number | bigint | LosslessNumber {
  return parseJsonNumber(text, integerLiteral.test(text));
}

/** The exact text of a JSON number kept by `parseJsonText`, or undefined for anything else. */
export function numberText(value: unknown): string | undefined {
  if (isLosslessNumber(value)) return value.value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Replaces the `LosslessNumber`s left in parsed JSON by plain numbers: what a
 * value without a schema becomes, since nothing says it wanted more digits.
 * A value that holds none is returned as it is (nothing mutates decoded
 * values), so the common case copies nothing.
 */
export function toPlainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) return Number(value.value);
  if (Array.isArray(value)) return plainArray(value);
  if (isJsonObject(value)) return plainObject(value);
  return value;
}

/** Each item made plain once; a copy only from the first item that changed. */
function plainArray(value: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const plain = toPlainJson(item);
    if (out === null && plain !== item) out = value.slice(0, i);
    out?.push(plain);
  }
  return out ?? value;
}

function plainObject(value: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    const field = value[key];
    const plain = toPlainJson(field);
    if (out === null) {
      if (plain === field) continue;
      out = {};
      for (const earlier in value) {
        if (earlier === key) break;
        setKey(out, earlier, value[earlier]);
      }
    }
    setKey(out, key, plain);
  }
  return out ?? value;
}


/** A JSON object (not an array, not null, not a kept number). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value) && !(value instanceof Uint8Array);
}

