import { LosslessNumber } from 'lossless-json';

/**
 * A strict JSON parser whose result is exactly what `parse` of lossless-json
 * gives with `parseJsonNumber` below and last-wins duplicate keys (the
 * decoder's reference parse), at a fraction of its cost: strings and
 * numbers are matched by sticky regular expressions, so the per-character
 * work runs in the regex engine rather than in a JavaScript loop.
 *
 * Why not `JSON.parse`: it rounds every integer past 2^53, and every
 * Debezium 2.5+ event carries one (`ts_ns`), so a "`JSON.parse`, else
 * re-parse" scheme would re-parse every real event; and a decimal written
 * as a number (`decimal.format=NUMERIC`) needs its literal's digits, which
 * a double cannot give back.
 *
 * On invalid input it throws `ExactJsonSyntaxError` without a message worth
 * showing: callers that report the reason ask lossless-json for its words.
 */
export class ExactJsonSyntaxError extends Error {}

// A string without escapes (the common case), then one with them; both refuse control characters as JSON does.
const plainString = /"[^"\\\u0000-\u001f]*"/y;
const escapedString = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const numberLiteral = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

const Code = {
  Tab: 9,
  Newline: 10,
  Return: 13,
  Space: 32,
  Quote: 34,
  Comma: 44,
  Minus: 45,
  Colon: 58,
  OpenBracket: 91,
  CloseBracket: 93,
  OpenBrace: 123,
  CloseBrace: 125,
  LowerF: 102,
  LowerN: 110,
  LowerT: 116,
} as const;

/**
 * How the decoder keeps JSON numbers: integers as `number` when safe and
 * `bigint` otherwise; any other number as `number` when its text is what
 * that number prints as, else as a `LosslessNumber` holding the text.
 */
export function parseJsonNumber(text: string, integer: boolean): number | bigint | LosslessNumber {
  const value = Number(text);
  if (integer) return Number.isSafeInteger(value) ? value : BigInt(text);
  return String(value) === text ? value : new LosslessNumber(text);
}

/** Parses a whole JSON text (whitespace allowed around the value). */
export function parseExactJson(text: string): unknown {
  const parser = new ExactJsonParser(text, 0);
  const value = parser.document();
  return value;
}

/** Parses the one JSON value that starts exactly at `start`; returns it and the index just after it. */
export function parseExactJsonAt(text: string, start: number): { readonly value: unknown; readonly end: number } {
  const parser = new ExactJsonParser(text, start);
  const value = parser.value();
  return { value, end: parser.position };
}

/**
 * The rest of an object whose earlier members are already in `object`:
 * members from the key at `start` to the closing `}`, added as `parse`
 * would add them (a repeated key replaces the value in its first place).
 * Returns the index just after the `}`.
 */
export function parseExactJsonMembersAt(text: string, start: number, object: Record<string, unknown>): number {
  const parser = new ExactJsonParser(text, start);
  parser.members(object);
  return parser.position;
}

class ExactJsonParser {
  constructor(
    private readonly text: string,
    public position: number,
  ) {}

  document(): unknown {
    this.skipWhitespace();
    const value = this.value();
    this.skipWhitespace();
    if (this.position !== this.text.length) throw new ExactJsonSyntaxError('text after the JSON value');
    return value;
  }

