import { randomUUID } from 'node:crypto';
import { SqlError } from '@shoal/client/protocol';

/** Rows per page: a large result travels as many frames, never one. */
export const PAGE_ROWS = 1000;
/** A result nobody fetched from for this long is dropped. */
const IDLE_MS = 60_000;

interface OpenResult {
  readonly rows: readonly (readonly unknown[])[];
  offset: number;
  touchedAt: number;
}

/** The unread rest of large results, by cursor, until read or idle. */
export class ResultPages {
  private readonly open = new Map<string, OpenResult>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweep = setInterval(() => this.dropIdle(), IDLE_MS / 4);
    this.sweep.unref();
  }

  /** The first page of `rows`, and a cursor for the rest (null when it all fits). */
  first(rows: readonly (readonly unknown[])[]): [page: readonly (readonly unknown[])[], cursor: string | null] {
    if (rows.length <= PAGE_ROWS) return [rows, null];
    const cursor = randomUUID();
    this.open.set(cursor, { rows, offset: PAGE_ROWS, touchedAt: this.now() });
    return [rows.slice(0, PAGE_ROWS), cursor];
  }

  /** The next page after `cursor`; SQL_ERROR for a cursor unknown here (read to its end, idle too long, or from another node). */
  next(cursor: unknown): [page: readonly (readonly unknown[])[], cursor: string | null] {
    const result = typeof cursor === 'string' ? this.open.get(cursor) : undefined;
    if (result === undefined) throw new SqlError(`cursor ${JSON.stringify(cursor)} is not open on this node (read to its end, idle over ${IDLE_MS / 1000} s, or opened elsewhere)`);
    const page = result.rows.slice(result.offset, result.offset + PAGE_ROWS);
    result.offset += page.length;
    result.touchedAt = this.now();
    if (result.offset >= result.rows.length) {
      this.open.delete(cursor as string);
      return [page, null];
    }
    return [page, cursor as string];
  }

  get size(): number {
    return this.open.size;
  }

  stop(): void {
    clearInterval(this.sweep);
    this.open.clear();
  }

  private dropIdle(): void {
    const horizon = this.now() - IDLE_MS;
    for (const [cursor, result] of this.open) if (result.touchedAt < horizon) this.open.delete(cursor);
  }
}
