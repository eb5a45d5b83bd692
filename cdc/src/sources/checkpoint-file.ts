import { open, readFile, rename } from 'node:fs/promises';
import { CdcConfigError } from '../errors.js';

/** How far a file source has applied: the byte offset after the last committed line, and that line's number. */
export interface Checkpoint {
  readonly offset: number;
  readonly line: number;
}

export const startOfInput: Checkpoint = { offset: 0, line: 0 };

/** Reads a checkpoint; absent means the start of the input. A file that is not a checkpoint is a configuration error. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return startOfInput;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const { offset, line } = (parsed ?? {}) as Partial<Checkpoint>;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(line) || (offset as number) < 0 || (line as number) < 0) {
    throw new CdcConfigError(`${path} is not a checkpoint file ({"offset": n, "line": n}); remove it to start over`);
  }
  return { offset: offset as number, line: line as number };
}

/** Writes a checkpoint atomically: a temporary file, fsynced, renamed over the old one. */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(`${JSON.stringify(checkpoint)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}
