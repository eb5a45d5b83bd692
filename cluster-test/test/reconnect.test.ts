import { ConnectionClosedError, type Shoal } from '@shoal/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError, sleep, suspend } from './support/helpers.js';

/** Reconnect with backoff after the node is killed and a new one starts on the same port. */
const fixtures = new Fixtures();
afterEach(() => fixtures.cleanup());

/** Retries `ping` until the client is connected again (each try bounded by the client's request timeout). */
async function untilConnected(grid: Shoal, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await grid.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(50);
    }
  }
}

async function restartOnSamePort(node: NodeProcess): Promise<NodeProcess> {
  await node.kill();
  return fixtures.node({ port: node.port });
}

describe('reconnect', () => {
  it('the same Shoal object works again after the node is killed and a new one starts on the same port', async () => {
    const first = await fixtures.node();
    const grid = await fixtures.connect(first, { requestTimeoutMs: 2_000, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    await grid.createCache('r');
    await grid.cache('r').put('k', 'before');
    expect(await grid.atomicLong('n').addAndGet(5)).toBe(5);

    const second = await restartOnSamePort(first);
    await untilConnected(grid);

    // Nodes are in memory: the new node knows neither the cache nor the counter.
    await expectShoalError(grid.cache('r').get('k'), 'CACHE_NOT_FOUND');
    expect(await grid.atomicLong('n').get()).toBe(0);
    expect(await grid.createCache('r')).toBe(true);
    expect(await grid.cache('r').get('k')).toBeUndefined();
    await grid.cache('r').put('k', 'after');
    expect(await grid.cache('r').get('k')).toBe('after');
    expect(await grid.atomicLong('n').incrementAndGet()).toBe(1);
    expect(second.alive).toBe(true);
  });

  it('reconnects with the default backoff too', async () => {
    const first = await fixtures.node();
    const grid = await fixtures.connect(first);
    await grid.ping();
    await restartOnSamePort(first);
    await untilConnected(grid);
    await grid.createCache('default-backoff');
    await grid.cache('default-backoff').put('k', 1);
    expect(await grid.cache('default-backoff').get('k')).toBe(1);
  });

  it('a request in flight when the node dies rejects with CONNECTION_CLOSED', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { requestTimeoutMs: 30_000, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    await grid.createCache('inflight');
    suspend(node);
    const inFlight = expectShoalError(grid.cache('inflight').get('k'), 'CONNECTION_CLOSED', ConnectionClosedError);
    await sleep(100); // written to the socket; the stopped node cannot answer
    await node.kill();
    const err = await inFlight;
    expect(err.retryable).toBe(true);
  });

  it('a request issued while disconnected is sent once the client has reconnected', async () => {
    const first = await fixtures.node();
    const grid = await fixtures.connect(first, { requestTimeoutMs: 20_000, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    await grid.ping();
    await first.kill();
    await sleep(100); // the client has seen the close
    const queued = grid.createCache('queued');
    await fixtures.node({ port: first.port });
    expect(await queued).toBe(true);
    await grid.cache('queued').put('k', 1);
    expect(await grid.cache('queued').get('k')).toBe(1);
  });

  it('survives several restarts in a row', async () => {
    let node = await fixtures.node();
    const grid = await fixtures.connect(node, { requestTimeoutMs: 2_000, reconnect: { initialDelayMs: 20, maxDelayMs: 300 } });
    for (let round = 0; round < 3; round++) {
      await grid.createCache('rounds');
      await grid.cache('rounds').put('round', round);
      expect(await grid.cache('rounds').get('round')).toBe(round);
      node = await restartOnSamePort(node);
      await untilConnected(grid);
    }
    expect(await grid.createCache('rounds')).toBe(true);
  });

  it('after a restart the node counts the client once', async () => {
    const first = await fixtures.node();
    const grid = await fixtures.connect(first, { requestTimeoutMs: 2_000, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    const second = await restartOnSamePort(first);
    await untilConnected(grid);
    const status = (await (await fetch(`${second.url}/status`)).json()) as { connections?: number };
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(/^shoal_client_connections(?:\{[^}]*\})? 1$/m.test(metrics), metrics.split('\n').filter((l) => l.startsWith('shoal_client_connections')).join('\n')).toBe(true);
    if (status.connections !== undefined) expect(status.connections).toBe(1);
  });
});
