import { ChangeTag, Opcode, decodeValue, encodeKey, encodeValue } from '@shoal/client/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../src/handlers/handler.js';
import { handlers } from '../src/handlers/handler-table.js';
import { parseCacheDefinition } from '../src/storage/cache-definition.js';
import { CacheRegistry } from '../src/storage/cache-registry.js';
import { PartitionStore } from '../src/storage/partition-store.js';

describe('PartitionStore versions and tombstones', () => {
  it('a plain store keeps no versions', () => {
    const store = new PartitionStore('c', 0);
    store.set('k', 'v');
    store.delete('k');
    expect(store.versionOf('k')).toBeUndefined();
    expect(store.versionedKeys).toBe(0);
    expect(store.tombstones).toBe(0);
  });

  it('a versioned put stores the entry and its version; bytes count keys and values only', () => {
    const store = new PartitionStore('c', 0);
    expect(store.putVersioned('k', 'abc', 'v1')).toBeUndefined();
    expect(store.get('k')).toBe('abc');
    expect(store.versionOf('k')).toBe('v1');
    expect(store.bytes).toBe(4);
    expect(store.putVersioned('k', 'abcd', 'v2')).toBe('abc');
    expect(store.versionOf('k')).toBe('v2');
    expect(store.bytes).toBe(5);
    expect(store.size).toBe(1);
    expect(store.tombstones).toBe(0);
  });

  it('a versioned remove deletes the entry and leaves a tombstone that reads as absent', () => {
    const store = new PartitionStore('c', 0);
    store.putVersioned('k', 'abc', 'v1');
    expect(store.removeVersioned('k', 'v2')).toBe('abc');
    expect(store.get('k')).toBeUndefined();
    expect(store.size).toBe(0);
    expect([...store.entries]).toEqual([]);
    expect(store.bytes).toBe(0);
    expect(store.versionOf('k')).toBe('v2');
    expect(store.tombstones).toBe(1);
    // A remove of a key never seen leaves a tombstone too; removing a tombstone again keeps one.
    expect(store.removeVersioned('other', 'v1')).toBeUndefined();
    expect(store.removeVersioned('other', 'v3')).toBeUndefined();
    expect(store.tombstones).toBe(2);
    expect(store.versionOf('other')).toBe('v3');
    // A versioned put over a tombstone revives the key.
    store.putVersioned('k', 'x', 'v3');
    expect(store.tombstones).toBe(1);
    expect(store.get('k')).toBe('x');
  });

  it('a plain put forgets the version, and clears a tombstone', () => {
    const store = new PartitionStore('c', 0);
    store.putVersioned('a', '1', 'v1');
    store.removeVersioned('b', 'v1');
    store.set('a', '2');
    expect(store.versionOf('a')).toBeUndefined();
    expect(store.tombstones).toBe(1);
    store.set('b', '3');
    expect(store.versionOf('b')).toBeUndefined();
    expect(store.tombstones).toBe(0);
    expect(store.versionedKeys).toBe(0);
    expect(store.get('b')).toBe('3');
  });

  it('a plain delete forgets the version of an entry it removes but leaves a tombstone alone', () => {
    const store = new PartitionStore('c', 0);
    store.putVersioned('a', '1', 'v1');
    store.removeVersioned('b', 'v1');
    expect(store.delete('a')).toBe('1');
    expect(store.versionOf('a')).toBeUndefined();
    expect(store.delete('b')).toBeUndefined();
    expect(store.versionOf('b')).toBe('v1');
    expect(store.tombstones).toBe(1);
  });

  it('clear drops entries, versions and tombstones', () => {
    const store = new PartitionStore('c', 0);
    store.set('plain', 'p');
    store.putVersioned('a', '1', 'v1');
    store.removeVersioned('b', 'v1');
    store.clear();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
    expect(store.tombstones).toBe(0);
    expect(store.versionedKeys).toBe(0);
    expect(store.versionOf('a')).toBeUndefined();
    expect(store.versionOf('b')).toBeUndefined();
  });
});

