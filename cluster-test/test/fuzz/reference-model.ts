import { ErrorCode, Opcode } from '@shoal/client/protocol';
import { describe, isKnownOpcode, opcodeLabel, splitMsgpackArray } from './wire-oracle.js';

/**
 * What the caches and counters the fuzzer touches must hold, learned only
 * from requests the node said succeeded. Every Ok answer is checked against
 * it: a value the node returns must be one that was put, a size must be the
 * count, a counter must move by exactly its deltas. A failed request must have
 * no effect. Names in `foreign` (the guarded data, the SDK canary) are not
 * modelled. When the node may have applied requests without saying so (a
 * frame refused after some of its requests ran), the model is marked
 * uncertain and re-read from the node.
 */
export class ReferenceModel {
  readonly caches = new Map<string, Map<string, string>>();
  readonly counters = new Map<string, number>();
  /** Names whose state the node may have changed without an answer. */
  readonly uncertain = new Set<string>();

  constructor(private readonly foreign: ReadonlySet<string>) {}

  /** True when `name` is outside the model. */
  isForeign(name: unknown): boolean {
    return typeof name === 'string' && this.foreign.has(name);
  }

  /** Records that these requests may have run without an answer. */
  markUncertain(requests: readonly unknown[]): void {
    for (const request of requests) {
      if (!Array.isArray(request)) continue;
      const name = request[2];
      if (typeof name === 'string' && !this.foreign.has(name)) this.uncertain.add(name);
      if (request[1] === Opcode.CreateCache || request[1] === Opcode.DestroyCache) this.uncertain.add('*caches*');
    }
  }

  /** Replaces what the model holds with a snapshot read from the node. */
  resync(caches: ReadonlyMap<string, Map<string, string>>, counters: ReadonlyMap<string, number>): void {
    this.caches.clear();
    for (const [name, entries] of caches) if (!this.foreign.has(name)) this.caches.set(name, new Map(entries));
    for (const [name, value] of counters) this.counters.set(name, value);
    this.uncertain.clear();
  }

  /** Checks one answered request against the model and applies it; a complaint, or undefined. */
  apply(request: readonly unknown[], entry: readonly unknown[]): string | undefined {
    const opcode = request[1];
    if (!isKnownOpcode(opcode)) return undefined;
    if (!MODELLED_OPCODES.has(opcode)) {
      // An operation added after this model was written: what it did is re-read from the node.
      if (entry[1] === 0) this.markUncertain([request]);
      return undefined;
    }
    const label = opcodeLabel(opcode);
    const name = request[2];
    if (entry[1] !== 0) {
      if (entry[2] === ErrorCode.CacheNotFound && typeof name === 'string' && this.caches.has(name) && isCacheOperation(opcode)) {
        return `${label} on cache '${name}' failed with CACHE_NOT_FOUND, but the cache exists`;
      }
      return undefined;
    }
    const result = entry[2];
    const complain = (what: string) => `${label}: ${what} (request ${describe(request)}, result ${describe(result)})`;
    switch (opcode) {
      case Opcode.Ping:
        return undefined;
      case Opcode.CreateCache: {
        if (typeof name !== 'string') return complain('accepted a cache name that is not a string');
        if (this.foreign.has(name)) return undefined;
        if (result === true && this.caches.has(name)) return complain('created a cache that already existed');
        if (result === false && !this.caches.has(name)) return complain('said an absent cache already existed');
        if (result === true) this.caches.set(name, new Map());
        return undefined;
      }
      case Opcode.DestroyCache: {
        if (typeof name !== 'string') return complain('accepted a cache name that is not a string');
        if (this.foreign.has(name)) return complain('destroyed a cache outside the fuzz namespace');
        if (result !== this.caches.has(name)) return complain(`answered ${String(result)}, the cache ${this.caches.has(name) ? 'existed' : 'did not exist'}`);
        this.caches.delete(name);
        return undefined;
      }
      case Opcode.ListCaches: {
        const listed = new Set((result as { name: string }[]).map((c) => c.name).filter((n) => !this.foreign.has(n)));
        for (const cache of this.caches.keys()) if (!listed.has(cache)) return complain(`cache '${cache}' is missing`);
        for (const cache of listed) if (!this.caches.has(cache)) return complain(`lists cache '${cache}' that was never created`);
        return undefined;
      }
      case Opcode.AtomicGet:
      case Opcode.AtomicSet:
      case Opcode.AtomicAddAndGet:
      case Opcode.AtomicGetAndAdd:
      case Opcode.AtomicCompareAndSet:
        return this.applyAtomic(opcode, request, result, complain);
      default:
        return this.applyCache(opcode, request, result, complain);
    }
  }

