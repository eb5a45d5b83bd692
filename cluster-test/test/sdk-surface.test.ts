import { type Cache, type Key, type Shoal, ShoalError } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError } from './support/helpers.js';

/** The cache SDK against one `shoal node` child process over a real socket. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;
let cacheCount = 0;

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
});

afterAll(() => fixtures.cleanup());

/** A fresh cache for one test. */
async function freshCache<K extends Key = Key, V = unknown>(config: Parameters<Shoal['createCache']>[1] = {}): Promise<Cache<K, V>> {
  const name = `surface-${++cacheCount}`;
  expect(await grid.createCache(name, config)).toBe(true);
  return grid.cache<K, V>(name);
}

describe('cache definitions', () => {
  it('createCache returns true when it creates, false for the same config again', async () => {
    expect(await grid.createCache('defs-a', { mode: 'partitioned', backups: 1 })).toBe(true);
    expect(await grid.createCache('defs-a', { mode: 'partitioned', backups: 1 })).toBe(false);
    // Defaults are partitioned with one backup: the same definition.
    expect(await grid.createCache('defs-a')).toBe(false);
    expect(await grid.createCache('defs-r', { mode: 'replicated', backups: 0 })).toBe(true);
    expect(await grid.createCache('defs-r', { mode: 'replicated', backups: 0 })).toBe(false);
  });

  it('createCache with a different config fails with CACHE_CONFIG_CONFLICT and leaves the cache as it was', async () => {
    expect(await grid.createCache('defs-b', { mode: 'partitioned', backups: 1 })).toBe(true);
    await grid.cache('defs-b').put('k', 'v');
    const err = await expectShoalError(grid.createCache('defs-b', { mode: 'replicated', backups: 1 }), 'CACHE_CONFIG_CONFLICT');
    expect(err).toBeInstanceOf(ShoalError);
    await expectShoalError(grid.createCache('defs-b', { mode: 'partitioned', backups: 2 }), 'CACHE_CONFIG_CONFLICT');
    expect(await grid.cache('defs-b').get('k')).toBe('v');
    const info = (await grid.listCaches()).find((c) => c.name === 'defs-b');
    expect(info).toMatchObject({ name: 'defs-b', mode: 'partitioned', backups: 1 });
  });

  it('listCaches lists every cache with its definition', async () => {
    await grid.createCache('defs-list-1', { mode: 'partitioned', backups: 2, partitions: 16 });
    await grid.createCache('defs-list-2', { mode: 'replicated', backups: 0 });
    const caches = await grid.listCaches();
    expect(Array.isArray(caches)).toBe(true);
    const byName = new Map(caches.map((c) => [c.name, c]));
    expect(byName.get('defs-list-1')).toEqual({ name: 'defs-list-1', mode: 'partitioned', backups: 2, partitions: 16, writeSync: 'full' });
    expect(byName.get('defs-list-2')).toMatchObject({ name: 'defs-list-2', mode: 'replicated', backups: 0 });
    expect(byName.get('defs-list-2')!.partitions).toBeGreaterThan(0);
    // Names are unique.
    expect(byName.size).toBe(caches.length);
  });

  it('destroyCache drops the cache and its entries; true only if it existed', async () => {
    expect(await grid.createCache('defs-gone')).toBe(true);
    await grid.cache('defs-gone').put('k', 1);
    expect(await grid.destroyCache('defs-gone')).toBe(true);
    expect((await grid.listCaches()).map((c) => c.name)).not.toContain('defs-gone');
    await expectShoalError(grid.cache('defs-gone').get('k'), 'CACHE_NOT_FOUND');
    expect(await grid.destroyCache('defs-gone')).toBe(false);
    expect(await grid.destroyCache('never-existed')).toBe(false);
    // Created again, it starts empty.
    expect(await grid.createCache('defs-gone')).toBe(true);
    expect(await grid.cache('defs-gone').get('k')).toBeUndefined();
    expect(await grid.cache('defs-gone').size()).toBe(0);
  });

  it('ping answers', async () => {
    await expect(grid.ping()).resolves.toBeUndefined();
  });
});