/** Runs ApplyChanges through the handler table, as a session would. */
function harness() {
  const caches = new CacheRegistry(8);
  caches.create(parseCacheDefinition('c', {}, 8));
  const context: HandlerContext = { caches, partitionMap: () => ({ epoch: 0, members: [], caches: {} }), leads: () => true };
  const call = (opcode: number, ...args: unknown[]) => handlers[opcode as Opcode]([1, opcode, ...args], context);
  const cache = caches.require('c');
  return {
    cache,
    apply: (...changes: unknown[][]) => call(Opcode.ApplyChanges, 'c', changes) as boolean[],
    get: (key: string) => {
      const bytes = call(Opcode.Get, 'c', encodeKey(key)) as Buffer | null;
      return bytes === null ? undefined : decodeValue(bytes);
    },
    put: (key: string, value: unknown) => call(Opcode.Put, 'c', encodeKey(key), encodeValue(value)),
    clear: () => call(Opcode.Clear, 'c'),
    /** Every entry, decoded, sorted by key. */
    state: () =>
      cache.partitions
        .flatMap((p) => [...p.entries])
        .map(([k, v]) => [decodeValue(Buffer.from(k, 'latin1')), decodeValue(Buffer.from(v, 'latin1'))] as const)
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  };
}

const v = (...bytes: number[]) => Uint8Array.from(bytes);
const put = (key: string, value: unknown, version: Uint8Array) => [ChangeTag.Put, encodeKey(key), encodeValue(value), version];
const remove = (key: string, version: Uint8Array) => [ChangeTag.Remove, encodeKey(key), version];

