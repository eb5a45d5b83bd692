import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineReader, type Line } from '../src/sources/line-reader.js';

async function allLines(reader: LineReader): Promise<Line[]> {
  const lines: Line[] = [];
  for (let line = await reader.next(); line !== null; line = await reader.next()) lines.push(line);
  return lines;
}

/** A stream that hands over `text` in chunks of `size` bytes. */
function chunked(text: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.subarray(at, at + size));
  return Readable.from(chunks);
}

afterEach(() => vi.restoreAllMocks());

describe('LineReader', () => {
  it('splits lines across chunks with exact byte offsets, drops \\r, keeps a last line without a break', async () => {
    const text = Buffer.from('ab\r\ncé\n\nlast');
    for (const size of [1, 2, 3, 100]) {
      const lines = await allLines(new LineReader(chunked(text, size), 0, 0));
      expect(lines.map((l) => [l.text, l.number, l.end])).toEqual([
        ['ab', 1, 4],
        ['cé', 2, 8],
        ['', 3, 9],
        ['last', 4, 13],
      ]);
    }
  });

  it('a line longer than the limit comes out marked too long with its first bytes; reading goes on after it', async () => {
    const long = 'x'.repeat(5_000);
    const text = Buffer.from(`short\n${long}\nafter\n${'y'.repeat(11)}`);
    for (const size of [7, 64, 100_000]) {
      const lines = await allLines(new LineReader(chunked(text, size), 0, 0, 10));
      expect(lines.map((l) => [l.text, l.number, l.end, l.tooLong])).toEqual([
        ['short', 1, 6, undefined],
        ['x'.repeat(1024), 2, 6 + 5_001, { bytes: 5_000 }],
        ['after', 3, 6 + 5_001 + 6, undefined],
        ['y'.repeat(11), 4, text.length, { bytes: 11 }],
      ]);
    }
    // Exactly at the limit is fine.
    const [exact] = await allLines(new LineReader(Readable.from([Buffer.from('0123456789\n')]), 0, 0, 10));
    expect({ text: exact!.text, number: exact!.number, end: exact!.end, tooLong: exact!.tooLong }).toEqual({ text: '0123456789', number: 1, end: 11 });
  });

  it('joins a long line once, not once per chunk (linear, not quadratic)', async () => {
    const size = 8 * 1024 * 1024;
    const text = Buffer.alloc(size + 1, 0x61);
    text[size] = 0x0a;
    const concat = vi.spyOn(Buffer, 'concat');
    const lines = await allLines(new LineReader(chunked(text, 16 * 1024), 0, 0));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text.length).toBe(size);
    const copied = concat.mock.calls.reduce((n, [list]) => n + list.reduce((m, b) => m + b.length, 0), 0);
    expect(copied).toBeLessThanOrEqual(2 * size);
  });
});
