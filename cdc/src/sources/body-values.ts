import { parseExactJsonAt, sharedSchemaTexts, type SchemaTextCache } from '../decode/index.js';
import { JsonByte, JsonBytes } from '../decode/json-bytes.js';

/** One event of an HTTP body: its bytes (or JSON text, or null for a null element), for the decoder and for dead letters. */
export interface BodyValue {
  readonly value: Uint8Array | string | null;
}

/**
 * The events of an HTTP body as Debezium Server's HTTP sink posts it: one
 * event value, or (batch mode) a JSON array of them, each an object or JSON
 * text in a string. A body that is not JSON is one value, for the decoder
 * to refuse.
 *
 * An array's elements are found in its bytes and handed over as slices of
 * them, so that each is decoded from bytes like a file's line: a known
 * schema recognised by its bytes, the row transcoded (see `RowPlan`). The
 * elements are read under the exact parser's grammar, skipping a schema
 * already seen, so any body the parser would refuse is one value as before.
 * A string element is JSON text, decoded as any record's.
 */
export function bodyValues(body: Uint8Array | string, schemas: SchemaTextCache = sharedSchemaTexts): BodyValue[] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const reader = new JsonBytes(bytes);
  reader.skipWhitespace();
  if (!reader.take(JsonByte.OpenBracket)) return [{ value: body }];
  return arrayValues(reader, schemas) ?? [{ value: body }];
}

function arrayValues(reader: JsonBytes, schemas: SchemaTextCache): BodyValue[] | null {
  const values: BodyValue[] = [];
  reader.skipWhitespace();
  if (reader.take(JsonByte.CloseBracket)) return endsAt(reader) ? values : null;
  for (;;) {
    const start = reader.pos;
    if (!elementEnd(reader, schemas)) return null;
    values.push(bodyValue(reader.bytes, start, reader.pos));
    reader.skipWhitespace();
    if (reader.take(JsonByte.CloseBracket)) return endsAt(reader) ? values : null;
    if (!reader.take(JsonByte.Comma)) return null;
    reader.skipWhitespace();
  }
}

/** Moves past one element; an envelope whose schema was seen before is checked from its payload on (the schema matched byte for byte). */
function elementEnd(reader: JsonBytes, schemas: SchemaTextCache): boolean {
  const payloadStart = schemas.payloadStartOf(reader.bytes, reader.pos);
  if (payloadStart < 0) return reader.value(1);
  reader.pos = payloadStart;
  return reader.value(2) && reader.objectRest(1);
}

function bodyValue(body: Buffer, start: number, end: number): BodyValue {
  const first = body[start];
  if (first === JsonByte.LowerN) return { value: null };
  if (first === JsonByte.Quote) return { value: parseExactJsonAt(body.toString('utf8', start, end), 0).value as string };
  return { value: body.subarray(start, end) };
}

function endsAt(reader: JsonBytes): boolean {
  reader.skipWhitespace();
  return reader.pos === reader.bytes.length;
}
