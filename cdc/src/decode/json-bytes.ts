/**
 * JSON read as UTF-8 bytes without building values: where a value ends,
 * under the same strict grammar as the exact parser (`exact-json.ts`), so
 * bytes it accepts are bytes the parser accepts. Used to hand the bytes of
 * a row on (see `row-transcoder.ts`) rather than parse them into objects.
 * UTF-8 validity is not checked here; callers check the whole record once.
 */

const Byte = {
  Tab: 9,
  Newline: 10,
  Return: 13,
  Space: 32,
  Quote: 34,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Zero: 48,
  Nine: 57,
  Colon: 58,
  UpperE: 69,
  OpenBracket: 91,
  Backslash: 92,
  CloseBracket: 93,
  LowerE: 101,
  LowerN: 110,
  OpenBrace: 123,
  CloseBrace: 125,
} as const;

export { Byte as JsonByte };

/** Nesting past this is left to the parser (the reader gives up; it never guesses). */
const maxDepth = 512;

const ByteClass = { Plain: 0, Special: 1 } as const;
/** Bytes that end a run of string content: the quote, the backslash, and control characters (which JSON refuses raw). */
const stringByteClass = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) stringByteClass[b] = ByteClass.Special;
stringByteClass[Byte.Quote] = ByteClass.Special;
stringByteClass[Byte.Backslash] = ByteClass.Special;

const escapable = new Uint8Array(128);
for (const c of '"\\/bfnrt') escapable[c.charCodeAt(0)] = 1;

/** The last buffer's memory as 32-bit words (one entry: a record's strings are all in one buffer). */
let wordsMemory: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

function wordsOf(memory: ArrayBufferLike): Uint32Array<ArrayBufferLike> {
  const length = Math.floor(memory.byteLength / 4);
  // The length too: a resizable buffer may have grown or shrunk since.
  if (memory !== wordsMemory || words.length !== length) {
    words = new Uint32Array(memory, 0, length);
    wordsMemory = memory;
  }
  return words;
}

/**
 * Where the run of ordinary string bytes from `i` ends: at a quote, a
 * backslash, a control byte, or `length`. Most of reading a row is this,
 * so it goes four bytes at a time where the memory is aligned: a word goes
 * by whole when none of its bytes is 0x22, 0x5C or below 0x20 (the usual
 * zero-byte tests on 32 bits; bytes from 0x80 pass, as in `stringByteClass`).
 */
