import { parseExactJsonAt, parseJsonNumber, setKey } from './exact-json.js';
import { JsonByte, JsonBytes, integerAt, startsWith } from './json-bytes.js';
import { isJsonObject } from './json-text.js';
import { memoBySchema } from './schema-memo.js';

/** Strings whose literal is longer than this are not kept for the next event (see `stringValue`). */
const maxKeptString = 64;

/** Nested structs deeper than this are read the ordinary way. */
const maxNesting = 8;

/** The reader could not read a value the fast way; the caller reads it (or the whole object) the ordinary way. */
const giveUp: unique symbol = Symbol('give up');
type Read = unknown | typeof giveUp;

/**
 * The members a struct schema says its JSON object has, in the schema's
 * order, to read such an object from its UTF-8 bytes without making a
 * string of each key or decoding the text first. Debezium writes a
 * `source` block (and the envelope around it) exactly so: every field, in
 * order. Values come out as the exact parser (`exact-json.ts`) makes them,
 * and anything else — another order, a repeated or extra member, a
 * malformed value — makes the reader give up, so that the caller parses
 * the ordinary way and gets the ordinary result or error.
 */
export class KnownMembers {
  /** Per member, its last unescaped string and the JSON literal it came from. */
  private readonly lastStrings: ({ readonly json: Uint8Array; readonly value: string } | undefined)[] = [];

  private constructor(
    readonly names: readonly string[],
    /** Each name as JSON writes it, quotes included. */
    private readonly jsonNames: readonly Uint8Array[],
    /** The members of a field that is itself a struct, else null. */
    private readonly nested: readonly (KnownMembers | null)[],
  ) {}

  /** The members of a struct schema's JSON (`{type: "struct", fields: [{field, type, fields?}, ...]}`); null when it is not one. */
  static ofStructSchema(schemaJson: unknown, depth = 0): KnownMembers | null {
    if (!isJsonObject(schemaJson) || schemaJson['type'] !== 'struct' || !Array.isArray(schemaJson['fields'])) return null;
    const names: string[] = [];
    const nested: (KnownMembers | null)[] = [];
    for (const field of schemaJson['fields'] as unknown[]) {
      if (!isJsonObject(field) || typeof field['field'] !== 'string') return null;
      names.push(field['field']);
      nested.push(depth < maxNesting ? KnownMembers.ofStructSchema(field, depth + 1) : null);
    }
    if (new Set(names).size !== names.length) return null;
    return new KnownMembers(names, names.map((name) => Buffer.from(JSON.stringify(name), 'utf8')), nested);
  }

  indexOf(name: string): number {
    return this.names.indexOf(name);
  }

  /**
   * Reads the member at `reader.pos` (its key's opening quote) when it is
   * member `index`: sets it on `object` and leaves `reader.pos` after its
   * value. False, with `reader.pos` unchanged, when it is another member or
   * its value does not read the fast way.
   */
  readMember(reader: JsonBytes, index: number, object: Record<string, unknown>): boolean {
    const start = reader.pos;
    const jsonName = this.jsonNames[index]!;
    if (!startsWith(reader.bytes, start, jsonName)) return false;
    reader.pos += jsonName.length;
    reader.skipWhitespace();
    if (reader.take(JsonByte.Colon)) {
      reader.skipWhitespace();
      const value = reader.bytes[reader.pos] === JsonByte.Quote ? this.stringValue(reader, index) : readValue(reader, this.nested[index]!);
      if (value !== giveUp) {
        setKey(object, this.names[index]!, value);
        return true;
      }
    }
    reader.pos = start;
    return false;
  }

  /**
   * A member's string, the same instance as last time when its bytes are
   * the same: most of a source block (connector, version, db, table…)
   * repeats from event to event, and making each string again cost more
   * than comparing its bytes.
   */
  private stringValue(reader: JsonBytes, index: number): Read {
    const bytes = reader.bytes;
    const start = reader.pos;
    if (!reader.string()) return giveUp;
    // Unescaping is JSON.parse's, as in the exact parser.
    if (reader.escaped) return JSON.parse(bytes.toString('utf8', start, reader.pos)) as string;
    const last = this.lastStrings[index];
    if (last !== undefined && last.json.length === reader.pos - start && startsWith(bytes, start, last.json)) return last.value;
    const json = bytes.subarray(start, reader.pos);
    const value = bytes.toString('utf8', start + 1, reader.pos - 1);
    // Only short strings are kept: long ones rarely repeat, and a kept view would keep its whole record alive.
    if (json.length <= maxKeptString) this.lastStrings[index] = { json: Uint8Array.from(json), value };
    return value;
  }

  /** The whole object at `reader.pos` when it has exactly these members, in order; `giveUp` otherwise. */
  readObject(reader: JsonBytes): Read {
    const object: Record<string, unknown> = {};
    reader.pos++;
    for (let i = 0; i < this.names.length; i++) {
      reader.skipWhitespace();
      if (i > 0) {
        if (!reader.take(JsonByte.Comma)) return giveUp;
        reader.skipWhitespace();
      }
      if (!this.readMember(reader, i, object)) return giveUp;
    }
    reader.skipWhitespace();
    return reader.take(JsonByte.CloseBrace) ? object : giveUp;
  }
}

/** The members of an envelope schema (kept with it), or null when it is not a struct schema. */
export function envelopeMembersOf(envelopeSchemaJson: unknown): KnownMembers | null {
  return memoBySchema(envelopeSchemaJson, 'known-members', () => KnownMembers.ofStructSchema(envelopeSchemaJson));
}

/**
 * The JSON value at `reader.pos` other than a string (see `stringValue`),
 * as the exact parser makes it: integers and literals from their bytes, a
 * struct through its members, and anything else (or a struct that strays)
 * by parsing its text.
 */
function readValue(reader: JsonBytes, members: KnownMembers | null): Read {
  const bytes = reader.bytes;
  const start = reader.pos;
  switch (bytes[start]) {
    case JsonByte.LowerN:
      return reader.value(1) ? null : giveUp;
    case 116 /* t */:
      return reader.value(1) ? true : giveUp;
    case 102 /* f */:
      return reader.value(1) ? false : giveUp;
    case JsonByte.OpenBrace:
      if (members !== null) {
        const object = members.readObject(reader);
        if (object !== giveUp) return object;
        reader.pos = start;
      }
      return parsedValue(reader);
    case JsonByte.OpenBracket:
      return parsedValue(reader);
    default:
      return numberValue(reader);
  }
}

/** The value at `reader.pos` parsed from its text. */
function parsedValue(reader: JsonBytes): Read {
  const start = reader.pos;
  if (!reader.value(1)) return giveUp;
  return parseExactJsonAt(reader.bytes.toString('utf8', start, reader.pos), 0).value;
}

/** A number as `parseJsonNumber` keeps it (an integer read as the exact parser reads it). */
function numberValue(reader: JsonBytes): Read {
  const bytes = reader.bytes;
  const start = reader.pos;
  const integer = reader.number();
  if (integer === null) return giveUp;
  return integer ? integerAt(bytes, start, reader.pos) : parseJsonNumber(bytes.toString('latin1', start, reader.pos), false);
}
