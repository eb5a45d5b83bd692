import { Shoal, ShoalError, UnauthorizedError } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, Metrics, activeResources, expectShoalError, resourcesAbove, sleep } from './support/helpers.js';

/** A node started with `--auth-token s3cret`. */
const fixtures = new Fixtures();
const TOKEN = 's3cret';
/** Long enough that a rejection only by timeout would show as UNAVAILABLE, far later. */
const CONNECT_TIMEOUT_MS = 30_000;
let node: NodeProcess;
let good: Shoal;

beforeAll(async () => {
  node = await fixtures.node({ args: ['--auth-token', TOKEN] });
  good = await fixtures.connect(node, { authToken: TOKEN });
  await good.createCache('auth');
  await good.cache('auth').put('k', 'v');
});

afterAll(() => fixtures.cleanup());

async function refusedConnect(authToken: string | undefined): Promise<void> {
  const started = Date.now();
  const err = await expectShoalError(
    Shoal.connect({ endpoints: [node.endpoint], connectTimeoutMs: CONNECT_TIMEOUT_MS, ...(authToken === undefined ? {} : { authToken }) }),
    'UNAUTHORIZED',
    UnauthorizedError,
  );
  expect(err.retryable).toBe(false);
  // Refused by the node's answer, not by giving up at the connect timeout.
  expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
}

describe('auth token', () => {
  it('a client with the right token works', async () => {
    const c = good.cache<string, string>('auth');
    expect(await c.get('k')).toBe('v');
    await c.put('k2', 'v2');
    expect(await c.get('k2')).toBe('v2');
    expect(await good.atomicLong('auth-counter').incrementAndGet()).toBe(1);
  });

  it('a second client with the right token works too', async () => {
    const other = await fixtures.connect(node, { authToken: TOKEN });
    expect(await other.cache('auth').get('k')).toBe('v');
    await other.close();
  });

  it('a wrong token is refused with UNAUTHORIZED, at once', async () => {
    await refusedConnect('wrong');
  });

  it('a missing token is refused with UNAUTHORIZED, at once', async () => {
    await refusedConnect(undefined);
  });

  it('an empty token, a token with a prefix of the right one, and a longer one are refused', async () => {
    await refusedConnect('');
    await refusedConnect('s3cre');
    await refusedConnect('s3cret!');
    await refusedConnect('S3CRET');
  });

  it('the node keeps serving the good client while others are refused', async () => {
    const c = good.cache<string, number>('auth');
    const attempts = Array.from({ length: 10 }, (_, i) =>
      Shoal.connect({ endpoints: [node.endpoint], authToken: `bad-${i}`, connectTimeoutMs: CONNECT_TIMEOUT_MS }).then(
        () => 'connected',
        (err: unknown) => err,
      ),
    );
    const writes = Array.from({ length: 100 }, (_, i) => c.put(`during-${i}`, i));
    const outcomes = await Promise.all(attempts);
    await Promise.all(writes);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(ShoalError);
      expect((outcome as ShoalError).code).toBe('UNAUTHORIZED');
    }
    const found = await c.getAll(Array.from({ length: 100 }, (_, i) => `during-${i}`));
    expect(found.size).toBe(100);
    expect(node.alive).toBe(true);
    const health = await fetch(`${node.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a refused client leaves no connection on the node and no handle in the client process', async () => {
    const baseline = activeResources();
    await refusedConnect('nope');
    let extra: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      await sleep(50);
      extra = resourcesAbove(baseline, activeResources());
      if (Object.keys(extra).length === 0) break;
    }
    expect(extra).toEqual({});
    // Only the good client stays connected.
    let connections = -1;
    for (let i = 0; i < 40; i++) {
      connections = (await Metrics.scrape(node)).value('shoal_client_connections');
      if (connections === 1) break;
      await sleep(50);
    }
    expect(connections).toBe(1);
  });
});

describe('a node without a token', () => {
  it('accepts clients with or without a token', async () => {
    const open = await fixtures.node();
    const without = await fixtures.connect(open);
    const withToken = await fixtures.connect(open, { authToken: 'anything' });
    await without.ping();
    await withToken.ping();
  });
});
