import { type Key, decodeKey, decodeValue, encodeKey, encodeValue } from './protocol/codec.js';
import { BadRequestError } from './protocol/errors.js';
import { Opcode } from './protocol/opcodes.js';
import { ChangeTag, MAX_VERSION_BYTES } from './protocol/versions.js';
import type { Router } from './router.js';
import { routedByKey, scatter } from './scatter-gather.js';

/** Keys per request when getAll/putAll/removeAll split a large batch. */
const CHUNK = 10_000;
/** Entries asked for per page when scanning. */
const SCAN_PAGE = 1_000;

/**
 * One versioned change for `Cache.applyChanges`. `version` is an opaque byte
 * string ordered as unsigned bytes (`compareVersions`), 1 to
 * `MAX_VERSION_BYTES` long: encode source positions so that their bytes sort
 * in source order.
 */
export type CacheChange<K, V> =
  | { readonly kind: 'put'; readonly key: K; readonly value: V; readonly version: Uint8Array }
  | { readonly kind: 'remove'; readonly key: K; readonly version: Uint8Array };

/**
 * A named cache on the grid. Absent keys read as `undefined`. Each operation
 * goes to the primary of its key's partition (multi-key operations to every
 * primary concerned, in parallel), and is retried there when the grid moves.
 * @example const c = grid.cache<string, Customer>('customers'); await c.put('c1', { name: 'Ada' })
 */
export class Cache<K extends Key = Key, V = unknown> {
  constructor(
    readonly name: string,
    private readonly router: Router,
  ) {}

  /** The value for `key`, or `undefined`. */
  async get(key: K): Promise<V | undefined> {
    return this.valueOrUndefined(await this.keyed(Opcode.Get, encodeKey(key)));
  }

  /** A Map of the keys found (absent keys are left out), in the order of `keys`. */
  async getAll(keys: Iterable<K>): Promise<Map<K, V>> {
    const all = [...keys];
    const encoded = all.map((k) => encodeKey(k));
    const values = new Array<V | null | undefined>(all.length);
    await scatter(this.router, {
      cache: this.name,
      opcode: Opcode.GetAll,
      ...routedByKey(this.name, encoded),
      chunk: CHUNK,
      args: (items) => [this.name, items.map((i) => encoded[i])],
      collect: (items, bytes) => {
        const found = decodeValue(bytes as Uint8Array) as (V | null)[];
        for (let k = 0; k < items.length; k++) values[items[k]!] = found[k];
      },
    });
    const found = new Map<K, V>();
    for (let i = 0; i < all.length; i++) {
      const value = values[i];
      if (value != null) found.set(all[i]!, value);
    }
    return found;
  }

  /** Stores `value` under `key`. */
  async put(key: K, value: V): Promise<void> {
    await this.keyed(Opcode.Put, encodeKey(key), encodeValue(value));
  }

  /** Stores every entry. */
  async putAll(entries: ReadonlyMap<K, V> | Iterable<readonly [K, V]>): Promise<void> {
    const keys: Uint8Array[] = [];
    const values: Uint8Array[] = [];
    for (const [k, v] of entries) {
      keys.push(encodeKey(k));
      values.push(encodeValue(v));
    }
    await scatter(this.router, {
      cache: this.name,
      opcode: Opcode.PutAll,
      ...routedByKey(this.name, keys),
      chunk: CHUNK,
      args: (items) => [this.name, items.flatMap((i) => [keys[i], values[i]])],
      collect: () => {},
    });
  }

  /** Removes `key`; true if it was there. */
  async remove(key: K): Promise<boolean> {
    return (await this.keyed(Opcode.Remove, encodeKey(key))) as boolean;
  }

  /** Removes every key; the number that were there. */
  async removeAll(keys: Iterable<K>): Promise<number> {
    const encoded = [...keys].map((k) => encodeKey(k));
    let removed = 0;
    await scatter(this.router, {
      cache: this.name,
      opcode: Opcode.RemoveAll,
      ...routedByKey(this.name, encoded),
      chunk: CHUNK,
      args: (items) => [this.name, items.map((i) => encoded[i])],
      collect: (_, count) => {
        removed += count as number;
      },
    });
    return removed;
  }

  /** True if `key` has a value. */
  async containsKey(key: K): Promise<boolean> {
    return (await this.keyed(Opcode.ContainsKey, encodeKey(key))) as boolean;
  }

  /** Stores `value` only if `key` is absent; true if it stored it. */
  async putIfAbsent(key: K, value: V): Promise<boolean> {
    return (await this.keyed(Opcode.PutIfAbsent, encodeKey(key), encodeValue(value))) as boolean;
  }

  /** Stores `value` only if `key` is present; true if it replaced. */
  async replace(key: K, value: V): Promise<boolean> {
    return (await this.keyed(Opcode.Replace, encodeKey(key), encodeValue(value))) as boolean;
  }

  /** Replaces only if the current value encodes to the same bytes as `expected`; true if it replaced. */
  async replaceIfEquals(key: K, expected: V, value: V): Promise<boolean> {
    return (await this.keyed(Opcode.ReplaceIfEquals, encodeKey(key), encodeValue(expected), encodeValue(value))) as boolean;
  }

