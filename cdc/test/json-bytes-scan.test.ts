import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../src/decode/json-bytes.js';

/*
 * `JsonBytes.string()` skips ordinary bytes a 32-bit word at a time, with
 * words aligned on the memory rather than on the view. Whether it is right
 * therefore depends on things a bytewise reader never cares about: the
 * view's byteOffset mod 4, the literal's start mod 4, which lane of a word
 * a special byte sits in, what the memory holds past the view's end, and
 * which ArrayBuffer was read last (the words view is cached). Every test
 * here compares it with a plain bytewise reader that knows none of that.
 */

interface Read {
  ok: boolean;
  /** Just past the closing quote; -1 when not ok. */
  end: number;
  escaped: boolean;
}

const refused: Read = { ok: false, end: -1, escaped: false };

const Quote = 0x22;
const Backslash = 0x5c;
const escapeLetters = new Set([...'"\\/bfnrt'].map((c) => c.charCodeAt(0)));

function isHexByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** RFC 8259 string literal, one byte at a time, never looking at or past `bytes.length`. */
function referenceString(bytes: Uint8Array, start: number): Read {
  const length = bytes.length;
  if (start >= length || bytes[start] !== Quote) return refused;
  let escaped = false;
  let i = start + 1;
  for (;;) {
    if (i >= length) return refused;
    const b = bytes[i]!;
    if (b === Quote) return { ok: true, end: i + 1, escaped };
    if (b < 0x20) return refused;
    if (b !== Backslash) {
      i++;
      continue;
    }
    escaped = true;
    if (i + 1 >= length) return refused;
    const e = bytes[i + 1]!;
    if (e === 0x75 /* u */) {
      if (i + 6 > length) return refused;
      for (let k = 2; k < 6; k++) if (!isHexByte(bytes[i + k]!)) return refused;
      i += 6;
    } else if (escapeLetters.has(e)) {
      i += 2;
    } else {
      return refused;
    }
  }
}

/**
 * What `string()` says. `escaped` is primed with the wrong answer so a reader
 * that forgot to set it on success is caught rather than agreeing by luck.
 */
function actualString(view: Buffer, start: number, primeEscaped: boolean): Read {
  const reader = new JsonBytes(view);
  reader.pos = start;
  reader.escaped = primeEscaped;
  if (!reader.string()) return refused;
  return { ok: true, end: reader.pos, escaped: reader.escaped };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

/** A mismatch written so the failing input can be rebuilt from the report alone. */
function compare(view: Buffer, start: number, label: string): string | null {
  const expected = referenceString(view, start);
  const actual = actualString(view, start, !expected.escaped);
  if (actual.ok === expected.ok && actual.end === expected.end && actual.escaped === expected.escaped) return null;
  return `${label} byteOffset=${view.byteOffset} start=${start} view=[${hex(view)}] expected=${JSON.stringify(expected)} actual=${JSON.stringify(actual)}`;
}

/** Keeps the first few mismatches: one failing case is enough to read, a hundred thousand are not. */
class Mismatches {
  readonly found: string[] = [];
  count = 0;
  checked = 0;

  add(mismatch: string | null): void {
    this.checked++;
    if (mismatch === null) return;
    this.count++;
    if (this.found.length < 8) this.found.push(mismatch);
  }
}

const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];

/**
 * One insertion each. Beside the bytes that must stop the scan there are
 * their neighbours (0x1F/0x20, 0x21/0x23, 0x5B/0x5D) to catch an off-by-one
 * in the word masks, and the same bytes with the top bit set (0x9F, 0xA2,
 * 0xDC) to catch a mask that ignores bit 7: those are ordinary.
 */