  private applyAtomic(opcode: number, request: readonly unknown[], result: unknown, complain: (what: string) => string): string | undefined {
    const name = request[2];
    if (typeof name !== 'string') return complain('accepted a counter name that is not a string');
    if (this.foreign.has(name)) return undefined;
    const old = this.counters.get(name) ?? 0;
    const [a, b] = [request[3], request[4]];
    const safe = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
    switch (opcode) {
      case Opcode.AtomicGet:
        return result === old ? undefined : complain(`read ${describe(result)}, expected ${old}`);
      case Opcode.AtomicSet:
        if (!safe(a)) return complain('accepted a value that is not a safe integer');
        this.counters.set(name, a);
        return undefined;
      case Opcode.AtomicAddAndGet:
      case Opcode.AtomicGetAndAdd: {
        if (!safe(a)) return complain('accepted a delta that is not a safe integer');
        const next = old + a;
        if (!Number.isSafeInteger(next)) return complain(`left the safe integer range without OVERFLOW`);
        const expected = opcode === Opcode.AtomicAddAndGet ? next : old;
        if (result !== expected) return complain(`returned ${describe(result)}, expected ${expected}`);
        this.counters.set(name, next);
        return undefined;
      }
      default: {
        if (!safe(a) || !safe(b)) return complain('accepted an expected value or new value that is not a safe integer');
        if (result !== (old === a)) return complain(`answered ${String(result)} with the counter at ${old}`);
        if (result) this.counters.set(name, b);
        return undefined;
      }
    }
  }

