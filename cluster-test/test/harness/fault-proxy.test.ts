import { randomBytes } from 'node:crypto';
import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy, freePort } from '../../src/harness/index.js';
import { activeResources, resourcesAbove, sleep } from '../support/helpers.js';
import { closesWithin, dial, drain, receive } from './raw-sockets.js';

/** The FaultProxy in front of a plain TCP echo server. */
interface Echo {
  readonly server: Server;
  readonly port: number;
  /** Connections the echo server has accepted (so a test can see the proxy never forwarded one). */
  readonly accepted: Socket[];
}

async function startEcho(): Promise<Echo> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, accepted };
}

async function stopEcho(echo: Echo): Promise<void> {
  for (const socket of echo.accepted) socket.destroy();
  await new Promise((resolve) => echo.server.close(resolve));
}

const peerLine = (from: string) => `GET /peer?from=${from} HTTP/1.1\r\n`;

let echo: Echo;
let proxy: FaultProxy;
const sockets: Socket[] = [];

/** A connection through the proxy that sent `first`, checked to be forwarded (its echo came back). */
async function forwarded(first: string): Promise<Socket> {
  const socket = await dial(proxy.port, first);
  sockets.push(socket);
  expect((await receive(socket, first.length)).toString()).toBe(first);
  return socket;
}

beforeEach(async () => {
  echo = await startEcho();
  proxy = await FaultProxy.start({ target: `127.0.0.1:${echo.port}` });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await proxy.stop();
  await stopEcho(echo);
});

describe('FaultProxy: forwarding', () => {
  it('pipes bytes both ways untouched, the request line included', async () => {
    const socket = await forwarded(peerLine('n2'));
    const payload = randomBytes(1024 * 1024);
    socket.write(payload);
    expect((await receive(socket, payload.length)).equals(payload)).toBe(true);
  });

  it('tells peers (by ?from on /peer) from clients (anything else)', async () => {
    await forwarded(peerLine('n2'));
    await forwarded('GET / HTTP/1.1\r\n');
    await forwarded('GET /status HTTP/1.1\r\n');
    await forwarded('hello, not http\n');
    await forwarded('GET /peer HTTP/1.1\r\n');
    expect(proxy.connections()).toEqual([
      { kind: 'peer', from: 'n2' },
      { kind: 'client' },
      { kind: 'client' },
      { kind: 'client' },
      { kind: 'client' },
    ]);
  });

  it('waits for the whole request line when it comes in pieces', async () => {
    const socket = await dial(proxy.port, 'GET /pe');
    sockets.push(socket);
    await sleep(50);
    socket.write('er?from=n7 HTTP/1.1\r\nrest');
    expect((await receive(socket, 32)).toString()).toBe('GET /peer?from=n7 HTTP/1.1\r\nrest');
    proxy.block(['n7']);
    expect(await closesWithin(socket, 1_000)).toBe(true);
  });

  it('closes a connection whose target does not answer, and goes on serving', async () => {
    const deadProxy = await FaultProxy.start({ target: `127.0.0.1:${await freePort()}` });
    try {
      const socket = await dial(deadProxy.port, peerLine('n2'));
      expect(await closesWithin(socket, 2_000)).toBe(true);
      socket.destroy();
    } finally {
      await deadProxy.stop();
    }
  });
});

describe('FaultProxy: blocking', () => {
  it('block cuts the open connections from those nodes, at both ends, and no others', async () => {
    const fromN2 = await forwarded(peerLine('n2'));
    const fromN3 = await forwarded(peerLine('n3'));
    const client = await forwarded('GET / HTTP/1.1\r\n');
    const n2AtEcho = echo.accepted[0]!;
    proxy.block(['n2']);
    expect(await closesWithin(fromN2, 1_000)).toBe(true);
    expect(await closesWithin(n2AtEcho, 1_000)).toBe(true);
    expect(await closesWithin(fromN3, 200)).toBe(false);
    expect(await closesWithin(client, 200)).toBe(false);
    // The others still carry data.
    fromN3.write('still here');
    expect((await receive(fromN3, 10)).toString()).toBe('still here');
    expect(proxy.blocked).toEqual({ peers: ['n2'], clients: false });
  });

  it('refuses new connections from a blocked node without reaching the target, until unblocked', async () => {
    proxy.block(['n2', 'n4']);
    const before = echo.accepted.length;
    const refused = await dial(proxy.port, peerLine('n2'));
    sockets.push(refused);
    expect(await drain(refused)).toBe('');
    expect(refused.closed).toBe(true);
    expect(echo.accepted.length).toBe(before);
    await forwarded(peerLine('n3'));
    proxy.unblock(['n2']);
    await forwarded(peerLine('n2'));
    expect(proxy.blocked.peers).toEqual(['n4']);
  });

  it('blockClients cuts and refuses clients but leaves peers alone', async () => {
    const client = await forwarded('GET / HTTP/1.1\r\n');
    const peer = await forwarded(peerLine('n2'));
    proxy.blockClients();
    expect(await closesWithin(client, 1_000)).toBe(true);
    expect(await closesWithin(peer, 200)).toBe(false);
    const refused = await dial(proxy.port, 'GET /status HTTP/1.1\r\n');
    sockets.push(refused);
    expect(await drain(refused)).toBe('');
    proxy.unblockClients();
    await forwarded('GET /status HTTP/1.1\r\n');
  });

  it('heal lifts every block', async () => {
    proxy.block(['n2', 'n3']);
    proxy.blockClients();
    proxy.heal();
    expect(proxy.blocked).toEqual({ peers: [], clients: false });
    await forwarded(peerLine('n2'));
    await forwarded(peerLine('n3'));
    await forwarded('GET / HTTP/1.1\r\n');
  });
});

describe('FaultProxy: stop', () => {
  it('closes every connection and the port, and leaves no handle open', async () => {
    const baseline = activeResources();
    const other = await FaultProxy.start({ target: `127.0.0.1:${echo.port}` });
    const peer = await dial(other.port, peerLine('n2'));
    const client = await dial(other.port, 'GET / HTTP/1.1\r\n');
    const pending = await dial(other.port, 'GET /pe'); // its request line never completes
    expect((await receive(peer, 10)).length).toBe(10);
    await other.stop();
    expect(await closesWithin(peer, 1_000)).toBe(true);
    expect(await closesWithin(client, 1_000)).toBe(true);
    expect(await closesWithin(pending, 1_000)).toBe(true);
    await expect(dial(other.port)).rejects.toThrow(/ECONNREFUSED/);
    for (const socket of [peer, client, pending]) socket.destroy();
    // The echo server's ends of those connections close when the proxy's do.
    for (const socket of echo.accepted) await closesWithin(socket, 1_000);
    let extra: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      extra = resourcesAbove(baseline, activeResources());
      if (Object.keys(extra).length === 0) break;
      await sleep(50);
    }
    expect(extra).toEqual({});
  });

  it('stop twice is harmless', async () => {
    const other = await FaultProxy.start({ target: `127.0.0.1:${echo.port}` });
    await other.stop();
    await expect(other.stop()).resolves.toBeUndefined();
  });
});
