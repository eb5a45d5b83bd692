import { ExactJsonSyntaxError, parseExactJsonAt, parseExactJsonMembersAt, setKey } from './exact-json.js';
import type { EncodedRow } from './encoded-row.js';
import { JsonByte, JsonBytes, startsWith } from './json-bytes.js';
import type { KnownMembers } from './known-members.js';
import type { RowPlan } from './row-transcoder.js';

/**
 * A row object of a payload (`before`, `after`) left as its JSON bytes, so
 * that the row can be transcoded straight to its stored form (`RowPlan`)
 * rather than parsed into an object first. `parse` gives what parsing the
 * payload would have put there.
 */
export class RawRowJson {
  constructor(
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    /** The row transcoded under the envelope's `after` schema, or null (a `before` row, or one that did not transcode). */
    readonly encoded: EncodedRow | null,
  ) {}

  parse(): unknown {
    return parseExactJsonAt(this.bytes.toString('utf8', this.start, this.end), 0).value;
  }
}

const rowMembers: ReadonlySet<string> = new Set(['before', 'after']);
// The row members' keys as JSON writes them: recognised from the bytes, without making their strings.
const beforeKey = Buffer.from('"before"');
const afterKey = Buffer.from('"after"');

/**
 * The payload of an envelope record, given as the bytes after `"payload":`
 * (valid UTF-8, checked by the caller), parsed as the text path parses it
 * except that the `before` and `after` objects are kept as `RawRowJson`.
 * Members up to `after` are parsed one by one. After it (Debezium writes
 * `before`, `after`, then the rest) members are read from the bytes by the
 * envelope schema's names (`members`) while they come in its order, and
 * from the first that does not, the rest is parsed as one text. Null
 * unless the bytes are exactly a payload object, then the envelope's `}`
 * and whitespace, or when a key before the rest is escaped: the caller
 * then parses the ordinary way, which decides.
 */
export function parsePayloadKeepingRows(bytes: Buffer, afterPlan: RowPlan | null, members: KnownMembers | null): Record<string, unknown> | null {
  const reader = new JsonBytes(bytes);
  if (!reader.take(JsonByte.OpenBrace)) return null;
  const payload: Record<string, unknown> = {};
  reader.skipWhitespace();
  if (bytes[reader.pos] === JsonByte.CloseBrace) return null;
  // The schema's member after `after`: the rest is read member by member while it comes in the schema's order.
  let next = members === null ? -1 : members.indexOf('after') + 1;
  for (;;) {
    const memberStart = reader.pos;
    if ('after' in payload) {
      if (next > 0 && next < members!.names.length && members!.readMember(reader, next, payload)) next++;
      // Past the rows, and not in the schema's order: the rest of the payload in one parse.
      else return parseRestAsText(bytes.toString('utf8', memberStart), payload);
    } else if (!readLeadingMember(reader, payload, afterPlan)) {
      return null;
    }
    const end = afterMember(reader);
    if (end === null) return null;
    if (end) return envelopeEndsAt(bytes, reader.pos) ? payload : null;
  }
}

/** A member before the rest of the payload: the rows kept as bytes (the after row transcoded), anything else parsed. */
function readLeadingMember(reader: JsonBytes, payload: Record<string, unknown>, afterPlan: RowPlan | null): boolean {
  const bytes = reader.bytes;
  const memberStart = reader.pos;
  if (!reader.string() || reader.escaped) return false;
  const key = keyAt(bytes, memberStart, reader.pos);
  reader.skipWhitespace();
  if (!reader.take(JsonByte.Colon)) return false;
  reader.skipWhitespace();
  const first = bytes[reader.pos];
  const start = reader.pos;
  if (rowMembers.has(key) && (first === JsonByte.OpenBrace || first === JsonByte.LowerN) && !(key in payload)) {
    // The after row is transcoded as it is read; a row that does not transcode is only checked, to be parsed later.
    const encoded = first === JsonByte.OpenBrace && key === 'after' && afterPlan !== null ? afterPlan.transcode(bytes, start, 'payload.after') : null;
    if (encoded !== null) reader.pos = encoded.end;
    else if (!reader.value(1)) return false;
    payload[key] = first === JsonByte.LowerN ? null : new RawRowJson(bytes, start, reader.pos, encoded);
    return true;
  }
  if (!reader.value(1)) return false;
  setKey(payload, key, parseExactJsonAt(bytes.toString('utf8', start, reader.pos), 0).value);
  return true;
}

/** The unescaped key whose literal is `bytes[start, end)`. */
function keyAt(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === afterKey.length && startsWith(bytes, start, afterKey)) return 'after';
  if (length === beforeKey.length && startsWith(bytes, start, beforeKey)) return 'before';
  return bytes.toString('utf8', start + 1, end - 1);
}

/** After a member's value: true at the payload's `}` (taken), false past a comma before another member, null for anything else. */
function afterMember(reader: JsonBytes): boolean | null {
  reader.skipWhitespace();
  if (reader.take(JsonByte.CloseBrace)) return true;
  if (!reader.take(JsonByte.Comma)) return null;
  reader.skipWhitespace();
  return false;
}

function parseRestAsText(text: string, payload: Record<string, unknown>): Record<string, unknown> | null {
  let end: number;
  try {
    end = parseExactJsonMembersAt(text, 0, payload);
  } catch (error) {
    if (error instanceof ExactJsonSyntaxError) return null;
    throw error;
  }
  if (text.charCodeAt(end) !== JsonByte.CloseBrace) return null;
  for (let i = end + 1; i < text.length; i++) if (!isWhitespace(text.charCodeAt(i))) return null;
  return payload;
}

/** The envelope's own `}` at `at`, then only JSON whitespace. */
function envelopeEndsAt(bytes: Buffer, at: number): boolean {
  if (bytes[at] !== JsonByte.CloseBrace) return false;
  for (let i = at + 1; i < bytes.length; i++) if (!isWhitespace(bytes[i]!)) return false;
  return true;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** A payload with any kept rows parsed, for decoders that read it as plain JSON (not a change envelope after all). */
export function withRowsParsed(payload: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (!(payload['before'] instanceof RawRowJson) && !(payload['after'] instanceof RawRowJson)) return payload;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    setKey(out, key, value instanceof RawRowJson ? value.parse() : value);
  }
  return out;
}
