import { ExactJsonSyntaxError, onlyJsonWhitespace, parseExactJsonAt, sharedSchemaTexts, type SchemaTextCache } from '../decode/index.js';

/** One event of an HTTP body: its text (for dead letters), and its parse when the body already gave it. */
export interface BodyValue {
  readonly value: string | null;
  /** The value's JSON, exactly as the decoder would parse `value`; absent when the decoder is to parse the text itself. */
  readonly parsedValue?: unknown;
}

const whitespace = /[ \t\n\r]*/y;

/**
 * The events of an HTTP body as Debezium Server's HTTP sink posts it: one
 * event value, or (batch mode) a JSON array of them, each an object or JSON
 * text in a string. A body that is not JSON is one value, for the decoder
 * to refuse.
 *
 * An array is parsed once, with the decoder's exact parse, and each object
 * handed over parsed, with its own slice of the body as its text: no
 * parse → stringify → parse again. Envelopes whose schema text was seen
 * before skip the schema (see `SchemaTextCache`). A string element is JSON
 * text, parsed by the decoder as any record's.
 */
export function bodyValues(body: string, schemas: SchemaTextCache = sharedSchemaTexts): BodyValue[] {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('[')) return [{ value: body }];
  try {
    return arrayValues(trimmed, schemas);
  } catch (error) {
    if (error instanceof ExactJsonSyntaxError) return [{ value: body }];
    throw error;
  }
}

function arrayValues(text: string, schemas: SchemaTextCache): BodyValue[] {
  const values: BodyValue[] = [];
  let at = skipWhitespace(text, 1);
  if (text.charCodeAt(at) === 93 /* ] */) return finish(text, at + 1, values);
  for (;;) {
    const start = at;
    const element = schemas.parseEnvelopeAt(text, start) ?? parseExactJsonAt(text, start);
    values.push(bodyValue(element.value, text.slice(start, element.end)));
    at = skipWhitespace(text, element.end);
    const next = text.charCodeAt(at);
    if (next === 93 /* ] */) return finish(text, at + 1, values);
    if (next !== 44 /* , */) throw new ExactJsonSyntaxError('a comma or ] expected');
    at = skipWhitespace(text, at + 1);
  }
}

function bodyValue(parsed: unknown, text: string): BodyValue {
  if (parsed === null) return { value: null };
  if (typeof parsed === 'string') return { value: parsed };
  return { value: text, parsedValue: parsed };
}

function finish(text: string, end: number, values: BodyValue[]): BodyValue[] {
  if (!onlyJsonWhitespace(text, end)) throw new ExactJsonSyntaxError('text after the array');
  return values;
}

function skipWhitespace(text: string, from: number): number {
  whitespace.lastIndex = from;
  whitespace.test(text);
  return whitespace.lastIndex;
}
