import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy, type NodeProcess } from '../../src/harness/index.js';
import { Fixtures } from '../support/helpers.js';
import { closesWithin, drain, dial, upgrade, upgradeRequest } from './raw-sockets.js';

/** The FaultProxy in front of a real `shoal node`: what it cuts is what a peer or client of that node sees. */
const fixtures = new Fixtures();
let node: NodeProcess;
let proxy: FaultProxy;

beforeAll(async () => {
  node = await fixtures.node();
  proxy = await FaultProxy.start({ target: node.endpoint });
});

afterAll(async () => {
  await proxy.stop();
  await fixtures.cleanup();
});

describe('FaultProxy in front of a node', () => {
  it('serves HTTP and the SDK through the proxy', async () => {
    const response = await fetch(`http://${proxy.address}/healthz`);
    expect(response.status).toBe(200);
    await response.text();
    const grid = await fixtures.connect(proxy.address);
    await grid.createCache('through-proxy');
    await grid.cache('through-proxy').put('k', 1);
    proxy.block(['x']);
    try {
      expect(await grid.cache('through-proxy').get('k')).toBe(1);
    } finally {
      proxy.heal();
    }
  });

  it('a /peer?from=x upgrade is cut when x is blocked; a client connection is not', async () => {
    const peer = await upgrade(proxy.port, '/peer?from=x');
    const client = await upgrade(proxy.port, '/');
    const otherPeer = await upgrade(proxy.port, '/peer?from=y');
    expect(peer.statusLine).toMatch(/^HTTP\/1\.1 101/);
    expect(client.statusLine).toMatch(/^HTTP\/1\.1 101/);
    proxy.block(['x']);
    try {
      expect(await closesWithin(peer.socket, 1_000)).toBe(true);
      expect(await closesWithin(client.socket, 300)).toBe(false);
      expect(await closesWithin(otherPeer.socket, 300)).toBe(false);
      // A new upgrade from x gets no answer from the node at all.
      const refused = await dial(proxy.port, upgradeRequest('/peer?from=x'));
      expect(await drain(refused)).toBe('');
      refused.destroy();
    } finally {
      proxy.unblock(['x']);
      for (const socket of [peer.socket, client.socket, otherPeer.socket]) socket.destroy();
    }
    const again = await upgrade(proxy.port, '/peer?from=x');
    expect(again.statusLine).toMatch(/^HTTP\/1\.1 101/);
    again.socket.destroy();
  });

  it('blockClients cuts a client WebSocket and leaves a peer link open', async () => {
    const client = await upgrade(proxy.port, '/');
    const peer = await upgrade(proxy.port, '/peer?from=x');
    proxy.blockClients();
    try {
      expect(await closesWithin(client.socket, 1_000)).toBe(true);
      expect(await closesWithin(peer.socket, 300)).toBe(false);
      await expect(fetch(`http://${proxy.address}/healthz`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    } finally {
      proxy.unblockClients();
      peer.socket.destroy();
    }
    // The node itself was never touched.
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
