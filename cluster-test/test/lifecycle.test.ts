import { ConnectionClosedError, Shoal, TimeoutError } from '@shoal/client';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/harness/index.js';
import { Fixtures, Metrics, activeResources, expectShoalError, resourcesAbove, resume, sleep, suspend } from './support/helpers.js';

/** Deadlines, closing, and no leftover handles; each test has its own node. */
const fixtures = new Fixtures();
afterEach(() => fixtures.cleanup());

/** Waits (a few ticks, at most ~2 s) until no resource type is above `baseline`; the extra types that remain. */
async function leftoverResources(baseline: Map<string, number>): Promise<Record<string, number>> {
  let extra: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await sleep(50);
    extra = resourcesAbove(baseline, activeResources());
    if (Object.keys(extra).length === 0) break;
  }
  return extra;
}

describe('per-request timeout', () => {
  it('a get to a stopped node rejects with TIMEOUT after requestTimeoutMs; the connection works again after SIGCONT', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { requestTimeoutMs: 300 });
    await grid.createCache('t');
    const c = grid.cache<string, number>('t');
    await c.put('k', 1);
    suspend(node);
    try {
      const err = await expectShoalError(c.get('k'), 'TIMEOUT', TimeoutError);
      expect(err.retryable).toBe(true);
      await expectShoalError(grid.atomicLong('n').incrementAndGet(), 'TIMEOUT', TimeoutError);
    } finally {
      resume(node);
    }
    // The late answers are ignored, and new requests are answered.
    expect(await c.get('k')).toBe(1);
    await c.put('k', 2);
    expect(await c.get('k')).toBe(2);
  });

  it('each request keeps its own deadline: a burst to a stopped node all time out', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { requestTimeoutMs: 300 });
    await grid.createCache('t');
    const c = grid.cache<string, number>('t');
    suspend(node);
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => c.get(`k${i}`)));
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
      }
    } finally {
      resume(node);
    }
    await grid.ping();
  });
});

describe('close', () => {
  it('requests pending when the client closes reject with CONNECTION_CLOSED', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { requestTimeoutMs: 30_000 });
    await grid.createCache('c');
    const c = grid.cache<string, number>('c');
    suspend(node);
    try {
      const pending = [c.get('a'), c.put('b', 1), grid.atomicLong('n').get(), grid.ping()].map((request) =>
        expectShoalError(request, 'CONNECTION_CLOSED', ConnectionClosedError),
      );
      await sleep(50); // written to the socket, not answered
      await grid.close();
      await Promise.all(pending);
    } finally {
      resume(node);
    }
  });

  it('requests issued in the same tick as close reject with CONNECTION_CLOSED', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('c');
    const pending = expectShoalError(grid.cache('c').get('a'), 'CONNECTION_CLOSED', ConnectionClosedError);
    const closing = grid.close();
    await pending;
    await closing;
  });

  it('requests after close reject with CONNECTION_CLOSED; close twice is harmless', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('c');
    await grid.close();
    await expectShoalError(grid.cache('c').get('a'), 'CONNECTION_CLOSED', ConnectionClosedError);
    await expectShoalError(grid.ping(), 'CONNECTION_CLOSED', ConnectionClosedError);
    await expectShoalError(grid.createCache('d'), 'CONNECTION_CLOSED', ConnectionClosedError);
    await expect(grid.close()).resolves.toBeUndefined();
    // The node serves other clients.
    const other = await fixtures.connect(node);
    await other.ping();
  });

  it('after grid.close() no handle of the client stays open', async () => {
    const node = await fixtures.node();
    const baseline = activeResources();
    const grid = await Shoal.connect({ endpoints: [node.endpoint] });
    await grid.createCache('h');
    const c = grid.cache<number, number>('h');
    await c.putAll(Array.from({ length: 100 }, (_, i) => [i, i] as const));
    await c.getAll(Array.from({ length: 100 }, (_, i) => i));
    await grid.atomicLong('h').incrementAndGet();
    // While connected the client holds something (a socket at least).
    expect(Object.keys(resourcesAbove(baseline, activeResources())).length).toBeGreaterThan(0);
    await grid.close();
    expect(await leftoverResources(baseline)).toEqual({});
  });

  it('after close of a client that was waiting to reconnect, no handle stays open', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { reconnect: { initialDelayMs: 10_000, maxDelayMs: 10_000 } });
    await grid.ping();
    await node.kill();
    await sleep(200); // the client has seen the close and waits to reconnect
    const baseline = activeResources();
    await grid.close();
    const extra = await leftoverResources(baseline);
    expect(extra).toEqual({});
    // Its reconnect timer is gone too: nothing of the client stays active at all.
    expect(process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length).toBeLessThan(baseline.get('Timeout') ?? 0);
  });

  it('a failed connect leaves no handle open', async () => {
    const port = await freePort();
    const baseline = activeResources();
    await expectShoalError(Shoal.connect({ endpoints: [`127.0.0.1:${port}`], connectTimeoutMs: 500 }), 'UNAVAILABLE');
    expect(await leftoverResources(baseline)).toEqual({});
  });
});

describe('connect', () => {
  it('fails with UNAVAILABLE when no node answers within connectTimeoutMs', async () => {
    const port = await freePort();
    const err = await expectShoalError(Shoal.connect({ endpoints: [`127.0.0.1:${port}`], connectTimeoutMs: 500 }), 'UNAVAILABLE');
    expect(err.retryable).toBe(true);
  });

  it('tries the next endpoint when the first does not answer', async () => {
    const node = await fixtures.node();
    const dead = `127.0.0.1:${await freePort()}`;
    const grid = await fixtures.connect(dead, { endpoints: [dead, node.endpoint], connectTimeoutMs: 10_000 });
    await grid.createCache('failover');
    await grid.cache('failover').put('k', 1);
    expect(await grid.cache('failover').get('k')).toBe(1);
  });
});

describe('request coalescing', () => {
  it('100 gets issued in one tick reach the node in only a few frames', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('coalesce');
    const c = grid.cache<string, number>('coalesce');
    await c.put('k0', 0);
    const before = await Metrics.scrape(node);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => c.get(`k${i}`)));
    const after = await Metrics.scrape(node);
    expect(results[0]).toBe(0);
    expect(results.slice(1).every((v) => v === undefined)).toBe(true);
    const labels = { cache: 'coalesce' };
    expect(after.value('shoal_cache_gets_total', labels) - before.value('shoal_cache_gets_total', labels)).toBe(100);
    const frames = after.value('shoal_frames_received_total') - before.value('shoal_frames_received_total');
    expect(frames).toBeGreaterThanOrEqual(1);
    expect(frames).toBeLessThanOrEqual(2);
  });

  it('requests awaited one by one are sent one frame each', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('sequential');
    const c = grid.cache<string, number>('sequential');
    const before = await Metrics.scrape(node);
    for (let i = 0; i < 10; i++) await c.get(`k${i}`);
    const after = await Metrics.scrape(node);
    expect(after.value('shoal_frames_received_total') - before.value('shoal_frames_received_total')).toBe(10);
  });
});