describe('key/value operations', () => {
  it('put then get; get of an absent key is undefined; put overwrites', async () => {
    const c = await freshCache<string, unknown>();
    expect(await c.get('absent')).toBeUndefined();
    await c.put('a', { name: 'Ada' });
    expect(await c.get('a')).toEqual({ name: 'Ada' });
    await c.put('a', { name: 'Grace' });
    expect(await c.get('a')).toEqual({ name: 'Grace' });
    expect(await c.size()).toBe(1);
  });

  it('getAll returns a Map of the keys found only', async () => {
    const c = await freshCache<string, number>();
    await c.put('a', 1);
    await c.put('b', 2);
    const found = await c.getAll(['a', 'missing', 'b', 'also-missing']);
    expect(found).toBeInstanceOf(Map);
    expect(found).toEqual(new Map([['a', 1], ['b', 2]]));
    expect(found.has('missing')).toBe(false);
    expect(await c.getAll([])).toEqual(new Map());
    expect(await c.getAll(['nope'])).toEqual(new Map());
  });

  it('getAll over more keys than one request carries', async () => {
    const c = await freshCache<number, number>();
    const entries = new Map(Array.from({ length: 12_000 }, (_, i) => [i, i * 2] as const));
    await c.putAll(entries);
    const keys = [...entries.keys(), -1, -2];
    const found = await c.getAll(keys);
    expect(found.size).toBe(12_000);
    for (const [k, v] of entries) expect(found.get(k)).toBe(v);
  });

  it('putAll stores every entry, from a Map or an iterable of pairs', async () => {
    const c = await freshCache<string, string>();
    await c.putAll(new Map([['x', 'X'], ['y', 'Y']]));
    await c.putAll([['z', 'Z'] as const]);
    expect(await c.getAll(['x', 'y', 'z'])).toEqual(new Map([['x', 'X'], ['y', 'Y'], ['z', 'Z']]));
    expect(await c.size()).toBe(3);
    await c.putAll(new Map());
    expect(await c.size()).toBe(3);
  });

  it('remove reports whether the key was there', async () => {
    const c = await freshCache<string, number>();
    await c.put('k', 1);
    expect(await c.remove('k')).toBe(true);
    expect(await c.get('k')).toBeUndefined();
    expect(await c.remove('k')).toBe(false);
    expect(await c.remove('never')).toBe(false);
  });

  it('removeAll returns how many of the keys were there', async () => {
    const c = await freshCache<string, number>();
    await c.putAll(new Map([['a', 1], ['b', 2], ['c', 3]]));
    expect(await c.removeAll(['a', 'c', 'zzz'])).toBe(2);
    expect(await c.getAll(['a', 'b', 'c'])).toEqual(new Map([['b', 2]]));
    expect(await c.removeAll(['a', 'c'])).toBe(0);
    expect(await c.removeAll([])).toBe(0);
    expect(await c.size()).toBe(1);
  });

  it('containsKey', async () => {
    const c = await freshCache<string, number>();
    expect(await c.containsKey('k')).toBe(false);
    await c.put('k', 0);
    expect(await c.containsKey('k')).toBe(true);
    await c.remove('k');
    expect(await c.containsKey('k')).toBe(false);
  });

  it('putIfAbsent stores only when absent', async () => {
    const c = await freshCache<string, string>();
    expect(await c.putIfAbsent('k', 'first')).toBe(true);
    expect(await c.putIfAbsent('k', 'second')).toBe(false);
    expect(await c.get('k')).toBe('first');
  });

  it('replace stores only when present', async () => {
    const c = await freshCache<string, string>();
    expect(await c.replace('k', 'v1')).toBe(false);
    expect(await c.get('k')).toBeUndefined();
    await c.put('k', 'v1');
    expect(await c.replace('k', 'v2')).toBe(true);
    expect(await c.get('k')).toBe('v2');
  });

  it('replaceIfEquals replaces only when the current value equals the expected one', async () => {
    const c = await freshCache<string, { n: number; tags: string[] }>();
    expect(await c.replaceIfEquals('k', { n: 1, tags: [] }, { n: 2, tags: [] })).toBe(false);
    expect(await c.get('k')).toBeUndefined();
    await c.put('k', { n: 1, tags: ['a'] });
    expect(await c.replaceIfEquals('k', { n: 9, tags: ['a'] }, { n: 2, tags: [] })).toBe(false);
    expect(await c.get('k')).toEqual({ n: 1, tags: ['a'] });
    expect(await c.replaceIfEquals('k', { n: 1, tags: ['a'] }, { n: 2, tags: ['b'] })).toBe(true);
    expect(await c.get('k')).toEqual({ n: 2, tags: ['b'] });
  });

  it('getAndPut returns the previous value (undefined when there was none)', async () => {
    const c = await freshCache<string, number>();
    expect(await c.getAndPut('k', 1)).toBeUndefined();
    expect(await c.getAndPut('k', 2)).toBe(1);
    expect(await c.get('k')).toBe(2);
  });

  it('getAndRemove returns the value it removed (undefined when there was none)', async () => {
    const c = await freshCache<string, string>();
    expect(await c.getAndRemove('k')).toBeUndefined();
    await c.put('k', 'v');
    expect(await c.getAndRemove('k')).toBe('v');
    expect(await c.containsKey('k')).toBe(false);
    expect(await c.getAndRemove('k')).toBeUndefined();
  });

  it('size and clear', async () => {
    const c = await freshCache<number, number>();
    expect(await c.size()).toBe(0);
    await c.putAll(Array.from({ length: 250 }, (_, i) => [i, i] as const));
    expect(await c.size()).toBe(250);
    await c.clear();
    expect(await c.size()).toBe(0);
    expect(await c.get(7)).toBeUndefined();
    await c.put(1, 1);
    expect(await c.size()).toBe(1);
  });

  it('caches are independent of each other', async () => {
    const a = await freshCache<string, string>();
    const b = await freshCache<string, string>();
    await a.put('k', 'in a');
    expect(await b.get('k')).toBeUndefined();
    await b.put('k', 'in b');
    expect(await a.get('k')).toBe('in a');
    await a.clear();
    expect(await b.get('k')).toBe('in b');
  });

  it('a replicated cache serves the same operations', async () => {
    const c = await freshCache<string, number>({ mode: 'replicated', backups: 0 });
    await c.put('a', 1);
    expect(await c.putIfAbsent('a', 2)).toBe(false);
    expect(await c.getAndPut('a', 3)).toBe(1);
    expect(await c.getAll(['a', 'b'])).toEqual(new Map([['a', 3]]));
    expect(await c.size()).toBe(1);
  });

  it('many operations issued at once all complete with their own results', async () => {
    const c = await freshCache<number, number>();
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => c.put(i, i * i)));
    const values = await Promise.all(Array.from({ length: 1_000 }, (_, i) => c.get(i)));
    expect(values).toEqual(Array.from({ length: 1_000 }, (_, i) => i * i));
  });
});

