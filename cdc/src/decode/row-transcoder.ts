import { ValueWriter } from '@shoal/client/protocol';
import type { ConnectSchema, StructSchema } from './connect-schema.js';
import { decimalAsciiBytes, decodeDecimal, parseScale, writeBase64Decimal } from './decimal.js';
import { EncodedRow } from './encoded-row.js';
import { parseExactJsonAt } from './exact-json.js';
import { JsonByte, JsonBytes, integerAt, startsWith } from './json-bytes.js';
import { writeJsonText } from './json-column-writer.js';
import { child } from './raw-access.js';
import { rowSchemaOf } from './row-schema.js';
import { memoBySchema } from './schema-memo.js';
import { DecimalScaleParameter, SemanticName } from './semantic-names.js';
import { decodeJsonColumn, decodeWithSchema, hasSemanticDecoder } from './semantic-types.js';
import { TimeUnit, formatEpochDay, formatEpochInstant, writeSafeEpochInstant } from './temporal.js';

/** How a field's JSON becomes its stored bytes; `general` decodes the value as `decodeWithSchema` does and encodes the result. */
type FieldKind = 'integer' | 'float' | 'boolean' | 'string' | 'decimal' | 'instant' | 'epochDay' | 'json' | 'general';

export interface PlannedField {
  readonly name: string;
  readonly schema: ConnectSchema;
  readonly kind: FieldKind;
  /** The member's key as JSON writes it, quotes included, to recognise it without decoding it. */
  readonly jsonName: Uint8Array;
  /** The name as the codec writes a map key. */
  readonly key: Uint8Array;
  readonly min: bigint;
  readonly max: bigint;
  /** The same bounds as numbers, to check a safe integer without a bigint. */
  readonly minNumber: number;
  readonly maxNumber: number;
  readonly scale: number;
  readonly unit: TimeUnit;
}

const integerRanges: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

const instantUnits: ReadonlyMap<string, TimeUnit> = new Map<string, TimeUnit>([
  [SemanticName.Timestamp, TimeUnit.Millis],
  [SemanticName.ConnectTimestamp, TimeUnit.Millis],
  [SemanticName.MicroTimestamp, TimeUnit.Micros],
  [SemanticName.NanoTimestamp, TimeUnit.Nanos],
]);
const plainStringNames: ReadonlySet<string> = new Set([SemanticName.Enum, SemanticName.EnumSet, SemanticName.Xml, SemanticName.ZonedTime]);

// A name JS objects order before the others or treat specially: a row object would not keep the schema's order.
const reorderedName = /^(?:\d+|__proto__)$/;

/**
 * Turns a row's JSON straight into the bytes `encodeValue(decodeStruct(row))`
 * gives, without building the row: numbers, booleans, plain strings,
 * decimals and timestamps are written from the JSON bytes, and any other
 * field is decoded as `decodeWithSchema` decodes it and encoded as a part.
 * It takes only the layout Debezium writes — every field of the schema, in
 * its order, then perhaps fields the schema does not name — and gives up
 * (null) on anything else or on any value it would refuse, so that the
 * caller decodes the row the ordinary way, which gives the same row or the
 * same error. A property test holds the two ways to the same bytes.
 */
export class RowPlan {
  private readonly writer = new ValueWriter();
  private readonly indexes: ReadonlyMap<string, number>;

  private constructor(
    readonly schema: StructSchema,
    readonly fields: readonly PlannedField[],
  ) {
    this.indexes = new Map(fields.map((f, i) => [f.name, i]));
  }

  /** The plan for a row schema; null when a row of it cannot be transcoded (no fields, or names a JS object would reorder). */
  static of(schema: StructSchema): RowPlan | null {
    const names = new Set(schema.fields.map((f) => f.name));
    if (schema.fields.length === 0 || names.size !== schema.fields.length) return null;
    if (schema.fields.some((f) => reorderedName.test(f.name))) return null;
    return new RowPlan(schema, schema.fields.map((f) => planField(f.name, f.schema)));
  }

  indexOf(name: string): number {
    return this.indexes.get(name) ?? -1;
  }

  /** The row whose JSON object starts at `start` of `bytes` (valid UTF-8), or null to decode it the ordinary way. */
  transcode(bytes: Buffer, start: number, path: string): EncodedRow | null {
    try {
      return this.transcodeOrGiveUp(bytes, start, path);
    } catch {
      // A value the decoder refuses: the ordinary decoding reports it, with its path.
      return null;
    }
  }

