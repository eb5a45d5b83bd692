import {
  BadRequestError,
  CacheNotFoundError,
  ConnectionClosedError,
  ErrorCode,
  type Key,
  SqlError,
  Shoal,
  ShoalError,
  TimeoutError,
  UnauthorizedError,
} from '@shoal/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError, rejectionOf } from './support/helpers.js';

/** Typed errors with stable codes, against one `shoal node` child process; the connection survives them. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
  await grid.createCache('errors');
});

afterAll(() => fixtures.cleanup());

/** After every test the same connection still serves requests. */
afterEach(async () => {
  await grid.ping();
  const c = grid.cache('errors');
  await c.put('alive', 1);
  expect(await c.get('alive')).toBe(1);
});

describe('error classes', () => {
  it('every class is a ShoalError and an Error with its stable code', () => {
    const cases: [ShoalError, string][] = [
      [new BadRequestError('m'), 'BAD_REQUEST'],
      [new UnauthorizedError('m'), 'UNAUTHORIZED'],
      [new CacheNotFoundError('m'), 'CACHE_NOT_FOUND'],
      [new TimeoutError('m'), 'TIMEOUT'],
      [new ConnectionClosedError('m'), 'CONNECTION_CLOSED'],
      [new SqlError('m'), 'SQL_ERROR'],
    ];
    for (const [err, code] of cases) {
      expect(err).toBeInstanceOf(ShoalError);
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe(code);
      expect(err.name).toBe(err.constructor.name);
    }
    for (const code of ['CACHE_NOT_FOUND', 'BAD_REQUEST', 'UNAUTHORIZED', 'PARTITION_LOST', 'UNAVAILABLE', 'TIMEOUT', 'SQL_ERROR']) {
      expect(Object.values(ErrorCode)).toContain(code);
    }
  });
});

describe('unknown caches', () => {
  it('every cache operation on a cache that does not exist fails with CacheNotFoundError', async () => {
    const c = grid.cache<string, number>('no-such-cache');
    const operations: [string, () => Promise<unknown>][] = [
      ['get', () => c.get('k')],
      ['getAll', () => c.getAll(['k'])],
      ['put', () => c.put('k', 1)],
      ['putAll', () => c.putAll([['k', 1]])],
      ['remove', () => c.remove('k')],
      ['removeAll', () => c.removeAll(['k'])],
      ['containsKey', () => c.containsKey('k')],
      ['putIfAbsent', () => c.putIfAbsent('k', 1)],
      ['replace', () => c.replace('k', 1)],
      ['replaceIfEquals', () => c.replaceIfEquals('k', 1, 2)],
      ['getAndPut', () => c.getAndPut('k', 1)],
      ['getAndRemove', () => c.getAndRemove('k')],
      ['size', () => c.size()],
      ['clear', () => c.clear()],
      ['entries', async () => { for await (const _ of c.entries()) void _; }],
    ];
    for (const [name, operation] of operations) {
      const err = await expectShoalError(operation(), 'CACHE_NOT_FOUND', CacheNotFoundError);
      expect(err.retryable, name).toBe(false);
      expect(err.message, name).toContain('no-such-cache');
    }
  });

  it('a cache destroyed while in use fails its next operation with CACHE_NOT_FOUND', async () => {
    await grid.createCache('errors-doomed');
    const c = grid.cache('errors-doomed');
    await c.put('k', 1);
    await grid.destroyCache('errors-doomed');
    await expectShoalError(c.get('k'), 'CACHE_NOT_FOUND', CacheNotFoundError);
  });
});

describe('bad keys', () => {
  const badKeys: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a function', () => 1],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a boolean', true],
    ['a bigint', 10n],
    ['a symbol', Symbol('k')],
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a class instance', new (class Point { x = 1; })()],
    ['a Uint8Array', new Uint8Array([1])],
    ['an array holding null', ['a', null]],
    ['an object holding undefined', { a: undefined }],
    ['an object holding NaN', { a: Number.NaN }],
    ['an array holding a function', [() => 1]],
  ];

  for (const [what, key] of badKeys) {
    it(`refuses ${what} as a key with BadRequestError`, async () => {
      const c = grid.cache<Key, unknown>('errors');
      const k = key as Key;
      await expectShoalError(c.get(k), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.put(k, 1), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.getAll(['fine', k]), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.remove(k), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.containsKey(k), 'BAD_REQUEST', BadRequestError);
    });
  }

  it('refuses a key nested absurdly deep with BAD_REQUEST', async () => {
    let key: Key = 'leaf';
    for (let i = 0; i < 1_000; i++) key = [key];
    await expectShoalError(grid.cache('errors').put(key, 1), 'BAD_REQUEST', BadRequestError);
  });

  it('a 1 MB key is either refused with BAD_REQUEST or stored and found again', async () => {
    const c = grid.cache<string, number>('errors');
    const key = 'k'.repeat(1024 * 1024);
    const outcome = await c.put(key, 1).then(
      () => 'stored',
      (err: unknown) => err,
    );
    if (outcome === 'stored') {
      expect(await c.get(key)).toBe(1);
      expect(await c.remove(key)).toBe(true);
    } else {
      expect(outcome).toBeInstanceOf(BadRequestError);
    }
  });
});

