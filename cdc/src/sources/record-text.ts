import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { bodyValues } from './body-values.js';

/** A record's parts as JSON text, split out of a larger JSON document without touching any number's digits. */
export interface RecordText {
  readonly topic: string | null;
  readonly key: string | null;
  readonly value: string | null;
}

const wrapperFields: ReadonlySet<string> = new Set(['topic', 'key', 'value']);

/**
 * A line of NDJSON input: either a record `{"topic", "key", "value"}` (any
 * of topic and key may be left out; key and value are JSON documents or
 * JSON text in a string), or else a Debezium value as it is. An object is a
 * record when it has a `value` field and no field but those three. A line
 * that is not JSON is returned as the value, for the decoder to refuse.
 */
export function recordFromLine(line: string): RecordText {
  // A record has no field but topic, key and value: a line that opens with another key (a converter
  // envelope's "schema", on every line with schemas) is a value, whatever it holds further on.
  if (line.startsWith('{"schema":') || !line.includes('"value"')) return { topic: null, key: null, value: line };
  let parsed: unknown;
  try {
    parsed = parse(line);
  } catch {
    return { topic: null, key: null, value: line };
  }
  if (!isRecordObject(parsed)) return { topic: null, key: null, value: line };
  const topic = parsed['topic'];
  return {
    topic: typeof topic === 'string' ? topic : null,
    key: partText(parsed['key']),
    value: partText(parsed['value']),
  };
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isLosslessNumber(value)) return false;
  const fields = Object.keys(value);
  return fields.includes('value') && fields.every((f) => wrapperFields.has(f));
}

/** A record part given as a JSON document or as JSON text in a string; null or absent is null. */
export function partText(part: unknown): string | null {
  if (part === null || part === undefined) return null;
  if (typeof part === 'string') return part;
  return stringify(part) ?? null;
}

/** The texts of an HTTP body's events (see `bodyValues`, which the HTTP source uses and which hands over their bytes). */
export function valuesFromBody(body: string): (string | null)[] {
  return bodyValues(body).map((v) => (v.value instanceof Uint8Array ? Buffer.from(v.value).toString('utf8') : v.value));
}