  /** Stores `value` and returns the previous value, or `undefined`. */
  async getAndPut(key: K, value: V): Promise<V | undefined> {
    return this.valueOrUndefined(await this.keyed(Opcode.GetAndPut, encodeKey(key), encodeValue(value)));
  }

  /** Removes `key` and returns its value, or `undefined`. */
  async getAndRemove(key: K): Promise<V | undefined> {
    return this.valueOrUndefined(await this.keyed(Opcode.GetAndRemove, encodeKey(key)));
  }

  /**
   * Applies versioned puts and removes, the grid side of CDC. A change applies
   * when the key has no stored version or `version` is not older than it
   * (equal applies too, so an exact duplicate is harmless and snapshot rows
   * sharing one position act as upserts); a stale change changes nothing. An
   * applied remove keeps a tombstone (the key's version, invisible to reads)
   * so a replayed older put cannot bring the row back. Replaying changes
   * after a restart, in any order and with duplicates, therefore ends in the
   * same state. A plain write to the key (put, remove, ...) forgets its
   * version; `clear()` drops versions and tombstones.
   *
   * Resolves to one boolean per change, in input order: true = applied, false =
   * stale. Every change is checked before anything is sent (`BAD_REQUEST`).
   * Batches larger than 10,000 changes travel as several requests, each
   * applied atomically on its own; if one fails, others may have applied,
   * and sending the same batch again is safe.
   * @example await c.applyChanges([{ kind: 'put', key: 'k', value: row, version: position }])
   */
  async applyChanges(changes: readonly CacheChange<K, V>[]): Promise<boolean[]> {
    const wire = changes.map(encodeChange);
    const applied = new Array<boolean>(wire.length);
    await scatter(this.router, {
      cache: this.name,
      opcode: Opcode.ApplyChanges,
      ...routedByKey(this.name, wire.map((change) => change[1] as Uint8Array)),
      chunk: CHUNK,
      args: (items) => [this.name, items.map((i) => wire[i])],
      collect: (items, results) => {
        const answers = results as boolean[];
        for (let k = 0; k < items.length; k++) applied[items[k]!] = answers[k]!;
      },
    });
    return applied;
  }

  /** The number of entries: the sum over every member of the entries of the partitions it is primary of. */
  async size(): Promise<number> {
    const counts = await this.router.everyMember(this.name, Opcode.Size, [this.name]);
    return counts.reduce((sum: number, n) => sum + (n as number), 0);
  }

  /** Removes every entry, on every member. */
  async clear(): Promise<void> {
    await this.router.everyMember(this.name, Opcode.Clear, [this.name]);
  }

  /**
   * Every entry, fetched a page of partitions at a time. The cursor is a
   * partition: each page comes from the primary of the cursor's partition,
   * which answers from consecutive partitions it is primary of and says where
   * to go on. Entries written during the scan may or may not appear.
   * @example for await (const [k, v] of cache.entries()) console.log(k, v)
   */
  async *entries(pageSize = SCAN_PAGE): AsyncGenerator<[K, V]> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new BadRequestError(`pageSize must be a positive integer, got ${pageSize}`);
    let cursor: number | null = 0;
    while (cursor !== null) {
      const page = await this.router.send({ kind: 'partition', cache: this.name, partition: cursor }, Opcode.Scan, [this.name, cursor, pageSize]);
      const [next, flat] = page as [number | null, Uint8Array[]];
      for (let i = 0; i < flat.length; i += 2) yield [decodeKey(flat[i]!) as K, decodeValue(flat[i + 1]!) as V];
      cursor = next;
    }
  }

  /** Sends a single-key request to the primary of `keyBytes`. */
  private keyed(opcode: Opcode, keyBytes: Uint8Array, ...rest: Uint8Array[]): Promise<unknown> {
    return this.router.send({ kind: 'key', cache: this.name, keyBytes }, opcode, [this.name, keyBytes, ...rest]);
  }

  private valueOrUndefined(bytes: unknown): V | undefined {
    return bytes == null ? undefined : (decodeValue(bytes as Uint8Array) as V);
  }
}

function encodeChange<K, V>(change: CacheChange<K, V>, index: number): unknown[] {
  const version = change.version;
  if (!(version instanceof Uint8Array) || version.length === 0 || version.length > MAX_VERSION_BYTES) {
    throw new BadRequestError(`change ${index}: version must be a Uint8Array of 1 to ${MAX_VERSION_BYTES} bytes`);
  }
  try {
    switch (change.kind) {
      case 'put':
        return [ChangeTag.Put, encodeKey(change.key), encodeValue(change.value), version];
      case 'remove':
        return [ChangeTag.Remove, encodeKey(change.key), version];
      default:
        throw new BadRequestError(`kind must be 'put' or 'remove', got ${String((change as { kind: unknown }).kind)}`);
    }
  } catch (err) {
    throw err instanceof BadRequestError ? new BadRequestError(`change ${index}: ${err.message}`, { cause: err }) : err;
  }
}
