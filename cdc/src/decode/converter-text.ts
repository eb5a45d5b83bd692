import { isUtf8 } from 'node:buffer';
import { ExactJsonSyntaxError, parseExactJsonAt } from './exact-json.js';
import { jsonTextOf, parseJsonText, type RawJson } from './json-text.js';
import { envelopeMembersOf } from './known-members.js';
import { flatCopy } from './flat-copy.js';
import { parsePayloadKeepingRows } from './payload-bytes.js';
import { afterRowPlanOf } from './row-transcoder.js';

const schemaPrefix = '{"schema":';
const payloadInfix = ',"payload":';
const maxSchemas = 32;
const schemaPrefixBytes = Buffer.from(schemaPrefix);
const payloadInfixBytes = Buffer.from(payloadInfix);
// ignoreBOM: a BOM opening the payload is a character in the middle of the record, not a mark to drop.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Turns a record part into JSON values the way `parseJsonText` does: undefined when absent or blank, `CdcDecodeError` when not JSON. */
export interface RecordPartParser {
  /** `rawRows`: a parser may leave an envelope's row objects as `RawRowJson` (see `parsePayloadKeepingRows`). */
  parse(raw: RawJson, path?: string, rawRows?: boolean): unknown;
}

/** A schema's exact text, as it sits in a record, and its parse. */
interface KnownSchema {
  readonly text: string;
  /** The text's UTF-8, to recognise the schema in a record given as bytes without decoding it. */
  readonly bytes: Buffer;
  readonly json: unknown;
}

/**
 * Parses record parts, reusing the parse of JsonConverter schemas already
 * seen. The converter repeats the whole schema in every record (four fifths
 * of a typical change event), always first and compact:
 * `{"schema":S,"payload":P}`. A record whose text is exactly that, with S
 * character for character a schema text met before and P one JSON value, is
 * the object `{schema: parse(S), payload: parse(P)}`, which is what parsing
 * the whole text gives; so only P is parsed. Anything else (another layout,
 * whitespace, a payload followed by more) is parsed whole, as before.
 *
 * Keyed by the full schema text, never by name or version, so two schemas
 * that differ in anything are never confused. Records of a hit share the
 * schema's parsed JSON (and what is derived from it, see `memoBySchema`),
 * which the decoder never mutates.
 */
export class SchemaTextCache implements RecordPartParser {
  /** Most recently used first; a stream has a handful of tables, a bounded few are kept. */
  private readonly known: KnownSchema[] = [];

  /** What `parseJsonText` would return for the part (undefined for an absent or blank one), failures alike. */
  parse(raw: RawJson, path = '', rawRows = false): unknown {
    if (raw instanceof Uint8Array) {
      const envelope = this.parseEnvelopeBytes(raw, rawRows);
      if (envelope !== null) return envelope;
    }
    const text = jsonTextOf(raw, path);
    if (text === undefined) return undefined;
    if (text.startsWith(schemaPrefix)) {
      const envelope = this.parseEnvelopeAt(text, 0);
      if (envelope !== null && onlyJsonWhitespace(text, envelope.end)) return envelope.value;
    }
    return parseJsonText(text, path);
  }

  /**
   * The envelope that starts at `start` of a longer text (an element of a
   * JSON array), when it is exactly `{"schema":S,"payload":P}`: its parse
   * and the index after its closing brace. Null for anything else, which
   * the caller parses the ordinary way.
   */
  parseEnvelopeAt(text: string, start: number): { readonly value: { schema: unknown; payload: unknown }; readonly end: number } | null {
    if (!text.startsWith(schemaPrefix, start)) return null;
    const schema = this.lookUp(text, start) ?? this.learn(text, start);
    if (schema === null) return null;
    const payload = parseValueAt(text, start + schemaPrefix.length + schema.text.length + payloadInfix.length);
    if (payload === null || text.charCodeAt(payload.end) !== 125 /* } */) return null;
    return { value: { schema: schema.json, payload: payload.value }, end: payload.end + 1 };
  }