function plainRunEnd(bytes: Buffer, from: number, length: number): number {
  const offset = bytes.byteOffset;
  let i = from;
  while (i < length && (offset + i) % 4 !== 0) {
    if (stringByteClass[bytes[i]!] !== ByteClass.Plain) return i;
    i++;
  }
  if (i >= length) return i;
  const memory = wordsOf(bytes.buffer);
  const end = Math.floor((offset + length) / 4);
  let w = (offset + i) / 4;
  for (; w < end; w++) {
    const x = memory[w]!;
    const quote = x ^ 0x22222222;
    const backslash = x ^ 0x5c5c5c5c;
    if ((((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((x - 0x20202020) & ~x)) & 0x80808080) break;
  }
  i = w * 4 - offset;
  while (i < length && stringByteClass[bytes[i]!] === ByteClass.Plain) i++;
  return i;
}

/** A cursor over JSON bytes; each reader returns false (leaving `pos` anywhere) when the bytes are not what it reads. */
export class JsonBytes {
  pos = 0;
  /** Whether the last string read had an escape in it. */
  escaped = false;

  constructor(readonly bytes: Buffer) {}

  skipWhitespace(): void {
    const bytes = this.bytes;
    let i = this.pos;
    for (;;) {
      const b = bytes[i];
      if (b !== Byte.Space && b !== Byte.Newline && b !== Byte.Return && b !== Byte.Tab) break;
      i++;
    }
    this.pos = i;
  }

  /** Moves past the byte `b` if it is next. */
  take(b: number): boolean {
    if (this.bytes[this.pos] !== b) return false;
    this.pos++;
    return true;
  }

  /** A string literal at `pos` (its quotes included); sets `escaped`. */
  string(): boolean {
    const bytes = this.bytes;
    const length = bytes.length;
    let i = this.pos;
    if (bytes[i] !== Byte.Quote) return false;
    i++;
    let escaped = false;
    for (;;) {
      i = plainRunEnd(bytes, i, length);
      if (i >= length) return false;
      const b = bytes[i]!;
      if (b === Byte.Quote) break;
      if (b !== Byte.Backslash) return false;
      escaped = true;
      const e = bytes[i + 1];
      if (e === 117 /* u */) {
        for (let k = 2; k < 6; k++) if (!isHex(bytes[i + k])) return false;
        i += 6;
        continue;
      }
      if (e === undefined || e >= 128 || escapable[e] !== 1) return false;
      i += 2;
    }
    this.pos = i + 1;
    this.escaped = escaped;
    return true;
  }

  /** A number literal; returns whether it is an integer (no fraction, no exponent), or null when it is not a number. */
  number(): boolean | null {
    const bytes = this.bytes;
    let i = this.pos;
    if (bytes[i] === Byte.Minus) i++;
    const first = bytes[i];
    if (first === Byte.Zero) i++;
    else if (first !== undefined && first > Byte.Zero && first <= Byte.Nine) i = digitsFrom(bytes, i);
    else return null;
    let integer = true;
    if (bytes[i] === Byte.Dot) {
      const end = digitsFrom(bytes, i + 1);
      if (end === i + 1) return null;
      i = end;
      integer = false;
    }
    if (bytes[i] === Byte.LowerE || bytes[i] === Byte.UpperE) {
      i++;
      if (bytes[i] === Byte.Plus || bytes[i] === Byte.Minus) i++;
      const end = digitsFrom(bytes, i);
      if (end === i) return null;
      i = end;
      integer = false;
    }
    this.pos = i;
    return integer;
  }

  /** Any one JSON value. */
  value(depth = 0): boolean {
    const b = this.bytes[this.pos];
    switch (b) {
      case Byte.Quote:
        return this.string();
      case Byte.OpenBrace:
        return depth < maxDepth && this.object(depth + 1);
      case Byte.OpenBracket:
        return depth < maxDepth && this.array(depth + 1);
      case 116 /* t */:
        return this.word(trueBytes);
      case 102 /* f */:
        return this.word(falseBytes);
      case 110 /* n */:
        return this.word(nullBytes);
      default:
        return this.number() !== null;
    }
  }

  /** The rest of an object whose `{` and any members are behind `pos`: more members (after a comma) or its `}`. */
  objectRest(depth: number): boolean {
    for (;;) {
      this.skipWhitespace();
      const next = this.bytes[this.pos++];
      if (next === Byte.CloseBrace) return true;
      if (next !== Byte.Comma) return false;
      if (!this.member(depth)) return false;
    }
  }

  private object(depth: number): boolean {
    this.pos++;
    this.skipWhitespace();
    if (this.take(Byte.CloseBrace)) return true;
    return this.member(depth) && this.objectRest(depth);
  }

  /** `"key": value`, whitespace allowed around either. */
  member(depth: number): boolean {
    this.skipWhitespace();
    if (!this.string()) return false;
    this.skipWhitespace();
    if (!this.take(Byte.Colon)) return false;
    this.skipWhitespace();
    return this.value(depth);
  }

  private array(depth: number): boolean {
    this.pos++;
    this.skipWhitespace();
    if (this.take(Byte.CloseBracket)) return true;
    for (;;) {
      this.skipWhitespace();
      if (!this.value(depth)) return false;
      this.skipWhitespace();
      const next = this.bytes[this.pos++];
      if (next === Byte.CloseBracket) return true;
      if (next !== Byte.Comma) return false;
    }
  }

  private word(word: Uint8Array): boolean {
    const bytes = this.bytes;
    for (let k = 0; k < word.length; k++) if (bytes[this.pos + k] !== word[k]) return false;
    this.pos += word.length;
    return true;
  }
}

const trueBytes = Buffer.from('true');
const falseBytes = Buffer.from('false');
const nullBytes = Buffer.from('null');

function digitsFrom(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    const b = bytes[i];
    if (b === undefined || b < Byte.Zero || b > Byte.Nine) return i;
    i++;
  }
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102));
}

/** Whether `bytes` has `prefix` at `at`. */
export function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false;
  return true;
}

/** The integer literal `[start, end)` as the exact parser reads it: a number when safe, a bigint past 2^53. */
export function integerAt(bytes: Buffer, start: number, end: number): number | bigint {
  const negative = bytes[start] === Byte.Minus;
  let value = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) value = value * 10 + (bytes[i]! - 48);
  if (value > Number.MAX_SAFE_INTEGER) return BigInt(bytes.toString('latin1', start, end));
  return negative ? -value : value;
}
