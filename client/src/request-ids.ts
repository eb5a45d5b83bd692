import { randomUUID } from 'node:crypto';

/** Largest request id before the counter wraps to 1 (ids stay positive int32 on the wire). */
const MAX_REQUEST_ID = 0x7fffffff;

/**
 * The request ids of one `Shoal`, shared by every connection it opens. The
 * node deduplicates writes by (client id, request id), so an id must name one
 * request across all of the client's connections, and a retry reuses it.
 */
export class RequestIds {
  private nextId = 1;

  next(): number {
    const id = this.nextId;
    this.nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }
}

/** A random client id for the Hello frame: 32 hex digits, well under the 64-character limit. */
export function newClientId(): string {
  return randomUUID().replaceAll('-', '');
}