describe('bad values', () => {
  const badValues: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('v')],
  ];

  for (const [what, value] of badValues) {
    it(`refuses ${what} as a value with BadRequestError`, async () => {
      const c = grid.cache<string, unknown>('errors');
      await expectShoalError(c.put('k', value), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.putIfAbsent('k', value), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.replace('k', value), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.getAndPut('k', value), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.replaceIfEquals('k', 1, value), 'BAD_REQUEST', BadRequestError);
      await expectShoalError(c.replaceIfEquals('k', value, 1), 'BAD_REQUEST', BadRequestError);
      expect(await c.containsKey('k')).toBe(false);
    });
  }

  it('putAll with one bad entry writes nothing', async () => {
    await grid.createCache('errors-putall');
    const c = grid.cache<string, unknown>('errors-putall');
    const entries: [string, unknown][] = [['a', 1], ['b', null], ['c', 3]];
    await expectShoalError(c.putAll(entries), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(c.putAll([['a', 1], [null as unknown as string, 2]]), 'BAD_REQUEST', BadRequestError);
    expect(await c.size()).toBe(0);
  });

  it('a 64-bit integer value beyond int64/uint64 is refused, never stored as a different number', async () => {
    const c = grid.cache<string, unknown>('errors');
    for (const value of [2n ** 64n, 2n ** 64n + 5n, -(2n ** 63n) - 1n, 2n ** 100n]) {
      const outcome = await c.put('wide', value).then(
        () => 'stored',
        (err: unknown) => err,
      );
      if (outcome === 'stored') {
        expect(await c.get('wide'), `stored ${value}`).toBe(value);
      } else {
        expect(outcome).toBeInstanceOf(BadRequestError);
      }
    }
    await c.remove('wide');
  });

  it('a Map or Set value is refused or kept, never silently stored as an empty object', async () => {
    const c = grid.cache<string, unknown>('errors');
    for (const value of [new Map([['a', 1]]), new Set([1, 2])]) {
      const outcome = await c.put('collection', value).then(
        () => 'stored',
        (err: unknown) => err,
      );
      if (outcome === 'stored') {
        expect(await c.get('collection'), `stored ${value.constructor.name}`).toEqual(value);
      } else {
        expect(outcome).toBeInstanceOf(BadRequestError);
      }
    }
    await c.remove('collection');
  });
});

describe('bad cache definitions and arguments', () => {
  it('createCache refuses a bad config with BAD_REQUEST', async () => {
    const bad: [string, unknown][] = [
      ['bad-mode', { mode: 'sharded' }],
      ['bad-backups', { backups: -1 }],
      ['bad-backups-type', { backups: 'one' }],
      ['bad-partitions', { partitions: 0 }],
      ['bad-partitions-fraction', { partitions: 1.5 }],
      ['unknown-field', { mode: 'partitioned', color: 'blue' }],
    ];
    for (const [name, config] of bad) {
      await expectShoalError(grid.createCache(`errors-${name}`, config as never), 'BAD_REQUEST', BadRequestError);
    }
    const names = (await grid.listCaches()).map((c) => c.name);
    for (const [name] of bad) expect(names).not.toContain(`errors-${name}`);
  });

  it('createCache refuses a name that is not a non-empty string with BAD_REQUEST', async () => {
    await expectShoalError(grid.createCache(''), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(grid.createCache(42 as unknown as string), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(grid.createCache(null as unknown as string), 'BAD_REQUEST', BadRequestError);
  });

  it('the conflict error names its code and is a ShoalError', async () => {
    await grid.createCache('errors-conflict', { backups: 1 });
    const err = await expectShoalError(grid.createCache('errors-conflict', { backups: 2 }), 'CACHE_CONFIG_CONFLICT');
    expect(err.retryable).toBe(false);
  });

  it('entries() refuses a page size that is not a positive integer', async () => {
    const c = grid.cache('errors');
    for (const pageSize of [0, -1, 1.5, Number.NaN]) {
      await expectShoalError(
        (async () => {
          for await (const _ of c.entries(pageSize)) void _;
        })(),
        'BAD_REQUEST',
        BadRequestError,
      );
    }
  });

  it('Shoal.connect refuses missing endpoints with BAD_REQUEST', async () => {
    await expectShoalError(Shoal.connect({ endpoints: [] }), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(Shoal.connect({} as never), 'BAD_REQUEST', BadRequestError);
  });
});

describe('errors and successes in the same frame', () => {
  it('each request issued in the same tick gets its own outcome', async () => {
    const c = grid.cache<string, number>('errors');
    const missing = grid.cache<string, number>('errors-missing');
    const outcomes = await Promise.allSettled([
      c.put('mixed', 1),
      missing.get('mixed'),
      c.get('mixed'),
      grid.createCache('', {}),
      c.getAndPut('mixed', 2),
      grid.atomicLong('').get(),
      c.get('mixed'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const value = (i: number) => (outcomes[i] as PromiseFulfilledResult<unknown>).value;
    const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason as ShoalError;
    expect(value(2)).toBe(1);
    expect(value(4)).toBe(1);
    expect(value(6)).toBe(2);
    expect(reason(1)).toBeInstanceOf(CacheNotFoundError);
    expect(reason(3)).toBeInstanceOf(BadRequestError);
    expect(reason(5)).toBeInstanceOf(BadRequestError);
  });

  it('a burst of failing requests leaves the connection serving', async () => {
    const missing = grid.cache('errors-missing');
    const errors = await Promise.all(Array.from({ length: 500 }, (_, i) => rejectionOf(missing.get(`k${i}`))));
    for (const err of errors) expect(err).toBeInstanceOf(CacheNotFoundError);
  });
});
