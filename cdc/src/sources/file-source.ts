import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { untilAborted } from '../ingest/abortable.js';
import type { Fetched } from '../ingest/pulling-source.js';
import { PullingSource } from '../ingest/pulling-source.js';
import type { SourceRecord } from '../ingest/source.js';
import { readCheckpoint, startOfInput, writeCheckpoint, type Checkpoint } from './checkpoint-file.js';
import { CdcEventErrorCode } from '../errors.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from './line-reader.js';
import { recordFromLine } from './record-text.js';

/** Read size for a regular file: fewer trips through the thread pool than the stream default of 64 KiB. */
const fileChunkBytes = 1024 * 1024;

export interface FileSourceOptions {
  /** The NDJSON file, or null for standard input. */
  readonly path: string | null;
  /** Where to keep how far the input was applied; null keeps none (every run starts over). */
  readonly checkpointPath: string | null;
  readonly batchSize: number;
  /** Longest line read (default 64 MiB); a longer one goes to the dead-letter sink as `RECORD_TOO_LARGE`. */
  readonly maxLineBytes?: number;
  /** For tests: a stream to read instead of stdin. */
  readonly stdin?: Readable;
}

/**
 * NDJSON from a file or standard input: a Debezium value per line, or a
 * record `{"topic","key","value"}` per line (see `recordFromLine`). After
 * each applied batch it writes the checkpoint, so a restart resumes after
 * the last applied line: a file by byte offset, stdin by skipping the lines
 * already applied. It ends at the end of the input.
 */
export class FileSource extends PullingSource {
  readonly description: string;
  private reader: LineReader | undefined;
  private file: Readable | undefined;
  private position: Checkpoint = startOfInput;
  /** A regular file's next line is at most a disk read away: batches fill up to the batch size. */
  private regularFile = false;

  constructor(private readonly options: FileSourceOptions) {
    super();
    const input = options.path === null ? 'stdin' : `file ${options.path}`;
    this.description = options.checkpointPath === null ? input : `${input} (checkpoint ${options.checkpointPath})`;
  }

  private get maxLineBytes(): number {
    return this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Where the last committed batch ended. */
  get checkpoint(): Checkpoint {
    return this.position;
  }

  protected async open(): Promise<void> {
    const { path, checkpointPath } = this.options;
    this.position = checkpointPath === null ? startOfInput : await readCheckpoint(checkpointPath);
    if (path !== null) {
      this.regularFile = (await stat(path)).isFile();
      this.file = createReadStream(path, { start: this.position.offset, highWaterMark: fileChunkBytes });
      this.reader = new LineReader(this.file, this.position.offset, this.position.line, this.maxLineBytes);
      return;
    }
    this.reader = new LineReader(this.options.stdin ?? process.stdin, 0, 0, this.maxLineBytes);
    for (let skipped = 0; skipped < this.position.line; skipped++) {
      if ((await this.reader.next()) === null) break;
    }
  }

  protected async fetch(signal: AbortSignal): Promise<Fetched> {
    const reader = this.reader!;
    const records: SourceRecord[] = [];
    let last: Checkpoint | null = null;
    while (records.length < this.options.batchSize) {
      let line = reader.takeBuffered();
      if (line === undefined) {
        // A batch takes the lines at hand: on a pipe (stdin, a FIFO) it must not wait for more while it has some.
        // A regular file has more at hand than one read's chunk (13 lines of 5 KB): read on to the batch size.
        if (last !== null && !this.regularFile && !reader.hasLineBuffered) break;
        // A line at hand needs no abort listener (one per line was a tenth of reading).
        const next = reader.hasLineBuffered ? await reader.next() : await untilAborted(reader.next(), signal);
        if (next === null || next === 'aborted') break;
        line = next;
      }
      last = { offset: line.end, line: line.number };
      if (line.tooLong !== undefined) {
        const reason = `line ${line.number} is ${line.tooLong.bytes} bytes, more than the ${this.maxLineBytes} bytes a line may have (?maxLineBytes=N); the value holds its first bytes`;
        records.push({ topic: null, key: null, value: line.text, offset: `line ${line.number}`, setAside: { code: CdcEventErrorCode.RecordTooLarge, reason, part: 'value', path: null } });
        continue;
      }
      if (isEnvelopeLine(line.bytes)) {
        // Handed over as bytes: the decoder compares the schema's bytes and makes text of the payload alone.
        records.push({ topic: null, key: null, value: line.bytes, offset: `line ${line.number}` });
        continue;
      }
      if (line.text.trim() === '') continue;
      const { topic, key, value } = recordFromLine(line.text);
      records.push({ topic, key, value, offset: `line ${line.number}` });
    }
    if (last === null) return 'end'; // the end of the input, or stopped while waiting for a line
    const reached = last;
    return { records, commit: () => this.commit(reached) };
  }

  private async commit(reached: Checkpoint): Promise<void> {
    if (this.options.checkpointPath !== null) await writeCheckpoint(this.options.checkpointPath, reached);
    this.position = reached;
  }

  protected async close(): Promise<void> {
    // Standard input is not ours to close.
    this.file?.destroy();
  }
}

const envelopePrefix = Buffer.from('{"schema":');

/**
 * A line that `recordFromLine` would hand over whole as the value: a
 * converter envelope. Only valid UTF-8 qualifies, since bytes are decoded
 * strictly and a line's text replaces bad bytes; a line that is not keeps
 * the text path, as before.
 */
function isEnvelopeLine(bytes: Buffer): boolean {
  return bytes.length > envelopePrefix.length && bytes.compare(envelopePrefix, 0, envelopePrefix.length, 0, envelopePrefix.length) === 0 && isUtf8(bytes);
}