  value(): unknown {
    const code = this.text.charCodeAt(this.position);
    switch (code) {
      case Code.Quote:
        return this.string();
      case Code.OpenBrace:
        return this.object();
      case Code.OpenBracket:
        return this.array();
      case Code.LowerT:
        return this.keyword('true', true);
      case Code.LowerF:
        return this.keyword('false', false);
      case Code.LowerN:
        return this.keyword('null', null);
      default:
        if (code === Code.Minus || (code >= 48 && code <= 57)) return this.number();
        throw new ExactJsonSyntaxError('a JSON value expected');
    }
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) === Code.CloseBrace) {
      this.position++;
      return object;
    }
    this.members(object);
    return object;
  }

  /** Members from a key at `position` to the object's `}` (inclusive), into `object`. */
  members(object: Record<string, unknown>): void {
    for (;;) {
      if (this.text.charCodeAt(this.position) !== Code.Quote) throw new ExactJsonSyntaxError('a quoted key expected');
      const key = this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.position) !== Code.Colon) throw new ExactJsonSyntaxError('a colon expected');
      this.position++;
      this.skipWhitespace();
      setKey(object, key, this.value());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.position++);
      if (next === Code.CloseBrace) return;
      if (next !== Code.Comma) throw new ExactJsonSyntaxError('a comma or } expected');
      this.skipWhitespace();
    }
  }

  private array(): unknown[] {
    const array: unknown[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) === Code.CloseBracket) {
      this.position++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.position++);
      if (next === Code.CloseBracket) return array;
      if (next !== Code.Comma) throw new ExactJsonSyntaxError('a comma or ] expected');
      this.skipWhitespace();
    }
  }

  private string(): string {
    const start = this.position;
    plainString.lastIndex = start;
    if (plainString.test(this.text)) {
      this.position = plainString.lastIndex;
      return this.text.slice(start + 1, this.position - 1);
    }
    escapedString.lastIndex = start;
    if (!escapedString.test(this.text)) throw new ExactJsonSyntaxError('an invalid string');
    this.position = escapedString.lastIndex;
    // The literal is valid JSON by now, and JSON.parse unescapes exactly as lossless-json does.
    return JSON.parse(this.text.slice(start, this.position)) as string;
  }

  private number(): number | bigint | LosslessNumber {
    const small = this.smallInteger();
    if (small !== undefined) return small;
    const start = this.position;
    numberLiteral.lastIndex = start;
    const match = numberLiteral.exec(this.text);
    if (match === null) throw new ExactJsonSyntaxError('an invalid number');
    this.position = numberLiteral.lastIndex;
    return parseJsonNumber(match[0], match[1] === undefined && match[2] === undefined);
  }

  /**
   * An integer literal (no fraction, no exponent), summed digit by digit:
   * the sum is exact while it stays a safe integer, and a literal past that
   * sums to a double past it too (rounding is monotone), which then becomes
   * a bigint as `parseJsonNumber` makes it. Debezium's MicroTimestamps and
   * `ts_us` have 16 digits and `ts_ns` 19; this spares them the regular
   * expression. Undefined for anything else, which the regular expression
   * then reads.
   */
  private smallInteger(): number | bigint | undefined {
    const text = this.text;
    const start = this.position;
    const negative = text.charCodeAt(start) === Code.Minus;
    let i = negative ? start + 1 : start;
    const first = i;
    let value = 0;
    for (;;) {
      const digit = text.charCodeAt(i) - 48;
      // Past the end charCodeAt is NaN, which fails both comparisons.
      if (!(digit >= 0 && digit <= 9)) break;
      value = value * 10 + digit;
      i++;
    }
    const digits = i - first;
    const next = text.charCodeAt(i);
    if (digits === 0 || (digits > 1 && text.charCodeAt(first) === 48) || next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) {
      return undefined;
    }
    this.position = i;
    if (value > Number.MAX_SAFE_INTEGER) return BigInt(text.slice(start, i));
    return negative ? -value : value;
  }

  private keyword<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) throw new ExactJsonSyntaxError('a JSON value expected');
    this.position += word.length;
    return value;
  }

  private skipWhitespace(): void {
    this.position = jsonWhitespaceEnd(this.text, this.position);
  }
}

/** Where the JSON whitespace (space, tab, CR, LF) from `from` of `text` ends. */
export function jsonWhitespaceEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code !== Code.Space && code !== Code.Newline && code !== Code.Return && code !== Code.Tab) return i;
    i++;
  }
}

/** Last one wins, in the first one's place, as in lossless-json; `__proto__` is an own key, as JSON.parse makes it. */
export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
