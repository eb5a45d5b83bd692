import type { Readable } from 'node:stream';

/** One line of input, without its line break, and where the next line starts. */
export interface Line {
  /** The line's text; for a line longer than the limit, only its first bytes (see `tooLong`). */
  readonly text: string;
  /** The line's bytes (a view of the read buffer), without `\r\n`; for a line longer than the limit, its first bytes. */
  readonly bytes: Buffer;
  /** 1-based line number in the whole input. */
  readonly number: number;
  /** Byte offset just past this line's line break. */
  readonly end: number;
  /** Set when the line was longer than the reader's limit: its length in bytes. Its text is then only a prefix. */
  readonly tooLong?: { readonly bytes: number };
}

/** The longest line read by default: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** How much of an over-long line is kept as its text. */
const TOO_LONG_PREFIX_BYTES = 1024;

/**
 * Splits a byte stream into lines, keeping exact byte offsets (so that a
 * checkpoint can resume mid-file). `\n` ends a line; a `\r` before it is
 * dropped; a last line without a break counts once the stream ends.
 *
 * A line longer than `maxLineBytes` is not kept in memory: its bytes are
 * counted and dropped up to its line break, and it comes out as a `Line` with
 * `tooLong` set and only its first bytes as text. Each chunk is scanned once
 * and a line's pieces are joined once, so reading is linear in the input.
 */
export class LineReader {
  private readonly chunks: AsyncIterator<Buffer>;
  /** The chunk being read, from `at` on. */
  private current: Buffer = Buffer.alloc(0);
  private at = 0;
  /** Earlier pieces of the line being read (none has a line break). */
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Bytes of the line being read that were dropped because it is too long (-1: not too long). */
  private dropped = -1;
  private prefix: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(
    stream: Readable,
    private offset: number,
    private number: number,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** True when the next line can be had without waiting for more input. */
  get hasLineBuffered(): boolean {
    return this.current.indexOf(0x0a, this.at) >= 0 || (this.ended && this.lineBytes + (this.current.length - this.at) > 0);
  }

  /** The next line when it is complete in the chunk at hand, without a promise (one per line was felt); undefined otherwise. */
  takeBuffered(): Line | undefined {
    const nl = this.current.indexOf(0x0a, this.at);
    if (nl < 0) return undefined;
    this.keep(this.current.subarray(this.at, nl));
    this.at = nl + 1;
    return this.take(1);
  }

  /** The next line, or null at the end of the input. */
  async next(): Promise<Line | null> {
    for (;;) {
      const nl = this.current.indexOf(0x0a, this.at);
      if (nl >= 0) {
        this.keep(this.current.subarray(this.at, nl));
        this.at = nl + 1;
        return this.take(1);
      }
      this.keep(this.current.subarray(this.at));
      this.current = Buffer.alloc(0);
      this.at = 0;
      if (this.ended) return this.lineBytes > 0 ? this.take(0) : null;
      const chunk = await this.chunks.next();
      if (chunk.done) this.ended = true;
      else this.current = chunk.value;
    }
  }

  /** Bytes of the line read so far. */
  private get lineBytes(): number {
    return this.dropped >= 0 ? this.dropped : this.pieceBytes;
  }

  /** Adds a piece of the current line, or counts it once the line is too long. */
  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.dropped >= 0) {
      this.dropped += piece.length;
      if (this.prefix.length < TOO_LONG_PREFIX_BYTES) this.prefix = Buffer.concat([this.prefix, piece.subarray(0, TOO_LONG_PREFIX_BYTES - this.prefix.length)]);
      return;
    }
    this.pieces.push(piece);
    this.pieceBytes += piece.length;
    if (this.pieceBytes > this.maxLineBytes) {
      const all = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pieceBytes);
      this.prefix = Buffer.from(all.subarray(0, TOO_LONG_PREFIX_BYTES));
      this.dropped = this.pieceBytes;
      this.pieces = [];
      this.pieceBytes = 0;
    }
  }

  private take(breakBytes: number): Line {
    const bytes = this.lineBytes;
    this.offset += bytes + breakBytes;
    this.number++;
    if (this.dropped >= 0) {
      const line: Line = { text: this.prefix.toString('utf8'), bytes: this.prefix, number: this.number, end: this.offset, tooLong: { bytes: this.dropped } };
      this.dropped = -1;
      this.prefix = Buffer.alloc(0);
      return line;
    }
    const joined = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pieceBytes);
    this.pieces = [];
    this.pieceBytes = 0;
    const withoutReturn = joined.length > 0 && joined[joined.length - 1] === 0x0d ? joined.subarray(0, joined.length - 1) : joined;
    return new BufferedLine(withoutReturn, this.number, this.offset);
  }
}

/** A line whose text is made only when asked: a reader of bytes (the file source's envelopes) never pays for it. */
class BufferedLine implements Line {
  private decoded: string | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly number: number,
    readonly end: number,
  ) {}

  get text(): string {
    this.decoded ??= this.bytes.toString('utf8');
    return this.decoded;
  }
}