  private transcodeOrGiveUp(bytes: Buffer, start: number, path: string): EncodedRow | null {
    const reader = new JsonBytes(bytes);
    reader.pos = start;
    if (!reader.take(JsonByte.OpenBrace)) return null;
    const fields = this.fields;
    const writer = this.writer;
    // A plain array: a typed array this size gets a backing store of its own, which cost more than the row's other objects.
    const slices: number[] = [];
    writer.begin();
    writer.mapHeader(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      reader.skipWhitespace();
      if (i > 0) {
        if (!reader.take(JsonByte.Comma)) return null;
        reader.skipWhitespace();
      }
      if (!startsWith(bytes, reader.pos, field.jsonName)) return null;
      reader.pos += field.jsonName.length;
      reader.skipWhitespace();
      if (!reader.take(JsonByte.Colon)) return null;
      reader.skipWhitespace();
      slices.push(reader.pos);
      writer.raw(field.key);
      if (!writeField(field, reader, writer, path)) return null;
      slices.push(reader.pos);
    }
    if (!this.skipUnnamedFields(reader)) return null;
    return new EncodedRow(writer.finish(), this, bytes, start, reader.pos, slices, path);
  }

  /** Members after the schema's fields, up to the closing brace: dropped, as the decoder drops them, unless one repeats a field (the last would win). */
  private skipUnnamedFields(reader: JsonBytes): boolean {
    for (;;) {
      reader.skipWhitespace();
      if (reader.take(JsonByte.CloseBrace)) return true;
      if (!reader.take(JsonByte.Comma)) return false;
      reader.skipWhitespace();
      const keyStart = reader.pos;
      if (!reader.string() || reader.escaped) return false;
      if (this.indexes.has(reader.bytes.toString('utf8', keyStart + 1, reader.pos - 1))) return false;
      reader.skipWhitespace();
      if (!reader.take(JsonByte.Colon)) return false;
      reader.skipWhitespace();
      if (!reader.value(1)) return false;
    }
  }
}

/** The plan for the `after` rows of an envelope schema (kept with it); null when it has none or they cannot be transcoded. */
export function afterRowPlanOf(envelopeSchemaJson: unknown): RowPlan | null {
  return memoBySchema(envelopeSchemaJson, 'row-plan:after', () => {
    let schema: StructSchema | null;
    try {
      schema = rowSchemaOf(envelopeSchemaJson, 'after');
    } catch {
      // The decoder reports a bad schema when it reads the event.
      return null;
    }
    return schema === null ? null : RowPlan.of(schema);
  });
}

function planField(name: string, schema: ConnectSchema): PlannedField {
  const common = {
    name,
    schema,
    jsonName: Buffer.from(JSON.stringify(name), 'utf8'),
    key: ValueWriter.stringBytes(name),
    min: 0n,
    max: 0n,
    minNumber: 0,
    maxNumber: 0,
    scale: 0,
    unit: TimeUnit.Millis,
  };
  const semantic = schema.name;
  if (semantic !== null && hasSemanticDecoder(semantic)) {
    if (semantic === SemanticName.Decimal) {
      try {
        return { ...common, kind: 'decimal', scale: parseScale(schema.parameters[DecimalScaleParameter], name) };
      } catch {
        return { ...common, kind: 'general' };
      }
    }
    const unit = instantUnits.get(semantic);
    if (unit !== undefined) return { ...common, kind: 'instant', unit };
    if (semantic === SemanticName.Date || semantic === SemanticName.ConnectDate) return { ...common, kind: 'epochDay' };
    if (semantic === SemanticName.Json) return { ...common, kind: 'json' };
    if (plainStringNames.has(semantic)) return { ...common, kind: 'string' };
    return { ...common, kind: 'general' };
  }
  const range = integerRanges[schema.type];
  if (range !== undefined) return { ...common, kind: 'integer', min: range[0], max: range[1], minNumber: Number(range[0]), maxNumber: Number(range[1]) };
  if (schema.type === 'float32' || schema.type === 'float64') return { ...common, kind: 'float' };
  if (schema.type === 'boolean') return { ...common, kind: 'boolean' };
  if (schema.type === 'string') return { ...common, kind: 'string' };
  return { ...common, kind: 'general' };
}

