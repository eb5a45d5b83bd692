import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetterEntry, DeadLetterSink } from './dead-letter.js';

/** Appends one JSON line per entry to a file; `flush` fsyncs it. */
export class FileDeadLetterSink implements DeadLetterSink {
  readonly description: string;
  private pending = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {
    this.description = `file ${path}`;
  }

  static async open(path: string): Promise<FileDeadLetterSink> {
    await mkdir(dirname(path), { recursive: true });
    return new FileDeadLetterSink(path, await open(path, 'a'));
  }

  async write(entry: DeadLetterEntry): Promise<void> {
    await this.file.appendFile(`${JSON.stringify(entry)}\n`);
    this.pending++;
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    await this.file.datasync();
    this.pending = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
  }
}