describe('ApplyChanges handler', () => {
  it('applies newer and equal versions, skips older ones, and answers in order', () => {
    const h = harness();
    expect(h.apply(put('k', 'a', v(5)))).toEqual([true]);
    expect(h.apply(put('k', 'b', v(6)), put('k', 'old', v(4)), put('k', 'c', v(6)), put('k', 'short', v(6, 0)))).toEqual([true, false, true, true]);
    expect(h.get('k')).toBe('short');
    expect(h.apply(put('k', 'prefix', v(6)))).toEqual([false]); // [6] < [6, 0]
    expect(h.cache.stats).toMatchObject({ puts: 4, stale: 2 });
  });

  it('a remove leaves a tombstone that blocks older puts but not newer ones', () => {
    const h = harness();
    h.apply(put('k', 'a', v(1)));
    expect(h.apply(remove('k', v(3)))).toEqual([true]);
    expect(h.get('k')).toBeUndefined();
    expect(h.cache.tombstones).toBe(1);
    expect(h.cache.size).toBe(0);
    expect(h.apply(put('k', 'replayed', v(2)), remove('k', v(2)))).toEqual([false, false]);
    expect(h.get('k')).toBeUndefined();
    expect(h.apply(put('k', 'new', v(4)))).toEqual([true]);
    expect(h.get('k')).toBe('new');
    expect(h.cache.tombstones).toBe(0);
    expect(h.cache.stats).toMatchObject({ puts: 2, removals: 1, stale: 2 });
  });

  it('a plain put takes the key over: its version is forgotten', () => {
    const h = harness();
    h.apply(put('k', 'cdc', v(9)));
    h.put('k', 'manual');
    expect(h.cache.partitionFor(encodeKey('k')).versionOf(Buffer.from(encodeKey('k')).toString('latin1'))).toBeUndefined();
    expect(h.apply(put('k', 'older', v(1)))).toEqual([true]);
    expect(h.get('k')).toBe('older');
  });

  it('clear drops versions and tombstones', () => {
    const h = harness();
    h.apply(put('a', 1, v(9)), remove('b', v(9)));
    expect(h.cache.tombstones).toBe(1);
    h.clear();
    expect(h.cache.tombstones).toBe(0);
    expect(h.apply(put('a', 2, v(1)), put('b', 3, v(1)))).toEqual([true, true]);
    expect(h.state()).toEqual([['a', 2], ['b', 3]]);
  });

  it.each([
    ['not an array', ['x']],
    ['an unknown tag', [[2, encodeKey('k'), v(1)]]],
    ['a put without a version', [[ChangeTag.Put, encodeKey('k'), encodeValue(1)]]],
    ['a put with an extra element', [[...put('k', 1, v(1)), 0]]],
    ['a remove with a value', [[ChangeTag.Remove, encodeKey('k'), encodeValue(1), v(1)]]],
    ['an empty version', [put('k', 1, v())]],
    ['a version too long', [put('k', 1, new Uint8Array(1025))]],
    ['a version that is a string', [[ChangeTag.Put, encodeKey('k'), encodeValue(1), 'v1']]],
    ['a key that is not bytes', [[ChangeTag.Remove, 'k', v(1)]]],
    ['an empty value', [[ChangeTag.Put, encodeKey('k'), new Uint8Array(0), v(1)]]],
  ])('refuses %s with BAD_REQUEST, writing nothing of the request', (_what, bad) => {
    const h = harness();
    h.apply(put('kept', 'before', v(5)));
    const changes = [put('kept', 'after', v(6)), put('new', 1, v(1)), remove('gone', v(1)), ...bad];
    expect(() => h.apply(...(changes as unknown[][]))).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(h.state()).toEqual([['kept', 'before']]);
    expect(h.cache.tombstones).toBe(0);
    expect(h.cache.stats).toMatchObject({ puts: 1, stale: 0 });
  });

  it('refuses a changes argument that is not an array, and an unknown cache', () => {
    const registry = new CacheRegistry(4);
    registry.create(parseCacheDefinition('c', {}, 4));
    expect(() => handlers[Opcode.ApplyChanges]([1, Opcode.ApplyChanges, 'c', 'nope'], { caches: registry })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => handlers[Opcode.ApplyChanges]([1, Opcode.ApplyChanges, 'missing', []], { caches: registry })).toThrow(expect.objectContaining({ code: 'CACHE_NOT_FOUND' }));
    expect(handlers[Opcode.ApplyChanges]([1, Opcode.ApplyChanges, 'c', []], { caches: registry })).toEqual([]);
  });

  it('any order of a history, with duplicates, ends where the history in order ends', () => {
    // A history: per key, changes with strictly increasing versions (a source's log).
    const step = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), remove: fc.boolean(), value: fc.integer({ min: 0, max: 99 }) });
    const history = fc.array(step, { maxLength: 40 }).map((steps) =>
      steps.map((s, position) => {
        // Big-endian position, sometimes with a trailing event index: still strictly increasing.
        const version = position % 3 === 0 ? v(position >> 8, position & 0xff) : v(position >> 8, position & 0xff, 0);
        return s.remove ? remove(s.key, version) : put(s.key, s.value, version);
      }),
    );
    const replay = history.chain((changes) =>
      fc.tuple(fc.constant(changes), fc.shuffledSubarray(changes.concat(changes), { minLength: changes.length * 2 }), fc.array(fc.nat({ max: 1000 }))),
    );
    fc.assert(
      fc.property(replay, ([inOrder, shuffled, cuts]) => {
        const expected = harness();
        expected.apply(...inOrder);
        const replayed = harness();
        // Replayed in several requests, as batches after a restart would be.
        let start = 0;
        for (const cut of cuts) {
          const end = Math.min(shuffled.length, start + (cut % 7));
          replayed.apply(...shuffled.slice(start, end));
          start = end;
        }
        replayed.apply(...shuffled.slice(start));
        expect(replayed.state()).toEqual(expected.state());
        expect(replayed.cache.tombstones).toBe(expected.cache.tombstones);
        // Everything once more changes nothing: every change is now stale or an exact duplicate.
        replayed.apply(...inOrder);
        expect(replayed.state()).toEqual(expected.state());
      }),
      { seed: 7_341, numRuns: 300 },
    );
  });
});
