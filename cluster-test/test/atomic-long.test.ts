import { BadRequestError, type Shoal } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError } from './support/helpers.js';

/** Atomic longs against one `shoal node` child process. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;
let counterCount = 0;
const fresh = () => grid.atomicLong(`counter-${++counterCount}`);

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
});

afterAll(() => fixtures.cleanup());

describe('atomicLong', () => {
  it('is 0 on first use', async () => {
    const n = fresh();
    expect(await n.get()).toBe(0);
    expect(await n.get()).toBe(0);
  });

  it('set and get', async () => {
    const n = fresh();
    await n.set(41);
    expect(await n.get()).toBe(41);
    await n.set(-7);
    expect(await n.get()).toBe(-7);
    await n.set(2 ** 40);
    expect(await n.get()).toBe(2 ** 40);
  });

  it('incrementAndGet and decrementAndGet return the new value', async () => {
    const n = fresh();
    expect(await n.incrementAndGet()).toBe(1);
    expect(await n.incrementAndGet()).toBe(2);
    expect(await n.decrementAndGet()).toBe(1);
    expect(await n.decrementAndGet()).toBe(0);
    expect(await n.decrementAndGet()).toBe(-1);
    expect(await n.get()).toBe(-1);
  });

  it('addAndGet returns the new value, getAndAdd the previous one', async () => {
    const n = fresh();
    expect(await n.addAndGet(5)).toBe(5);
    expect(await n.addAndGet(-2)).toBe(3);
    expect(await n.getAndAdd(10)).toBe(3);
    expect(await n.get()).toBe(13);
    expect(await n.getAndAdd(0)).toBe(13);
    expect(await n.getAndIncrement()).toBe(13);
    expect(await n.get()).toBe(14);
  });

  it('compareAndSet sets only when the current value is the expected one', async () => {
    const n = fresh();
    expect(await n.compareAndSet(5, 9)).toBe(false);
    expect(await n.get()).toBe(0);
    expect(await n.compareAndSet(0, 5)).toBe(true);
    expect(await n.get()).toBe(5);
    expect(await n.compareAndSet(5, 9)).toBe(true);
    expect(await n.get()).toBe(9);
    expect(await n.compareAndSet(5, 1)).toBe(false);
    expect(await n.get()).toBe(9);
  });

  it('counters with different names are independent, and the same name is the same counter from another handle', async () => {
    const a = fresh();
    const b = fresh();
    await a.addAndGet(100);
    expect(await b.get()).toBe(0);
    expect(await grid.atomicLong(a.name).get()).toBe(100);
  });

  it('counters are not caches: a cache with the same name is unaffected', async () => {
    const n = fresh();
    await n.set(3);
    await grid.createCache(n.name);
    expect(await grid.cache(n.name).size()).toBe(0);
    expect(await n.get()).toBe(3);
  });

  it('holds exact values up to ±(2^53 − 1)', async () => {
    const n = fresh();
    await n.set(Number.MAX_SAFE_INTEGER - 1);
    expect(await n.incrementAndGet()).toBe(Number.MAX_SAFE_INTEGER);
    await n.set(Number.MIN_SAFE_INTEGER + 1);
    expect(await n.decrementAndGet()).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('fails with OVERFLOW beyond the safe integers and keeps its value', async () => {
    const n = fresh();
    await n.set(Number.MAX_SAFE_INTEGER);
    await expectShoalError(n.incrementAndGet(), 'OVERFLOW');
    await expectShoalError(n.addAndGet(10), 'OVERFLOW');
    await expectShoalError(n.getAndAdd(1), 'OVERFLOW');
    expect(await n.get()).toBe(Number.MAX_SAFE_INTEGER);
    await n.set(Number.MIN_SAFE_INTEGER);
    await expectShoalError(n.decrementAndGet(), 'OVERFLOW');
    await expectShoalError(n.addAndGet(-Number.MAX_SAFE_INTEGER), 'OVERFLOW');
    expect(await n.get()).toBe(Number.MIN_SAFE_INTEGER);
    // Still usable afterwards.
    expect(await n.addAndGet(Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  it('refuses arguments that are not safe integers with BAD_REQUEST', async () => {
    const n = fresh();
    await expectShoalError(n.set(2 ** 53), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.set(1.5), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.set(Number.NaN), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.addAndGet(Infinity), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.getAndAdd('1' as unknown as number), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.compareAndSet(0, 0.1), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(n.set(10n as unknown as number), 'BAD_REQUEST', BadRequestError);
    expect(await n.get()).toBe(0);
  });

  it('refuses an empty name with BAD_REQUEST', async () => {
    await expectShoalError(grid.atomicLong('').get(), 'BAD_REQUEST', BadRequestError);
    // The connection goes on serving.
    expect(await fresh().incrementAndGet()).toBe(1);
  });

  it('increments issued at once on one client give unique results and the right total', async () => {
    const n = fresh();
    const results = await Promise.all(Array.from({ length: 500 }, () => n.incrementAndGet()));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(await n.get()).toBe(500);
  });

  it('concurrent increments from several clients give unique results and the right total', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => fixtures.connect(node)));
    const name = fresh().name;
    const perClient = 200;
    const rounds = await Promise.all(
      clients.map(async (client) => {
        const counter = client.atomicLong(name);
        const mine: number[] = [];
        // Interleave single increments with bursts so that frames from the clients mix at the node.
        for (let i = 0; i < perClient; i += 20) {
          mine.push(...(await Promise.all(Array.from({ length: 10 }, () => counter.incrementAndGet()))));
          for (let j = 0; j < 10; j++) mine.push(await counter.incrementAndGet());
        }
        return mine;
      }),
    );
    const all = rounds.flat();
    expect(all).toHaveLength(clients.length * perClient);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(await grid.atomicLong(name).get()).toBe(clients.length * perClient);
    for (const client of clients) await client.close();
  });

  it('concurrent getAndAdd and compareAndSet from several clients never lose an update', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => fixtures.connect(node)));
    const name = fresh().name;
    // Every client adds 3 a hundred times with getAndAdd, and 1 a hundred times through a CAS loop.
    await Promise.all(
      clients.map(async (client) => {
        const counter = client.atomicLong(name);
        const previous = await Promise.all(Array.from({ length: 100 }, () => counter.getAndAdd(3)));
        expect(new Set(previous).size).toBe(100);
        for (let i = 0; i < 100; i++) {
          for (;;) {
            const current = await counter.get();
            if (await counter.compareAndSet(current, current + 1)) break;
          }
        }
      }),
    );
    expect(await grid.atomicLong(name).get()).toBe(clients.length * (100 * 3 + 100));
    for (const client of clients) await client.close();
  });
});
