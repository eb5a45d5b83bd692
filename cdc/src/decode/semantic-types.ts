import { isLosslessNumber } from 'lossless-json';
import { decodeBase64 } from './base64.js';
import type { ArraySchema, ConnectSchema, MapSchema, PrimitiveSchema, StructSchema } from './connect-schema.js';
import { decodeDecimal, decodeVariableScaleDecimal, parseScale } from './decimal.js';
import { undecodable } from './decode-error.js';
import { setKey } from './exact-json.js';
import { isJsonObject, parsePlainJson } from './json-text.js';
import { child, describeJson, requireInteger, requireObject, requireSafeInteger, requireString } from './raw-access.js';
import { DecimalScaleParameter, SemanticName } from './semantic-names.js';
import { TimeUnit, checkZonedTimestamp, formatEpochDay, formatEpochInstant, formatTimeOfDay } from './temporal.js';

/**
 * Turns a JSON value into what its Kafka Connect schema says it is:
 *
 * | schema | value |
 * | --- | --- |
 * | int8, int16, int32 | number |
 * | int64 | number, or bigint past 2^53 |
 * | float32, float64 | number (`"NaN"`, `"Infinity"` accepted) |
 * | bytes, io.debezium.data.Bits | Uint8Array |
 * | Decimal, VariableScaleDecimal | exact decimal string ("200000.0000") |
 * | io.debezium.time.Date, Connect Date | "YYYY-MM-DD" |
 * | Time, MicroTime, NanoTime, Connect Time | "HH:MM:SS.fff" / ".ffffff" / ".fffffffff" |
 * | Timestamp, MicroTimestamp, NanoTimestamp, Connect Timestamp | "YYYY-MM-DDTHH:MM:SS.f…Z" |
 * | ZonedTimestamp, ZonedTime, Uuid, Enum, EnumSet, Xml | the string as sent (checked where a format exists) |
 * | io.debezium.data.Json | the parsed JSON document |
 * | struct | object of decoded fields (fields the schema does not name are dropped, as Kafka's converter does) |
 *
 * A null stays null when the schema is optional, becomes the schema's default
 * when it is required and has one, and is refused otherwise.
 */
export function decodeWithSchema(value: unknown, schema: ConnectSchema, path: string): unknown {
  if (value === null || value === undefined) return decodeNull(schema, path);
  const semantic = schema.name === null ? undefined : semanticDecoders.get(schema.name);
  if (semantic !== undefined) return semantic(value, schema, path);
  switch (schema.type) {
    case 'struct':
      return decodeStruct(value, schema, path);
    case 'array':
      return decodeArray(value, schema, path);
    case 'map':
      return decodeMap(value, schema, path);
    default:
      return decodePrimitive(value, schema, path);
  }
}

/** Decodes a struct value: a row, a key. */
export function decodeStruct(value: unknown, schema: StructSchema, path: string): Readonly<Record<string, unknown>> {
  const struct = requireObject(value, path, 'a struct');
  const out: Record<string, unknown> = {};
  // Own members only, set as own keys: a field named `toString` or `__proto__` is a column like any other.
  for (const field of schema.fields) {
    const name = field.name;
    setKey(out, name, decodeWithSchema(Object.hasOwn(struct, name) ? struct[name] : undefined, field.schema, child(path, name)));
  }
  return out;
}

type SemanticDecoder = (value: unknown, schema: ConnectSchema, path: string) => unknown;

const epochDay: SemanticDecoder = (value, _schema, path) => formatEpochDay(requireSafeInteger(value, path), path);
const timeOfDay =
  (unit: TimeUnit): SemanticDecoder =>
  (value, _schema, path) =>
    formatTimeOfDay(BigInt(requireInteger(value, path)), unit);
const instant =
  (unit: TimeUnit): SemanticDecoder =>
  (value, _schema, path) =>
    formatEpochInstant(requireInteger(value, path), unit, path);
