import {
  ATOMIC_LONGS_CACHE,
  ChangeTag,
  ErrorCode,
  Opcode,
  type WirePartitionMap,
  type WireRequest,
  decodeValue,
  encodeKey,
  encodeValue,
  partitionOf,
} from '../../src/protocol/index.js';

/** What a fake node answers one request with. */
export type Reply = { readonly ok: unknown } | { readonly error: ErrorCode; readonly message?: string };

/** An error to answer instead of serving, for requests `matching`, `times` times. */
interface Fault {
  readonly matching: (request: WireRequest) => boolean;
  readonly code: ErrorCode;
  times: number;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const bytesOf = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/**
 * A node of a scripted grid: stores what it is primary of, answers
 * NOT_PRIMARY for a key whose primary (under the map it sees) is another
 * member, and serves the map. Every request it receives is logged.
 */
export class FakeNode {
  readonly received: WireRequest[] = [];
  /** `[cache, key latin1] → value bytes` of the entries it holds. */
  readonly entries = new Map<string, Map<string, Uint8Array>>();
  private readonly counters = new Map<string, number>();
  private readonly faults: Fault[] = [];

  constructor(
    readonly id: string,
    readonly address: string,
    /** The map this node answers under (and serves). */
    private readonly view: () => WirePartitionMap,
    /** Serves CreateCache and DestroyCache for the whole grid. */
    private readonly admin: (opcode: number, name: string) => Reply,
  ) {}

  /** Answers the next `times` requests matching `opcode` (any when omitted) with `code`. */
  fail(code: ErrorCode, options: { opcode?: number; times?: number } = {}): void {
    this.faults.push({ matching: (r) => options.opcode === undefined || r[1] === options.opcode, code, times: options.times ?? 1 });
  }

  /** How many requests of `opcode` it received. */
  count(opcode: number): number {
    return this.received.filter((r) => r[1] === opcode).length;
  }

  handle(request: WireRequest): Reply {
    this.received.push(request);
    const fault = this.faults.find((f) => f.times > 0 && f.matching(request));
    if (fault !== undefined) {
      fault.times--;
      return { error: fault.code, message: `scripted ${fault.code}` };
    }
    const opcode = request[1] as number;
    const args = request.slice(2);
    if (opcode === Opcode.PartitionMap) return { ok: this.view() };
    if (opcode === Opcode.Ping) return { ok: null };
    if (opcode === Opcode.CreateCache || opcode === Opcode.DestroyCache) return this.admin(opcode, args[0] as string);
    const cache = args[0] as string;
    const route = this.view().caches[cache];
    if (route === undefined && opcode < Opcode.AtomicGet) return { error: ErrorCode.CacheNotFound, message: `no cache '${cache}'` };
    return this.serve(opcode, cache, args);
  }

  private serve(opcode: number, cache: string, args: readonly unknown[]): Reply {
    switch (opcode) {
      case Opcode.Get:
      case Opcode.Put:
      case Opcode.Remove:
      case Opcode.ContainsKey:
        return this.keyed(opcode, cache, args[1] as Uint8Array, args[2] as Uint8Array | undefined);
      case Opcode.GetAll:
        return this.all(cache, args[1] as Uint8Array[], (store, key) => store.get(key) ?? null, (values) => encodeValue(values.map((v) => (v === null ? null : decodeValue(v as Uint8Array)))));
      case Opcode.PutAll:
        return this.putAll(cache, args[1] as Uint8Array[]);
      case Opcode.RemoveAll:
        return this.all(cache, args[1] as Uint8Array[], (store, key) => store.delete(key), (done) => done.filter(Boolean).length);
      case Opcode.ApplyChanges: {
        // A put answers true (applied), a remove false, so a test can see the order of the answers.
        const changes = args[1] as unknown[][];
        return this.all(cache, changes.map((c) => c[1] as Uint8Array), () => null, () => changes.map((c) => c[0] === ChangeTag.Put));
      }
      case Opcode.Size:
        return { ok: this.store(cache).size };
      case Opcode.Clear:
        this.store(cache).clear();
        return { ok: null };
      case Opcode.Scan:
        return this.scan(cache, args[1] as number);
      case Opcode.AtomicAddAndGet:
        return this.addAndGet(args[0] as string, args[1] as number);
      case Opcode.AtomicGet:
        return this.addAndGet(args[0] as string, 0);
      default:
        return { error: ErrorCode.UnknownOperation, message: `fake node does not do ${opcode}` };
    }
  }

  /** The partition of `key`, or the error when this node is not its primary. */
  private owns(cache: string, key: Uint8Array): Reply | undefined {
    const map = this.view();
    const primaries = map.caches[cache]!.primaries;
    const partition = partitionOf(key, primaries.length);
    const primary = primaries[partition]!;
    if (primary === -1) return { error: ErrorCode.PartitionLost, message: `partition ${partition} lost` };
    if (map.members[primary]?.[0] !== this.id) return { error: ErrorCode.NotPrimary, message: `not primary of ${partition}` };
    return undefined;
  }

  private keyed(opcode: number, cache: string, key: Uint8Array, value: Uint8Array | undefined): Reply {
    const refused = this.owns(cache, key);
    if (refused) return refused;
    const store = this.store(cache);
    const k = latin1(key);
    if (opcode === Opcode.Get) return { ok: store.get(k) ?? null };
    if (opcode === Opcode.ContainsKey) return { ok: store.has(k) };
    if (opcode === Opcode.Remove) return { ok: store.delete(k) };
    store.set(k, value!);
    return { ok: null };
  }

  private all<T>(cache: string, keys: Uint8Array[], each: (store: Map<string, Uint8Array>, key: string) => T, answer: (done: T[]) => unknown): Reply {
    for (const key of keys) {
      const refused = this.owns(cache, key);
      if (refused) return refused;
    }
    const store = this.store(cache);
    return { ok: answer(keys.map((key) => each(store, latin1(key)))) };
  }

  private putAll(cache: string, flat: Uint8Array[]): Reply {
    const keys = flat.filter((_, i) => i % 2 === 0);
    const refused = keys.map((k) => this.owns(cache, k)).find((r) => r !== undefined);
    if (refused) return refused;
    for (let i = 0; i < flat.length; i += 2) this.store(cache).set(latin1(flat[i]!), flat[i + 1]!);
    return { ok: null };
  }

  /** Entries of the consecutive partitions from `cursor` this node is primary of, and where to go on. */
  private scan(cache: string, cursor: number): Reply {
    const map = this.view();
    const primaries = map.caches[cache]!.primaries;
    const mine = (p: number) => map.members[primaries[p]!]?.[0] === this.id;
    if (!mine(cursor)) return { error: ErrorCode.NotPrimary, message: `not primary of ${cursor}` };
    let end = cursor;
    while (end < primaries.length && mine(end)) end++;
    const flat: Uint8Array[] = [];
    for (const [key, value] of this.store(cache)) {
      const p = partitionOf(bytesOf(key), primaries.length);
      if (p >= cursor && p < end) flat.push(bytesOf(key), value);
    }
    return { ok: [end < primaries.length ? end : null, flat] };
  }

  private addAndGet(name: string, delta: number): Reply {
    const refused = this.owns(ATOMIC_LONGS_CACHE, encodeKey(name));
    if (refused) return refused;
    const value = (this.counters.get(name) ?? 0) + delta;
    this.counters.set(name, value);
    return { ok: value };
  }

  private store(cache: string): Map<string, Uint8Array> {
    let store = this.entries.get(cache);
    if (store === undefined) this.entries.set(cache, (store = new Map()));
    return store;
  }
}