/** Writes one field's value from the JSON at `reader.pos` and moves past it; false when the JSON is not a value. */
function writeField(field: PlannedField, reader: JsonBytes, writer: ValueWriter, path: string): boolean {
  const bytes = reader.bytes;
  const start = reader.pos;
  const first = bytes[start];
  if (first === 110 /* n */ && field.schema.optional) {
    if (!reader.value(1)) return false;
    writer.nil();
    return true;
  }
  switch (field.kind) {
    case 'string':
      if (first !== JsonByte.Quote) break;
      if (!reader.string()) return false;
      if (reader.escaped) return writeDecoded(field, reader, start, writer, path);
      writer.utf8(bytes, start + 1, reader.pos - 1);
      return true;
    case 'integer':
    case 'instant':
    case 'epochDay': {
      if (first !== JsonByte.Minus && !(first !== undefined && first >= 48 && first <= 57)) break;
      const integer = reader.number();
      if (integer === null) return false;
      if (!integer) return writeDecoded(field, reader, start, writer, path);
      const value = integerAt(bytes, start, reader.pos);
      writeInteger(field, value, writer, path);
      return true;
    }
    case 'float':
      if (first !== JsonByte.Minus && !(first !== undefined && first >= 48 && first <= 57)) break;
      if (reader.number() === null) return false;
      writer.number(Number(bytes.toString('latin1', start, reader.pos)));
      return true;
    case 'boolean':
      if (first !== 116 /* t */ && first !== 102 /* f */) break;
      if (!reader.value(1)) return false;
      writer.boolean(first === 116);
      return true;
    case 'decimal':
      if (first !== JsonByte.Quote) break;
      if (!reader.string()) return false;
      if (reader.escaped) return writeDecoded(field, reader, start, writer, path);
      writeDecimal(field, bytes, start + 1, reader.pos - 1, writer);
      return true;
    case 'json': {
      if (first !== JsonByte.Quote) break;
      if (!reader.string()) return false;
      // The literal is valid by now, and JSON.parse unescapes it as the exact parser does.
      const text = reader.escaped ? (JSON.parse(bytes.toString('utf8', start, reader.pos)) as string) : bytes.toString('utf8', start + 1, reader.pos - 1);
      if (!writeJsonText(text, writer)) writer.value(decodeJsonColumn(text, path));
      return true;
    }
    case 'general':
      break;
  }
  reader.pos = start;
  if (!reader.value(1)) return false;
  return writeDecoded(field, reader, start, writer, path);
}

// Errors thrown while transcoding are never shown (the row is then decoded the ordinary way, which says where), so paths are not built.
function writeInteger(field: PlannedField, value: number | bigint, writer: ValueWriter, path: string): void {
  switch (field.kind) {
    case 'instant': {
      const length = typeof value === 'number' ? writeSafeEpochInstant(value, field.unit, ascii, path) : -1;
      if (length >= 0) return writer.utf8(ascii, 0, length);
      return writer.string(formatEpochInstant(value, field.unit, path));
    }
    case 'epochDay':
      if (typeof value !== 'number') throw new RangeError('a date beyond 2^53 days');
      return writer.string(formatEpochDay(value, path));
    default:
      if (typeof value === 'number') {
        if (value < field.minNumber || value > field.maxNumber) throw new RangeError('out of the type range');
        return writer.number(value);
      }
      if (value < field.min || value > field.max) throw new RangeError('out of the type range');
      return writer.bigint(value);
  }
}

/** Room for the ASCII of a timestamp or a decimal written straight to bytes. */
const ascii = Buffer.alloc(Math.max(32, decimalAsciiBytes));

/** A Decimal from the base64 between the quotes, `bytes[start, end)`. */
function writeDecimal(field: PlannedField, bytes: Buffer, start: number, end: number, writer: ValueWriter): void {
  const length = writeBase64Decimal(bytes, start, end, field.scale, ascii);
  if (length >= 0) writer.utf8(ascii, 0, length);
  else writer.string(decodeDecimal(bytes.toString('latin1', start, end), field.scale, field.name));
}

/** The value the JSON `[start, reader.pos)` decodes to under the field's schema, as a part of the row. */
function writeDecoded(field: PlannedField, reader: JsonBytes, start: number, writer: ValueWriter, path: string): boolean {
  writer.value(decodeFieldJson(field, reader.bytes.toString('utf8', start, reader.pos), path));
  return true;
}

/** A field's value from its JSON text, exactly as decoding the whole row gives it. */
export function decodeFieldJson(field: PlannedField, text: string, path: string): unknown {
  return decodeWithSchema(parseExactJsonAt(text, 0).value, field.schema, child(path, field.name));
}