const plainString: SemanticDecoder = (value, _schema, path) => requireString(value, path);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const semanticDecoders: ReadonlyMap<string, SemanticDecoder> = new Map<string, SemanticDecoder>([
  [SemanticName.Decimal, (value, schema, path) => decodeDecimal(value, parseScale(schema.parameters[DecimalScaleParameter], path), path)],
  [SemanticName.VariableScaleDecimal, (value, _schema, path) => decodeVariableScaleDecimal(value, path)],
  [SemanticName.Date, epochDay],
  [SemanticName.ConnectDate, epochDay],
  [SemanticName.Time, timeOfDay(TimeUnit.Millis)],
  [SemanticName.ConnectTime, timeOfDay(TimeUnit.Millis)],
  [SemanticName.MicroTime, timeOfDay(TimeUnit.Micros)],
  [SemanticName.NanoTime, timeOfDay(TimeUnit.Nanos)],
  [SemanticName.Timestamp, instant(TimeUnit.Millis)],
  [SemanticName.ConnectTimestamp, instant(TimeUnit.Millis)],
  [SemanticName.MicroTimestamp, instant(TimeUnit.Micros)],
  [SemanticName.NanoTimestamp, instant(TimeUnit.Nanos)],
  [SemanticName.ZonedTimestamp, (value, _schema, path) => checkZonedTimestamp(requireString(value, path), path)],
  [SemanticName.ZonedTime, plainString],
  [SemanticName.Enum, plainString],
  [SemanticName.EnumSet, plainString],
  [SemanticName.Xml, plainString],
  [SemanticName.Uuid, (value, _schema, path) => checkUuid(requireString(value, path), path)],
  [SemanticName.Json, (value, _schema, path) => decodeJsonColumn(requireString(value, path), path)],
  [SemanticName.Bits, (value, _schema, path) => decodeBase64(requireString(value, path), path)],
]);

/** Whether a schema name is one `decodeWithSchema` decodes by name rather than by type. */
export function hasSemanticDecoder(name: string | null): boolean {
  return name !== null && semanticDecoders.has(name);
}

function decodeNull(schema: ConnectSchema, path: string): unknown {
  if (schema.optional) return null;
  if (schema.default !== undefined && schema.default !== null) return decodeWithSchema(schema.default, { ...schema, default: undefined }, path);
  return undecodable(path, 'null for a required field');
}

const intRanges = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function decodePrimitive(value: unknown, schema: PrimitiveSchema, path: string): unknown {
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64': {
      const n = requireInteger(value, path);
      const [min, max] = intRanges[schema.type];
      if (BigInt(n) < min || BigInt(n) > max) return undecodable(path, `${n} is out of range for ${schema.type}`);
      return n;
    }
    case 'float32':
    case 'float64':
      return decodeFloat(value, path);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return undecodable(path, `expected a boolean, got ${describeJson(value)}`);
    case 'string':
      return requireString(value, path);
    case 'bytes':
      if (value instanceof Uint8Array) return value;
      return decodeBase64(requireString(value, path), path);
  }
}

// Jackson writes non-finite doubles as these strings (QUOTE_NON_NUMERIC_NUMBERS).
const nonFinite: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

function decodeFloat(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (isLosslessNumber(value)) return Number(value.value);
  if (typeof value === 'string') {
    const special = nonFinite.get(value);
    if (special !== undefined) return special;
  }
  return undecodable(path, `expected a number, got ${describeJson(value)}`);
}

function decodeArray(value: unknown, schema: ArraySchema, path: string): readonly unknown[] {
  if (!Array.isArray(value)) return undecodable(path, `expected an array, got ${describeJson(value)}`);
  return value.map((item: unknown, i) => decodeWithSchema(item, schema.items, child(path, i)));
}

/** The JsonConverter writes a map with string keys as an object, any other map as an array of [key, value] pairs. */
function decodeMap(value: unknown, schema: MapSchema, path: string): unknown {
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, decodeWithSchema(v, schema.values, child(path, k)));
    return out;
  }
  if (!Array.isArray(value)) return undecodable(path, `expected a map, got ${describeJson(value)}`);
  return value.map((entry: unknown, i) => {
    const at = child(path, i);
    if (!Array.isArray(entry) || entry.length !== 2) return undecodable(at, 'expected a [key, value] pair');
    return [decodeWithSchema(entry[0], schema.keys, child(at, 0)), decodeWithSchema(entry[1], schema.values, child(at, 1))];
  });
}

function checkUuid(value: string, path: string): string {
  if (uuid.test(value)) return value;
  return undecodable(path, `not a UUID: ${JSON.stringify(value.slice(0, 40))}`);
}

/** An io.debezium.data.Json column's text as its JSON value. */
export function decodeJsonColumn(text: string, path: string): unknown {
  if (text.trim() === '') return undecodable(path, 'an io.debezium.data.Json value is empty');
  return parsePlainJson(text, path);
}