describe('entries() scan', () => {
  it('yields every one of 5000 entries exactly once', async () => {
    const c = await freshCache<string, { i: number }>();
    const expected = new Map(Array.from({ length: 5_000 }, (_, i) => [`key-${i}`, { i }] as const));
    await c.putAll(expected);
    const seen = new Map<string, { i: number }>();
    let yielded = 0;
    for await (const [k, v] of c.entries()) {
      yielded++;
      expect(seen.has(k), `key ${k} yielded twice`).toBe(false);
      seen.set(k, v);
    }
    expect(yielded).toBe(5_000);
    expect(seen).toEqual(expected);
  });

  it('yields every entry exactly once with small pages and few partitions', async () => {
    const c = await freshCache<number, number>({ partitions: 8 });
    await c.putAll(Array.from({ length: 500 }, (_, i) => [i, i * 2] as const));
    const keys: number[] = [];
    for await (const [k, v] of c.entries(7)) {
      expect(v).toBe(k * 2);
      keys.push(k);
    }
    expect(keys.sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('yields nothing for an empty cache', async () => {
    const c = await freshCache();
    const all = [];
    for await (const entry of c.entries()) all.push(entry);
    expect(all).toEqual([]);
  });

  it('yields composite keys as equal keys', async () => {
    const c = await freshCache<Key, string>();
    await c.put({ tenant: 't1', id: 7 }, 'obj');
    await c.put(['a', 1, ['nested']], 'arr');
    const all = new Map<string, Key>();
    for await (const [k, v] of c.entries()) all.set(v, k);
    expect(all.get('obj')).toEqual({ id: 7, tenant: 't1' });
    expect(all.get('arr')).toEqual(['a', 1, ['nested']]);
  });

  it('yields number keys back as the same numbers, beyond 32 bits too', async () => {
    const c = await freshCache<number, string>();
    const keys = [0, 1, -1, 255, 65_536, 2 ** 31, 2 ** 32, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1.5, -0.25];
    await c.putAll(keys.map((k) => [k, String(k)] as const));
    const scanned = new Map<string, unknown>();
    for await (const [k, v] of c.entries()) scanned.set(v, k);
    for (const k of keys) expect(scanned.get(String(k)), `key ${k}`).toBe(k);
  });
});

describe('composite keys', () => {
  it('objects with the same fields in different orders are the same key', async () => {
    const c = await freshCache<Key, string>();
    await c.put({ region: 'eu', customer: 42 }, 'v1');
    expect(await c.get({ customer: 42, region: 'eu' })).toBe('v1');
    expect(await c.containsKey({ customer: 42, region: 'eu' })).toBe(true);
    await c.put({ customer: 42, region: 'eu' }, 'v2');
    expect(await c.size()).toBe(1);
    expect(await c.get({ region: 'eu', customer: 42 })).toBe('v2');
    expect(await c.remove({ customer: 42, region: 'eu' })).toBe(true);
    expect(await c.size()).toBe(0);
  });

  it('field order does not matter in nested objects either', async () => {
    const c = await freshCache<Key, string>();
    await c.put({ outer: { b: 1, a: [1, { y: 'y', x: 'x' }] }, z: 'z' }, 'nested');
    expect(await c.get({ z: 'z', outer: { a: [1, { x: 'x', y: 'y' }], b: 1 } })).toBe('nested');
  });

  it('getAll, putIfAbsent and removeAll meet the same composite keys', async () => {
    const c = await freshCache<Key, number>();
    await c.putAll([
      [{ a: 1, b: 2 }, 12],
      [{ a: 3, b: 4 }, 34],
    ]);
    const found = await c.getAll([{ b: 2, a: 1 }, { b: 9, a: 9 }]);
    expect([...found.values()]).toEqual([12]);
    expect(await c.putIfAbsent({ b: 4, a: 3 }, 0)).toBe(false);
    expect(await c.removeAll([{ b: 2, a: 1 }, { b: 4, a: 3 }])).toBe(2);
  });

  it('arrays are keys; their order matters', async () => {
    const c = await freshCache<Key, string>();
    await c.put(['order', 1], 'first');
    await c.put([1, 'order'], 'swapped');
    await c.put([], 'empty');
    expect(await c.get(['order', 1])).toBe('first');
    expect(await c.get([1, 'order'])).toBe('swapped');
    expect(await c.get([])).toBe('empty');
    expect(await c.get(['order'])).toBeUndefined();
    expect(await c.size()).toBe(3);
  });

  it('keys of different types are different keys', async () => {
    const c = await freshCache<Key, string>();
    await c.put(1, 'number');
    await c.put('1', 'string');
    await c.put([1], 'array');
    await c.put({ '1': 1 }, 'object');
    expect(await c.get(1)).toBe('number');
    expect(await c.get('1')).toBe('string');
    expect(await c.get([1])).toBe('array');
    expect(await c.get({ '1': 1 })).toBe('object');
    expect(await c.size()).toBe(4);
  });

  it('unicode and empty string keys', async () => {
    const c = await freshCache<string, number>();
    const keys = ['', ' ', 'café', 'naïve', '日本語', '🐟🐠', 'a\u0000b', 'Ω'.repeat(1000)];
    await c.putAll(keys.map((k, i) => [k, i] as const));
    for (const [i, k] of keys.entries()) expect(await c.get(k)).toBe(i);
    expect(await c.get('cafe')).toBeUndefined();
  });
});

/**
 * Byte arrays as plain Uint8Arrays, recursively: the SDK may hand bytes back as
 * a Uint8Array subclass (Buffer), which is still a Uint8Array.
 */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

describe('values', () => {
  const values: Record<string, unknown> = {
    string: 'hello',
    emptyString: '',
    unicode: 'Zürich – 東京 – 🐟 – עברית – \u{1F600}',
    integer: 42,
    negative: -17,
    float: 3.141592653589793,
    bigNumber: 2 ** 40,
    maxSafe: Number.MAX_SAFE_INTEGER,
    minSafe: Number.MIN_SAFE_INTEGER,
    zero: 0,
    booleanTrue: true,
    booleanFalse: false,
    array: [1, 'two', [3, [4]], { five: 5 }],
    emptyArray: [],
    emptyObject: {},
    nested: { customer: { name: 'Ada', tags: ['gold', 'early'], address: { city: 'London', zip: null } }, score: 9.5 },
    date: new Date('2024-02-29T12:34:56.789Z'),
    epoch: new Date(0),
    oldDate: new Date('1900-01-01T00:00:00.000Z'),
    futureDate: new Date('2262-04-11T23:47:16.854Z'),
    datesInside: { createdAt: new Date('2023-01-01T00:00:00.001Z'), history: [new Date(1_700_000_000_123)] },
    bigint: 1234567890123456789n,
    bigintMax: 2n ** 63n - 1n,
    bigintMin: -(2n ** 63n),
    bigintUnsignedMax: 2n ** 64n - 1n,
    bigintSmall: 5n,
    bigintNegative: -5n,
    bigintInside: { id: 9007199254740993n, parts: [1n, -1n] },
    bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
    emptyBytes: new Uint8Array(0),
  };

  for (const [name, value] of Object.entries(values)) {
    it(`round-trips ${name}`, async () => {
      const c = await freshCache<string, unknown>();
      await c.put(name, value);
      const back = await c.get(name);
      expect(plain(back)).toEqual(value);
      if (value instanceof Date) expect((back as Date).getTime()).toBe(value.getTime());
      if (typeof value === 'bigint') expect(typeof back).toBe('bigint');
      if (typeof value === 'number') expect(typeof back).toBe('number');
      if (value instanceof Uint8Array) expect(back).toBeInstanceOf(Uint8Array);
    });
  }

  it('round-trips every value type through getAll, getAndPut, getAndRemove and the scan', async () => {
    const c = await freshCache<string, unknown>();
    await c.putAll(Object.entries(values));
    expect(plain(await c.getAll(Object.keys(values)))).toEqual(new Map(Object.entries(values)));
    const scanned = new Map<string, unknown>();
    for await (const [k, v] of c.entries()) scanned.set(k, plain(v));
    expect(scanned).toEqual(new Map(Object.entries(values)));
    expect(await c.getAndPut('bigint', 0n)).toBe(values.bigint);
    expect(await c.getAndRemove('date')).toEqual(values.date);
  });

  it('round-trips a 1 MB string and 1 MB of bytes', async () => {
    const c = await freshCache<string, unknown>();
    const text = 'ab€🐟'.repeat(100_000); // ~1 MB of UTF-8
    const bytes = new Uint8Array(1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    await c.put('text', text);
    await c.put('bytes', bytes);
    expect(await c.get('text')).toBe(text);
    const back = (await c.get('bytes')) as Uint8Array;
    expect(back).toBeInstanceOf(Uint8Array);
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0);
  });

  it('round-trips a large nested value of ~1 MB', async () => {
    const c = await freshCache<string, unknown>();
    const big = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `row-${i}`, at: new Date(i * 1000), pad: 'x'.repeat(64) })) };
    await c.put('big', big);
    expect(await c.get('big')).toEqual(big);
  });

  it('values are copies: changing the object after put does not change the stored value', async () => {
    const c = await freshCache<string, { n: number }>();
    const value = { n: 1 };
    await c.put('k', value);
    value.n = 2;
    expect(await c.get('k')).toEqual({ n: 1 });
  });
});
