import { encodeFrame } from './codec.js';
import { BadRequestError, FrameTooLargeError, type ShoalError } from './errors.js';
import type { Frame } from './frames.js';

/**
 * Encodes `items` as frames of at most `maxBytes`. The whole batch is tried as
 * one frame first (the common case); if it is too large, or something in it
 * cannot be encoded, each item is encoded alone to find its size. An item that
 * cannot be encoded, or is larger than a frame by itself, goes to `refuse`,
 * which may give a small item to send in its place (the node sends an error
 * response there).
 */
export function packIntoFrames<T>(
  items: readonly T[],
  toFrame: (items: readonly T[]) => Frame,
  maxBytes: number,
  refuse: (item: T, error: ShoalError) => T | undefined,
): Uint8Array[] {
  try {
    const whole = encodeFrame(toFrame(items));
    if (whole.length <= maxBytes) return [whole];
  } catch {
    // something in the batch cannot be encoded: find it below
  }
  const frames: Uint8Array[] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const sized = sizeAlone(item, toFrame, maxBytes, refuse);
    if (sized === undefined) continue;
    if (current.length > 0 && currentBytes + sized.bytes > maxBytes) {
      frames.push(encodeFrame(toFrame(current)));
      current = [];
      currentBytes = 0;
    }
    current.push(sized.item);
    currentBytes += sized.bytes;
  }
  if (current.length > 0) frames.push(encodeFrame(toFrame(current)));
  return frames;
}

function sizeAlone<T>(
  item: T,
  toFrame: (items: readonly T[]) => Frame,
  maxBytes: number,
  refuse: (item: T, error: ShoalError) => T | undefined,
): { item: T; bytes: number } | undefined {
  let error: ShoalError;
  try {
    const bytes = encodeFrame(toFrame([item])).length;
    if (bytes <= maxBytes) return { item, bytes };
    error = new FrameTooLargeError(`${bytes} bytes encoded, more than the ${maxBytes}-byte frame limit`);
  } catch (err) {
    error = new BadRequestError(`cannot be encoded: ${(err as Error).message}`, { cause: err });
  }
  const replacement = refuse(item, error);
  return replacement === undefined ? undefined : { item: replacement, bytes: encodeFrame(toFrame([replacement])).length };
}