  private applyCache(opcode: number, request: readonly unknown[], result: unknown, complain: (what: string) => string): string | undefined {
    const name = request[2];
    if (typeof name !== 'string') return complain('accepted a cache name that is not a string');
    if (this.foreign.has(name)) return undefined;
    const cache = this.caches.get(name);
    if (!cache) return complain(`succeeded on cache '${name}', which does not exist`);
    const key = (v: unknown): string | undefined => (v instanceof Uint8Array && v.length > 0 ? latin1(v) : undefined);
    const value = key;
    const same = (got: unknown, want: string | undefined) => (want === undefined ? got === null : got instanceof Uint8Array && latin1(got) === want);
    const args = request.slice(3);
    switch (opcode) {
      case Opcode.Get:
      case Opcode.ContainsKey:
      case Opcode.Remove:
      case Opcode.GetAndRemove: {
        const k = key(args[0]);
        if (k === undefined) return complain('accepted a key that is not non-empty bytes');
        const had = cache.get(k);
        if (opcode === Opcode.Get && !same(result, had)) return complain(`returned other bytes than were put (${had === undefined ? 'absent' : describe(Buffer.from(had, 'latin1'))})`);
        if (opcode === Opcode.GetAndRemove && !same(result, had)) return complain('returned other bytes than were put');
        if ((opcode === Opcode.ContainsKey || opcode === Opcode.Remove) && result !== (had !== undefined)) return complain(`answered ${String(result)}, the key was ${had === undefined ? 'absent' : 'present'}`);
        if (opcode === Opcode.Remove || opcode === Opcode.GetAndRemove) cache.delete(k);
        return undefined;
      }
      case Opcode.GetAll:
      case Opcode.RemoveAll: {
        const list = args[0];
        if (!Array.isArray(list)) return complain('accepted keys that are not an array');
        const keys = list.map(key);
        if (keys.some((k) => k === undefined)) return complain('accepted a key that is not non-empty bytes');
        if (opcode === Opcode.GetAll) {
          // Checked to split cleanly by the wire oracle; nil (0xc0) stands for an absent key.
          const items = splitMsgpackArray(result as Uint8Array) as Uint8Array[];
          for (let i = 0; i < keys.length; i++) {
            const want = cache.get(keys[i]!);
            const got = latin1(items[i]!);
            if (got !== (want ?? '\xc0')) return complain(`value ${i} is ${describe(items[i])}, but ${want === undefined ? 'the key is absent' : `${describe(Buffer.from(want, 'latin1'))} was put`}`);
          }
          return undefined;
        }
        let removed = 0;
        for (const k of keys) if (cache.delete(k!)) removed++;
        return result === removed ? undefined : complain(`removed ${describe(result)}, expected ${removed}`);
      }
      case Opcode.Put:
      case Opcode.PutIfAbsent:
      case Opcode.Replace:
      case Opcode.GetAndPut: {
        const [k, v] = [key(args[0]), value(args[1])];
        if (k === undefined || v === undefined) return complain('accepted a key or value that is not non-empty bytes');
        const had = cache.get(k);
        if (opcode === Opcode.PutIfAbsent && result !== (had === undefined)) return complain(`answered ${String(result)}, the key was ${had === undefined ? 'absent' : 'present'}`);
        if (opcode === Opcode.Replace && result !== (had !== undefined)) return complain(`answered ${String(result)}, the key was ${had === undefined ? 'absent' : 'present'}`);
        if (opcode === Opcode.GetAndPut && !same(result, had)) return complain('returned other bytes than were there');
        if (opcode === Opcode.Put || opcode === Opcode.GetAndPut || result === true) cache.set(k, v);
        return undefined;
      }
      case Opcode.ReplaceIfEquals: {
        const [k, expected, v] = [key(args[0]), value(args[1]), value(args[2])];
        if (k === undefined || expected === undefined || v === undefined) return complain('accepted a key or value that is not non-empty bytes');
        const matches = cache.get(k) === expected;
        if (result !== matches) return complain(`answered ${String(result)}, the stored bytes ${matches ? 'matched' : 'did not match'}`);
        if (matches) cache.set(k, v);
        return undefined;
      }
      case Opcode.PutAll: {
        const flat = args[0];
        if (!Array.isArray(flat) || flat.length % 2 !== 0) return complain('accepted entries that are not [key, value, ...]');
        const pairs: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) {
          const [k, v] = [key(flat[i]), value(flat[i + 1])];
          if (k === undefined || v === undefined) return complain('accepted a key or value that is not non-empty bytes');
          pairs.push([k, v]);
        }
        for (const [k, v] of pairs) cache.set(k, v);
        return undefined;
      }
      case Opcode.Size:
        return result === cache.size ? undefined : complain(`size ${describe(result)}, expected ${cache.size}`);
      case Opcode.Clear:
        cache.clear();
        return undefined;
      case Opcode.Scan: {
        const flat = (result as unknown[])[1] as Uint8Array[];
        for (let i = 0; i < flat.length; i += 2) {
          const want = cache.get(latin1(flat[i]!));
          if (want === undefined) return complain('returned a key that is not in the cache');
          if (latin1(flat[i + 1]!) !== want) return complain('returned a value other than the one put');
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/** The operations this model knows the meaning of (from opcodes.ts). */
const MODELLED_OPCODES: ReadonlySet<number> = new Set([
  Opcode.Ping,
  Opcode.CreateCache,
  Opcode.DestroyCache,
  Opcode.ListCaches,
  Opcode.Get,
  Opcode.GetAll,
  Opcode.Put,
  Opcode.PutAll,
  Opcode.Remove,
  Opcode.RemoveAll,
  Opcode.ContainsKey,
  Opcode.PutIfAbsent,
  Opcode.Replace,
  Opcode.ReplaceIfEquals,
  Opcode.GetAndPut,
  Opcode.GetAndRemove,
  Opcode.Size,
  Opcode.Clear,
  Opcode.Scan,
  Opcode.AtomicGet,
  Opcode.AtomicSet,
  Opcode.AtomicAddAndGet,
  Opcode.AtomicGetAndAdd,
  Opcode.AtomicCompareAndSet,
]);

function isCacheOperation(opcode: number): boolean {
  return MODELLED_OPCODES.has(opcode) && opcode >= Opcode.Get && opcode <= Opcode.Scan;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