const insertions: { name: string; bytes: number[] }[] = [
  { name: 'quote', bytes: [Quote] },
  { name: 'escape \\n', bytes: ascii('\\n') },
  { name: 'escape \\"', bytes: ascii('\\"') },
  { name: 'escape \\\\', bytes: ascii('\\\\') },
  { name: 'escape \\/', bytes: ascii('\\/') },
  { name: 'escape \\u00e9', bytes: ascii('\\u00e9') },
  { name: 'escape \\uABCD', bytes: ascii('\\uABCD') },
  { name: 'bad escape \\x', bytes: ascii('\\x') },
  // A bad digit in each of the four places, so none of them goes unchecked.
  { name: 'bad escape \\ug0e9', bytes: ascii('\\ug0e9') },
  { name: 'bad escape \\u0Ge9', bytes: ascii('\\u0Ge9') },
  { name: 'bad escape \\u00:9', bytes: ascii('\\u00:9') },
  { name: 'bad escape \\u00e/', bytes: ascii('\\u00e/') },
  { name: 'lone backslash', bytes: [Backslash] },
  { name: 'control 0x00', bytes: [0x00] },
  { name: 'control 0x0a', bytes: [0x0a] },
  { name: 'control 0x1f', bytes: [0x1f] },
  { name: 'space 0x20', bytes: [0x20] },
  { name: '0x21', bytes: [0x21] },
  { name: '0x23', bytes: [0x23] },
  { name: '0x5b', bytes: [0x5b] },
  { name: '0x5d', bytes: [0x5d] },
  { name: 'DEL 0x7f', bytes: [0x7f] },
  { name: 'high 0x80', bytes: [0x80] },
  { name: 'high 0x9f', bytes: [0x9f] },
  { name: 'high 0xa2', bytes: [0xa2] },
  { name: 'high 0xdc', bytes: [0xdc] },
  { name: 'high 0xff', bytes: [0xff] },
  { name: 'utf-8 é', bytes: [0xc3, 0xa9] },
  { name: 'utf-8 €', bytes: [0xe2, 0x82, 0xac] },
];

