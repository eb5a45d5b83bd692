import { describe, expect, it } from 'vitest';
import { parseCacheDefinition } from '../src/storage/cache-definition.js';
import { CacheRegistry } from '../src/storage/cache-registry.js';
import { PartitionStore } from '../src/storage/partition-store.js';

describe('PartitionStore', () => {
  it('accounts the bytes of keys and values it holds', () => {
    const store = new PartitionStore('c', 0);
    expect(store.set('k1', 'abc')).toBeUndefined();
    expect(store.bytes).toBe(5);
    expect(store.set('k1', 'abcdef')).toBe('abc');
    expect(store.bytes).toBe(8);
    expect(store.delete('k1')).toBe('abcdef');
    expect(store.delete('k1')).toBeUndefined();
    expect(store.bytes).toBe(0);
    expect(store.size).toBe(0);
  });
});

describe('CacheRegistry', () => {
  it('creates idempotently and refuses a different config', () => {
    const registry = new CacheRegistry(16);
    const definition = parseCacheDefinition('c', { backups: 2 }, 16);
    expect(registry.create(definition)).toBe(true);
    expect(registry.create(definition)).toBe(false);
    expect(() => registry.create(parseCacheDefinition('c', { backups: 1 }, 16))).toThrow(expect.objectContaining({ code: 'CACHE_CONFIG_CONFLICT' }));
    expect(registry.list().map((c) => c.name)).toEqual(['c']);
    expect(() => registry.require('missing')).toThrow(expect.objectContaining({ code: 'CACHE_NOT_FOUND' }));
  });
});

describe('parseCacheDefinition', () => {
  it('fills defaults', () => {
    expect(parseCacheDefinition('c', undefined, 1024)).toEqual({ name: 'c', mode: 'partitioned', backups: 1, partitions: 1024, writeSync: 'full' });
  });

  it.each([
    ['', {}],
    ['__shoal.x', {}],
    [5, {}],
    ['c', { mode: 'sharded' }],
    ['c', { backups: -1 }],
    ['c', { backups: 1.5 }],
    ['c', { partitions: 0 }],
    ['c', { colour: 'red' }],
    ['c', [1]],
  ])('refuses name %j config %j with BAD_REQUEST', (name, config) => {
    expect(() => parseCacheDefinition(name, config)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