  /**
   * A record given as bytes (a file's line, a Kafka value) whose schema is
   * byte for byte one already seen: only its payload is decoded to text and
   * parsed (the schema is four fifths of the bytes, and turning it into a
   * string only to compare it was most of reading a line). The payload's
   * UTF-8 is decoded as strictly as `jsonTextOf` decodes the whole, and the
   * rest is the known schema's valid UTF-8 split at ASCII, so the outcome is
   * the text path's. Null for anything else, which takes the text path.
   * With `rawRows`, the payload's leading row objects stay bytes.
   */
  private parseEnvelopeBytes(raw: Uint8Array, rawRows: boolean): { schema: unknown; payload: unknown } | null {
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (bytes.length <= schemaPrefixBytes.length || bytes.compare(schemaPrefixBytes, 0, schemaPrefixBytes.length, 0, schemaPrefixBytes.length) !== 0) return null;
    const schema = this.lookUpBytes(bytes);
    if (schema === null) return null;
    const payloadBytes = bytes.subarray(schemaPrefixBytes.length + schema.bytes.length + payloadInfixBytes.length);
    if (rawRows && isUtf8(payloadBytes)) {
      const payload = parsePayloadKeepingRows(payloadBytes, afterRowPlanOf(schema.json), envelopeMembersOf(schema.json));
      if (payload !== null) return { schema: schema.json, payload };
    }
    let payloadText: string;
    try {
      payloadText = strictUtf8.decode(payloadBytes);
    } catch {
      return null;
    }
    const payload = parseValueAt(payloadText, 0);
    if (payload === null || payloadText.charCodeAt(payload.end) !== 125 /* } */ || !onlyJsonWhitespace(payloadText, payload.end + 1)) return null;
    return { schema: schema.json, payload: payload.value };
  }

  /**
   * Where the payload of the envelope at `start` of `bytes` begins, when the
   * envelope opens with a schema already seen, byte for byte: what follows
   * is the payload, then the envelope's `}`. -1 otherwise.
   */
  payloadStartOf(bytes: Buffer, start: number): number {
    const prefixEnd = start + schemaPrefixBytes.length;
    if (bytes.length <= prefixEnd || bytes.compare(schemaPrefixBytes, 0, schemaPrefixBytes.length, start, prefixEnd) !== 0) return -1;
    const schema = this.lookUpBytes(bytes, start);
    return schema === null ? -1 : prefixEnd + schema.bytes.length + payloadInfixBytes.length;
  }

  private lookUpBytes(bytes: Buffer, start = 0): KnownSchema | null {
    const from = start + schemaPrefixBytes.length;
    for (const schema of this.known) {
      const end = from + schema.bytes.length;
      if (end + payloadInfixBytes.length > bytes.length) continue;
      if (bytes.compare(payloadInfixBytes, 0, payloadInfixBytes.length, end, end + payloadInfixBytes.length) !== 0) continue;
      if (bytes.compare(schema.bytes, 0, schema.bytes.length, from, end) === 0) return schema;
    }
    return null;
  }

  /** Schemas kept (for tests). */
  get size(): number {
    return this.known.length;
  }

  private lookUp(text: string, start: number): KnownSchema | null {
    const known = this.known;
    const from = start + schemaPrefix.length;
    for (let i = 0; i < known.length; i++) {
      const schema = known[i]!;
      const end = from + schema.text.length;
      // The cheap test first: the payload key right where this schema would end. Then equality of a
      // substring, which V8 compares a word at a time (startsWith goes a character at a time, 5× slower).
      if (!text.startsWith(payloadInfix, end) || text.substring(from, end) !== schema.text) continue;
      if (i > 0) {
        known.splice(i, 1);
        known.unshift(schema);
      }
      return schema;
    }
    return null;
  }

  /** Parses the schema of a record not seen before and keeps its text; null when the text is not `{"schema":S,"payload":`. */
  private learn(text: string, start: number): KnownSchema | null {
    const from = start + schemaPrefix.length;
    const parsed = parseValueAt(text, from);
    if (parsed === null || !text.startsWith(payloadInfix, parsed.end)) return null;
    // A copy, so that the kept text does not hold on to the whole record.
    const schemaText = flatCopy(text.slice(from, parsed.end));
    const schema: KnownSchema = { text: schemaText, bytes: Buffer.from(schemaText, 'utf8'), json: parsed.value };
    this.known.unshift(schema);
    if (this.known.length > maxSchemas) this.known.pop();
    return schema;
  }
}

/** The JSON value at `start`, or null when there is none. */
function parseValueAt(text: string, start: number): { value: unknown; end: number } | null {
  try {
    return parseExactJsonAt(text, start);
  } catch (error) {
    if (error instanceof ExactJsonSyntaxError) return null;
    throw error;
  }
}

/** JSON's four whitespace characters only (`trim` would take more than a JSON parser does). */
export function onlyJsonWhitespace(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/** The cache record decoding uses when it is given none. */
export const sharedSchemaTexts = new SchemaTextCache();
