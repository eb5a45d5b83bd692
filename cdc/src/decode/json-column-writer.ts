import type { ValueWriter } from '@shoal/client/protocol';
import { jsonWhitespaceEnd } from './exact-json.js';
import { JsonByte as Code } from './json-bytes.js';

/** Deeper than this, a Json column is encoded the ordinary way. */
const maxDepth = 16;
/** A fixmap or fixarray holds at most 15 members; a larger container is encoded the ordinary way. */
const maxFixMembers = 15;
/** An integer literal of this many digits may pass 2^53: the ordinary way keeps it exact (see `parsePlainJson`). */
const maxPlainIntegerDigits = 15;

/** JSON's one-letter escapes, after a backslash. */
const simpleEscapes = '"\\/bfnrt';

const arrayIndex = /^(?:0|[1-9]\d{0,9})$/;

/** A key JS orders before the others in an object (an array index, roughly: up to ten digits): the parsed object would not keep the text's order. */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= Code.Zero && first <= Code.Nine && arrayIndex.test(key);
}

/**
 * Writes an `io.debezium.data.Json` column's text as the bytes
 * `encodeValuePart(decodeJsonColumn(text))` gives, without building the
 * value (parsing it and encoding the object cost a tenth of decoding a
 * row). It takes the common shapes only — objects and arrays of fewer than
 * 16 members, no repeated keys, no array-index keys, no integer of more
 * than 15 digits, 16 levels at most — and returns false, with the writer
 * as it was, for anything else, valid or not, so that the caller decodes
 * the ordinary way, which gives the same bytes or the same error. A
 * property test holds the two ways to the same bytes.
 */
export function writeJsonText(text: string, writer: ValueWriter): boolean {
  const mark = writer.length;
  const transcoder = new JsonTextTranscoder(text, writer);
  if (transcoder.value(0) && transcoder.atEnd()) return true;
  writer.rewind(mark);
  return false;
}

class JsonTextTranscoder {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly writer: ValueWriter,
  ) {}

  atEnd(): boolean {
    this.skipWhitespace();
    return this.pos === this.text.length;
  }

  value(depth: number): boolean {
    this.skipWhitespace();
    const text = this.text;
    switch (text.charCodeAt(this.pos)) {
      case Code.OpenBrace:
        return this.object(depth);
      case Code.OpenBracket:
        return this.array(depth);
      case Code.Quote: {
        const string = this.string();
        if (string === null) return false;
        this.writer.string(string);
        return true;
      }
      case 0x74 /* t */:
        return this.literal('true') && (this.writer.boolean(true), true);
      case 0x66 /* f */:
        return this.literal('false') && (this.writer.boolean(false), true);
      case Code.LowerN:
        return this.literal('null') && (this.writer.nil(), true);
      default:
        return this.number();
    }
  }

  private object(depth: number): boolean {
    if (depth >= maxDepth) return false;
    const writer = this.writer;
    const header = writer.placeholder();
    const keys: string[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.take(Code.CloseBrace)) {
      writer.fixHeader(header, 'map', 0);
      return true;
    }
    for (;;) {
      if (keys.length === maxFixMembers) return false;
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== Code.Quote) return false;
      const key = this.string();
      if (key === null || isArrayIndex(key) || keys.includes(key)) return false;
      keys.push(key);
      writer.string(key);
      this.skipWhitespace();
      if (!this.take(Code.Colon) || !this.value(depth + 1)) return false;
      this.skipWhitespace();
      if (this.take(Code.Comma)) continue;
      if (!this.take(Code.CloseBrace)) return false;
      writer.fixHeader(header, 'map', keys.length);
      return true;
    }
  }

  private array(depth: number): boolean {
    if (depth >= maxDepth) return false;
    const writer = this.writer;
    const header = writer.placeholder();
    let items = 0;
    this.pos++;
    this.skipWhitespace();
    if (this.take(Code.CloseBracket)) {
      writer.fixHeader(header, 'array', 0);
      return true;
    }
    for (;;) {
      if (items === maxFixMembers || !this.value(depth + 1)) return false;
      items++;
      this.skipWhitespace();
      if (this.take(Code.Comma)) continue;
      if (!this.take(Code.CloseBracket)) return false;
      writer.fixHeader(header, 'array', items);
      return true;
    }
  }

  /** The string literal at `pos`, unescaped; null when it is not a valid one. */
  private string(): string | null {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const code = text.charCodeAt(i);
      if (code === Code.Quote) break;
      if (Number.isNaN(code) || code < Code.Space) return null;
      if (code === Code.Backslash) {
        const next = text.charCodeAt(i + 1);
        if (next === 0x75 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return null;
          i += 6;
        } else if (i + 1 < text.length && simpleEscapes.includes(text.charAt(i + 1))) i += 2;
        else return null;
        escaped = true;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    // The literal is valid by now: JSON.parse unescapes it as parsing the whole text would.
    return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
  }

  /** A number literal as JSON.parse reads it; false for anything else, and for an integer the ordinary way keeps exact. */
  private number(): boolean {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === Code.Minus) i++;
    const first = text.charCodeAt(i);
    if (first === Code.Zero) i++;
    else if (first > Code.Zero && first <= Code.Nine) i = this.digitsFrom(i);
    else return false;
    let integer = true;
    if (text.charCodeAt(i) === Code.Dot) {
      const end = this.digitsFrom(i + 1);
      if (end === i + 1) return false;
      i = end;
      integer = false;
    }
    const e = text.charCodeAt(i);
    if (e === Code.LowerE || e === Code.UpperE) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === Code.Plus || sign === Code.Minus) i++;
      const end = this.digitsFrom(i);
      if (end === i) return false;
      i = end;
      integer = false;
    }
    this.pos = i;
    if (!integer) {
      this.writer.number(Number(text.slice(start, i)));
      return true;
    }
    const negative = text.charCodeAt(start) === Code.Minus;
    if (i - start - (negative ? 1 : 0) > maxPlainIntegerDigits) return false;
    let value = 0;
    for (let k = negative ? start + 1 : start; k < i; k++) value = value * 10 + (text.charCodeAt(k) - Code.Zero);
    this.writer.number(negative ? -value : value);
    return true;
  }

  private digitsFrom(i: number): number {
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(i);
      if (!(code >= Code.Zero && code <= Code.Nine)) return i;
      i++;
    }
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  private take(code: number): boolean {
    if (this.text.charCodeAt(this.pos) !== code) return false;
    this.pos++;
    return true;
  }

  private skipWhitespace(): void {
    this.pos = jsonWhitespaceEnd(this.text, this.pos);
  }
}
