import { ATOMIC_LONGS_CACHE, Opcode, type WireRequest, encodeKey } from '@shoal/client/protocol';

/**
 * Which data a request touches, read before it runs so the node can check it
 * is the primary of every partition involved. Readers are lenient: a request
 * whose arguments they cannot read is scoped `none` and its handler refuses it
 * with BAD_REQUEST before touching anything.
 */
export type RequestScope =
  | { readonly kind: 'none' }
  | { readonly kind: 'control'; readonly operation: 'create-cache' | 'destroy-cache' }
  | { readonly kind: 'keys'; readonly cache: string; readonly keys: readonly Uint8Array[]; readonly write: boolean; readonly deduplicated: boolean }
  | { readonly kind: 'cache'; readonly cache: string; readonly write: boolean; readonly cursor: number | undefined }
  /** Whole partitions read by their primary (a SQL map phase). */
  | { readonly kind: 'partitions'; readonly cache: string; readonly partitions: readonly number[] };

const NONE: RequestScope = { kind: 'none' };
type ScopeReader = (request: WireRequest) => RequestScope;

const arg = (request: WireRequest, i: number): unknown => request[2 + i];

function oneKey(write: boolean, deduplicated: boolean): ScopeReader {
  return (request) => {
    const cache = arg(request, 0);
    const key = arg(request, 1);
    if (typeof cache !== 'string' || !(key instanceof Uint8Array)) return NONE;
    return { kind: 'keys', cache, keys: [key], write, deduplicated };
  };
}

function manyKeys(write: boolean, keyAt: (items: readonly unknown[]) => unknown[]): ScopeReader {
  return (request) => {
    const cache = arg(request, 0);
    const items = arg(request, 1);
    if (typeof cache !== 'string' || !Array.isArray(items)) return NONE;
    const keys = keyAt(items);
    if (!keys.every((key) => key instanceof Uint8Array)) return NONE;
    return { kind: 'keys', cache, keys: keys as Uint8Array[], write, deduplicated: false };
  };
}

function atomic(write: boolean): ScopeReader {
  return (request) => {
    const name = arg(request, 0);
    if (typeof name !== 'string' || name.length === 0 || name.length > 255) return NONE;
    return { kind: 'keys', cache: ATOMIC_LONGS_CACHE, keys: [encodeKey(name)], write, deduplicated: write };
  };
}

function wholeCache(write: boolean, withCursor: boolean): ScopeReader {
  return (request) => {
    const cache = arg(request, 0);
    const cursor = arg(request, 1);
    if (typeof cache !== 'string' || (withCursor && !Number.isSafeInteger(cursor))) return NONE;
    return { kind: 'cache', cache, write, cursor: withCursor ? (cursor as number) : undefined };
  };
}

function partitionList(request: WireRequest): RequestScope {
  const cache = arg(request, 0);
  const partitions = arg(request, 2);
  if (typeof cache !== 'string' || !Array.isArray(partitions) || partitions.length === 0) return NONE;
  if (!partitions.every((p) => Number.isSafeInteger(p) && (p as number) >= 0)) return NONE;
  return { kind: 'partitions', cache, partitions: partitions as number[] };
}

const everyItem = (items: readonly unknown[]) => [...items];
const evenItems = (items: readonly unknown[]) => items.filter((_, i) => i % 2 === 0);
const changeKeys = (items: readonly unknown[]) => items.map((change) => (Array.isArray(change) ? change[1] : undefined));

/** One reader per operation: a new opcode without one fails the typecheck. */
export const scopeReaders: Record<Opcode, ScopeReader> = {
  [Opcode.Ping]: () => NONE,
  [Opcode.CreateCache]: () => ({ kind: 'control', operation: 'create-cache' }),
  [Opcode.DestroyCache]: () => ({ kind: 'control', operation: 'destroy-cache' }),
  [Opcode.ListCaches]: () => NONE,
  [Opcode.PartitionMap]: () => NONE,
  [Opcode.Get]: oneKey(false, false),
  [Opcode.GetAll]: manyKeys(false, everyItem),
  [Opcode.ContainsKey]: oneKey(false, false),
  [Opcode.Size]: wholeCache(false, false),
  [Opcode.Scan]: wholeCache(false, true),
  [Opcode.Put]: oneKey(true, true),
  [Opcode.PutAll]: manyKeys(true, evenItems),
  [Opcode.Remove]: oneKey(true, true),
  [Opcode.RemoveAll]: manyKeys(true, everyItem),
  [Opcode.PutIfAbsent]: oneKey(true, true),
  [Opcode.Replace]: oneKey(true, true),
  [Opcode.ReplaceIfEquals]: oneKey(true, true),
  [Opcode.GetAndPut]: oneKey(true, true),
  [Opcode.GetAndRemove]: oneKey(true, true),
  [Opcode.Clear]: wholeCache(true, false),
  // Versioned changes are idempotent by their versions: a retry applies nothing new.
  [Opcode.ApplyChanges]: manyKeys(true, changeKeys),
  // A statement's reads and writes travel as the grid's own requests (map phase, puts): the node that plans it checks nothing itself.
  [Opcode.Sql]: () => NONE,
  [Opcode.SqlFetch]: () => NONE,
  [Opcode.SqlMap]: partitionList,
  [Opcode.AtomicGet]: atomic(false),
  [Opcode.AtomicSet]: atomic(true),
  [Opcode.AtomicAddAndGet]: atomic(true),
  [Opcode.AtomicGetAndAdd]: atomic(true),
  [Opcode.AtomicCompareAndSet]: atomic(true),
};