const plainText = ascii('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

/** How the literal ends inside the view. */
const endings = [
  { name: 'closed at view end', closed: true, tail: 0, flush: false },
  { name: 'closed, 5 bytes follow', closed: true, tail: 5, flush: false },
  { name: 'unterminated', closed: false, tail: 0, flush: false },
  // Flush with the ArrayBuffer's end: the word holding the last bytes is
  // partial there, and reading it whole would be past the memory.
  { name: 'closed at the end of the ArrayBuffer', closed: true, tail: 0, flush: true },
  { name: 'unterminated at the end of the ArrayBuffer', closed: false, tail: 0, flush: true },
] as const;

describe('JsonBytes.string() word scan, exhaustively over small cases', () => {
  it('agrees with a bytewise reader for every byteOffset, start, length and placement of a special byte', () => {
    const maxContent = 24;
    const longestInsertion = Math.max(...insertions.map((s) => s.bytes.length));
    // Memory around the view is quotes: a scan that strays before its start
    // or past the view's end finds a closing quote the reference never sees.
    const spacious = new Uint8Array(8 + 8 + 1 + maxContent + longestInsertion + 1 + 5 + 8);
    // One ArrayBuffer per size, so that a view can end where its memory does.
    const exactMemories = new Map<number, Uint8Array>();
    const exactMemory = (size: number): Uint8Array => {
      let exact = exactMemories.get(size);
      if (exact === undefined) exactMemories.set(size, (exact = new Uint8Array(size)));
      return exact;
    };
    const mismatches = new Mismatches();
    for (let offset = 0; offset < 8; offset++) {
      for (let start = 0; start < 8; start++) {
        for (let length = 0; length <= maxContent; length++) {
          for (const insertion of insertions) {
            for (let at = 0; at <= length; at++) {
              for (const ending of endings) {
                const viewLength = start + 1 + length + insertion.bytes.length + (ending.closed ? 1 : 0) + ending.tail;
                const memory = ending.flush ? exactMemory(offset + viewLength) : spacious;
                memory.fill(Quote);
                let w = offset + start;
                memory[w++] = Quote;
                for (let k = 0; k < at; k++) memory[w++] = plainText[k]!;
                for (const b of insertion.bytes) memory[w++] = b;
                for (let k = at; k < length; k++) memory[w++] = plainText[k]!;
                if (ending.closed) w++; // already a quote
                for (let k = 0; k < ending.tail; k++) memory[w++] = plainText[k]!;
                if (w - offset !== viewLength) throw new Error(`test layout: wrote ${w - offset} bytes, meant ${viewLength}`);
                const view = Buffer.from(memory.buffer, offset, viewLength);
                mismatches.add(compare(view, start, `${insertion.name} at ${at} of ${length}, ${ending.name}:`));
              }
            }
          }
        }
      }
    }
    expect(mismatches.found).toEqual([]);
    expect(mismatches.count).toBe(0);
    expect(mismatches.checked).toBe(8 * 8 * insertions.length * endings.length * ((maxContent + 1) * (maxContent + 2)) / 2);
  });

  it('reads long plain runs that cross many words, with the stop in every lane of the last one', () => {
    const mismatches = new Mismatches();
    const memory = new Uint8Array(8 + 8 + 300 + 16);
    for (let offset = 0; offset < 8; offset++) {
      for (let start = 0; start < 8; start++) {
        for (let length = 120; length < 136; length++) {
          for (const stop of [[Quote], [0x1f], [0x00], ascii('\\t'), [0xff]]) {
            memory.fill(Quote);
            let w = offset + start;
            memory[w++] = Quote;
            for (let k = 0; k < length; k++) memory[w++] = plainText[k % plainText.length]!;
            for (const b of stop) memory[w++] = b;
            for (let k = 0; k < 40; k++) memory[w++] = 0x80 + (k % 0x80);
            w++; // the quote left by fill closes it
            const view = Buffer.from(memory.buffer, offset, w - offset);
            mismatches.add(compare(view, start, `stop [${hex(Uint8Array.from(stop))}] after ${length}:`));
          }
        }
      }
    }
    expect(mismatches.found).toEqual([]);
    expect(mismatches.checked).toBe(8 * 8 * 16 * 5);
  });
});

describe('JsonBytes.string() at the end of its view', () => {
  // The words view covers the whole ArrayBuffer, so a word straddling the
  // view's end holds bytes the Buffer does not: a quote there must not close
  // a literal that is unterminated as far as the view goes.
  const ends: { name: string; content: number[] }[] = [
    { name: 'plain', content: [] },
    { name: 'after a backslash', content: [Backslash] },
    { name: 'inside \\u', content: ascii('\\u00') },
    { name: 'after high bytes', content: [0xc3, 0xa9] },
  ];

  it('refuses a literal cut off by the view end although the memory after it holds a quote (Buffer.from(arrayBuffer, offset, length))', () => {
    const mismatches = new Mismatches();
    let refusals = 0;
    for (let offset = 0; offset < 8; offset++) {
      for (let start = 0; start < 8; start++) {
        for (let length = 0; length <= 20; length++) {
          for (const end of ends) {
            const memory = new Uint8Array(offset + start + 1 + length + end.content.length + 12).fill(Quote);
            let w = offset + start + 1;
            for (let k = 0; k < length; k++) memory[w++] = plainText[k]!;
            for (const b of end.content) memory[w++] = b;
            // For \u, the memory goes on with the rest of a valid escape and then the quote.
            if (end.name === 'inside \\u') memory.set(ascii('e9'), w);
            const view = Buffer.from(memory.buffer, offset, w - offset);
            const mismatch = compare(view, start, `${end.name}, ${length} plain:`);
            mismatches.add(mismatch);
            if (!actualString(view, start, false).ok) refusals++;
          }
        }
      }
    }
    expect(mismatches.found).toEqual([]);
    expect(refusals).toBe(mismatches.checked);
  });

  it('refuses the same through Buffer.alloc(n).subarray(offset, end), for every end mod 4', () => {
    const mismatches = new Mismatches();
    for (let offset = 0; offset < 8; offset++) {
      for (let viewLength = 1; viewLength <= 24; viewLength++) {
        const whole = Buffer.alloc(offset + viewLength + 8, Quote);
        whole.fill(0x61, offset + 1, offset + viewLength);
        const view = whole.subarray(offset, offset + viewLength);
        expect(view.byteOffset % 4).toBe(offset % 4);
        mismatches.add(compare(view, 0, `subarray ${offset}..${offset + viewLength}:`));
        expect(actualString(view, 0, false).ok).toBe(false);
        // The same literal with its closing quote inside the view is fine.
        const closed = whole.subarray(offset, offset + viewLength + 1);
        expect(actualString(closed, 0, true)).toEqual({ ok: true, end: viewLength + 1, escaped: false });
      }
    }
    expect(mismatches.found).toEqual([]);
  });

  it('refuses an opening quote that is the last byte of the view, and a start at or past the end', () => {
    for (let offset = 0; offset < 8; offset++) {
      const memory = new Uint8Array(offset + 16).fill(Quote);
      const view = Buffer.from(memory.buffer, offset, 5);
      expect(actualString(view, 4, false).ok).toBe(false);
      expect(actualString(view, 5, false).ok).toBe(false);
      expect(actualString(view, 9, false).ok).toBe(false);
      // `""` at 3..4 is inside the view: the control for the two lines above.
      expect(actualString(view, 3, true)).toEqual({ ok: true, end: 5, escaped: false });
    }
  });
});

describe('JsonBytes.string() against the bytewise reader on random bytes', () => {
  const letter = fc.integer({ min: 0x61, max: 0x7a }).map((b) => [b]);
  const hexDigit = fc.constantFrom(...ascii('0123456789abcdefABCDEF'));
  const notHexDigit = fc.constantFrom(...ascii('gG/:@`xX "\\'), 0x00, 0xff);
  const token = fc.oneof(
    { weight: 12, arbitrary: fc.array(fc.integer({ min: 0x20, max: 0x7e }).filter((b) => b !== Quote && b !== Backslash), { minLength: 1, maxLength: 40 }) },
    { weight: 4, arbitrary: letter },
    { weight: 4, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]) },
    { weight: 2, arbitrary: fc.constant([Quote]) },
    { weight: 3, arbitrary: fc.constantFrom(...escapeLetters).map((e) => [Backslash, e]) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof({ weight: 8, arbitrary: hexDigit }, { weight: 1, arbitrary: notHexDigit }), { minLength: 4, maxLength: 4 })
        .map((digits) => [Backslash, 0x75, ...digits]),
    },
    { weight: 1, arbitrary: fc.constant([Backslash]) },
    { weight: 1, arbitrary: fc.integer({ min: 0x00, max: 0x1f }).map((b) => [b]) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
  );
  // Surrounding memory: quotes often, so straying outside the view shows.
  const noise = fc.oneof(
    { weight: 3, arbitrary: fc.constant(Quote) },
    { weight: 1, arbitrary: fc.constant(Backslash) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
  );
  const scenario = fc.record({
    offset: fc.nat({ max: 11 }),
    before: fc.array(noise, { minLength: 11, maxLength: 11 }),
    prefix: fc.array(noise, { maxLength: 9 }),
    opens: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    tokens: fc.array(token, { maxLength: 24 }),
    // Cut the view short of the bytes written, so the view's end lands mid-literal.
    cut: fc.option(fc.nat({ max: 400 }), { freq: 3 }),
    after: fc.array(noise, { maxLength: 9 }),
  });

  it('agrees on ok, end and escaped', () => {
    fc.assert(
      fc.property(scenario, ({ offset, before, prefix, opens, tokens, cut, after }) => {
        const written = [...prefix, ...(opens ? [Quote] : []), ...tokens.flat()];
        const viewLength = cut === null ? written.length : cut % (written.length + 1);
        const memory = new Uint8Array(offset + written.length + after.length);
        memory.set(before.slice(0, offset), 0);
        memory.set(written, offset);
        memory.set(after, offset + written.length);
        const view = Buffer.from(memory.buffer, offset, viewLength);
        const start = prefix.length;
        const expected = referenceString(view, start);
        expect(actualString(view, start, !expected.escaped)).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('JsonBytes.string() across buffers (the one-entry words cache)', () => {
  /** A literal at `start` of `view`: what the reference says, which the test also pins by hand. */
  function read(view: Buffer, start: number): Read {
    const expected = referenceString(view, start);
    const actual = actualString(view, start, !expected.escaped);
    expect(actual).toEqual(expected);
    return actual;
  }

  it('reads A, then B, then A again, each from its own memory', () => {
    // Same offsets and lengths, quotes in different words: words left over from
    // the other buffer would end each literal in the wrong place.
    const a = Buffer.from(new ArrayBuffer(64), 4, 40);
    const b = Buffer.from(new ArrayBuffer(64), 4, 40);
    a.fill(0x61);
    b.fill(0x62);
    a[0] = Quote;
    a[29] = Quote;
    b[0] = Quote;
    b[9] = Quote;
    b[10] = Quote;
    b[11] = 0x01;
    b[12] = Quote;
    for (let round = 0; round < 3; round++) {
      expect(read(a, 0)).toEqual({ ok: true, end: 30, escaped: false });
      expect(read(b, 0)).toEqual({ ok: true, end: 10, escaped: false });
      expect(read(b, 10)).toEqual({ ok: false, end: -1, escaped: false });
      expect(read(a, 0)).toEqual({ ok: true, end: 30, escaped: false });
    }
  });

  it('reads a buffer whose ArrayBuffer is larger than the last one, and then a smaller one', () => {
    // Words kept from a smaller buffer end early: reading past them yields
    // undefined, which the masks take as four ordinary bytes.
    const small = Buffer.from(new ArrayBuffer(8), 0, 8);
    small.write('"abcde"x', 'latin1');
    const large = Buffer.from(new ArrayBuffer(256), 0, 256).fill(0x61);
    large[0] = Quote;
    large[200] = Quote;
    const mid = Buffer.from(new ArrayBuffer(256), 0, 256).fill(0x61);
    mid[0] = Quote;
    mid[150] = 0x1f;
    for (let round = 0; round < 2; round++) {
      expect(read(small, 0)).toEqual({ ok: true, end: 7, escaped: false });
      expect(read(large, 0)).toEqual({ ok: true, end: 201, escaped: false });
      expect(read(small, 0)).toEqual({ ok: true, end: 7, escaped: false });
      expect(read(mid, 0)).toEqual({ ok: false, end: -1, escaped: false });
      expect(read(large, 0)).toEqual({ ok: true, end: 201, escaped: false });
    }
  });

  it('interleaves readers over three buffers, each reading a run of literals', () => {
    const texts = [
      '"alpha","bravo-bravo-bravo","c\\u00e9","","delta delta delta delta","e\\"e"',
      '"\u00e9t\u00e9 long enough to span words","x","y\\\\","zzzzzzzzzzzzzzzzzzzzzzzzz"',
      '"short","\\n\\t","ok ok ok ok ok ok ok ok ok ok ok","last"',
    ];
    // Distinct ArrayBuffers at different offsets mod 4.
    const views = texts.map((text, k) => {
      const bytes = Buffer.from(text, 'utf8');
      const memory = new Uint8Array(k + 1 + bytes.length + 8).fill(Quote);
      memory.set(bytes, k + 1);
      return Buffer.from(memory.buffer, k + 1, bytes.length);
    });
    const readers = views.map((view) => new JsonBytes(view));
    const expectedEnds = views.map((view) => {
      const ends: { end: number; escaped: boolean }[] = [];
      for (let pos = 0; pos < view.length; ) {
        const r = referenceString(view, pos);
        expect(r.ok).toBe(true);
        ends.push({ end: r.end, escaped: r.escaped });
        pos = r.end + 1; // past the comma
      }
      return ends;
    });
    expect(expectedEnds.map((e) => e.length)).toEqual([6, 4, 4]);
    const next = [0, 0, 0];
    for (let step = 0; step < 6; step++) {
      for (let k = 0; k < views.length; k++) {
        const want = expectedEnds[k]![next[k]!];
        if (want === undefined) continue;
        const reader = readers[k]!;
        reader.escaped = !want.escaped;
        expect(reader.string(), `buffer ${k}, literal ${next[k]}`).toBe(true);
        expect({ end: reader.pos, escaped: reader.escaped }).toEqual(want);
        reader.pos++; // the comma
        next[k]!++;
      }
    }
    expect(next).toEqual([6, 4, 4]);
  });

  it('sees bytes written into the same ArrayBuffer after it was last read', () => {
    // The cache must be a view on live memory, not a copy of it.
    const view = Buffer.from(new ArrayBuffer(96), 8, 80).fill(0x61);
    view[0] = Quote;
    view[60] = Quote;
    expect(read(view, 0)).toEqual({ ok: true, end: 61, escaped: false });
    view[33] = Quote;
    expect(read(view, 0)).toEqual({ ok: true, end: 34, escaped: false });
    view[17] = 0x1f;
    expect(read(view, 0)).toEqual({ ok: false, end: -1, escaped: false });
    // Another view on the same memory at an offset with a different mod 4.
    const other = Buffer.from(view.buffer, 8 + 18, 40);
    other[0] = Quote;
    expect(read(other, 0)).toEqual({ ok: true, end: 16, escaped: false });
  });
});

type ResizableArrayBuffer = ArrayBuffer & { resize(byteLength: number): void; readonly resizable: boolean };
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

describe('JsonBytes.string() over a resizable ArrayBuffer', () => {
  // The cached words view is fixed-length, made for the byteLength the
  // ArrayBuffer had when first read. The cache is keyed on the ArrayBuffer
  // alone, so after a resize the same entry is used for a different length.
  it('finds the closing quote in bytes added by growing the ArrayBuffer after it was read', () => {
    const memory = new ResizableArrayBuffer(8, { maxByteLength: 64 });
    const first = Buffer.from(memory, 0, 8);
    first.write('"abcde"x', 'latin1');
    expect(actualString(first, 0, true)).toEqual({ ok: true, end: 7, escaped: false });
    memory.resize(32);
    const grown = Buffer.from(memory, 0, 32).fill(0x61);
    grown[0] = Quote;
    grown[20] = Quote;
    expect(referenceString(grown, 0)).toEqual({ ok: true, end: 21, escaped: false });
    expect(actualString(grown, 0, true)).toEqual({ ok: true, end: 21, escaped: false });
  });

  it('finds the closing quote after the ArrayBuffer shrank since it was read', () => {
    const memory = new ResizableArrayBuffer(32, { maxByteLength: 64 });
    const first = Buffer.from(memory, 0, 32).fill(0x61);
    first[0] = Quote;
    first[31] = Quote;
    expect(actualString(first, 0, true)).toEqual({ ok: true, end: 32, escaped: false });
    memory.resize(16);
    const shrunk = Buffer.from(memory, 0, 16).fill(0x61);
    shrunk[0] = Quote;
    shrunk[10] = Quote;
    expect(referenceString(shrunk, 0)).toEqual({ ok: true, end: 11, escaped: false });
    expect(actualString(shrunk, 0, true)).toEqual({ ok: true, end: 11, escaped: false });
  });
});
