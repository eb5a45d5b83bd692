import type { Opcode, WirePartitionMap, WireRequest } from '@shoal/client/protocol';
import type { CacheRegistry } from '../storage/cache-registry.js';

/** What a handler may use. */
export interface HandlerContext {
  readonly caches: CacheRegistry;
  /** The routing table clients hold. */
  partitionMap(): WirePartitionMap;
  /** Whether this node leads the partition: whole-cache operations (size, scan, clear) cover only those. */
  leads(cache: string, partition: number): boolean;
  /** SQL statements, their result pages and their map phase. */
  readonly sql: SqlOperations;
}

/** What the SQL opcodes ask of the node; arguments arrive unchecked. */
export interface SqlOperations {
  /** Runs a statement; resolves to `[command, columns, firstPage, rowCount, cursor | null]`. */
  statement(text: unknown, params: unknown): Promise<unknown>;
  /** `[page, cursor | null]` of an open result. */
  fetch(cursor: unknown): unknown;
  /** Runs a map request over partitions this node leads (the dispatch checked it does). */
  map(table: unknown, request: unknown, partitions: unknown): unknown;
}

/**
 * Runs one request (`[id, opcode, ...args]`) and returns its wire result, or
 * throws a `ShoalError`. Handlers are synchronous: a frame runs to completion.
 */
export type Handler = (request: WireRequest, context: HandlerContext) => unknown;

/** One handler per opcode: a missing one fails the typecheck. */
export type HandlerTable = Record<Opcode, Handler>;
