import type { Readable } from 'node:stream';

/** One line of input, without its line break, and where the next line starts. */
export interface Line {
  readonly text: string;
  /** 1-based line number in the whole input. */
  readonly number: number;
  /** Byte offset just past this line's line break. */
  readonly end: number;
}

/**
 * Splits a byte stream into lines, keeping exact byte offsets (so that a
 * checkpoint can resume mid-file). `\n` ends a line; a `\r` before it is
 * dropped; a last line without a break counts once the stream ends.
 */
export class LineReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(
    stream: Readable,
    private offset: number,
    private number: number,
  ) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** True when the next line can be had without waiting for more input. */
  get hasLineBuffered(): boolean {
    return this.buffer.includes(0x0a) || (this.ended && this.buffer.length > 0);
  }

  /** The next line, or null at the end of the input. */
  async next(): Promise<Line | null> {
    for (;;) {
      const at = this.buffer.indexOf(0x0a);
      if (at >= 0) return this.take(at, at + 1);
      if (this.ended) return this.buffer.length > 0 ? this.take(this.buffer.length, this.buffer.length) : null;
      const chunk = await this.chunks.next();
      if (chunk.done) this.ended = true;
      else this.buffer = this.buffer.length === 0 ? chunk.value : Buffer.concat([this.buffer, chunk.value]);
    }
  }

  private take(textEnd: number, consumed: number): Line {
    let text = this.buffer.toString('utf8', 0, textEnd);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.buffer = this.buffer.subarray(consumed);
    this.offset += consumed;
    this.number++;
    return { text, number: this.number, end: this.offset };
  }
}
