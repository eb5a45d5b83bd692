import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../cluster-test/src/harness/index.js';
import { CdcMetrics, HttpSource } from '../../src/index.js';
import { MetricsServer } from '../../src/ingest/metrics-server.js';
import { quietLog } from '../support/grid.js';

/** Sends raw bytes and returns the status line of the answer. */
function rawRequest(address: string, text: string): Promise<string> {
  const at = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
    let answer = '';
    socket.on('data', (c: Buffer) => {
      answer += c.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(text);
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const oddTargets = ['GET // HTTP/1.1\r\nHost: x\r\n\r\n', 'GET //a/b?x HTTP/1.1\r\nHost: x\r\n\r\n', 'POST // HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', 'GET http://[bad HTTP/1.1\r\nHost: x\r\n\r\n'];

describe('requests with odd targets do not kill the servers', () => {
  it('the metrics server answers them and goes on serving', async () => {
    const server = await MetricsServer.listen('127.0.0.1', 0, new CdcMetrics(), quietLog, () => true);
    cleanups.push(() => server.close());
    for (const request of oddTargets) expect(await rawRequest(server.address, request)).toMatch(/^HTTP\/1\.1 (400|404|405)/);
    expect(await rawRequest(server.address, 'GET //healthz HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`http://${server.address}/healthz`)).status).toBe(200);
    expect((await fetch(`http://${server.address}/metrics?x=1`)).status).toBe(200);
  });

  it('the HTTP source answers them and goes on serving', async () => {
    const source = new HttpSource({ host: '127.0.0.1', port: await freePort(), path: '/events', applyTimeoutMs: 1_000, maxBodyBytes: 1024, log: quietLog });
    let batches = 0;
    await source.start(async (batch) => {
      batches++;
      await batch.commit();
    });
    cleanups.push(() => source.stop());
    for (const request of oddTargets) expect(await rawRequest(source.address, request)).toMatch(/^HTTP\/1\.1 (400|404|405)/);
    expect((await fetch(`http://${source.address}/healthz`)).status).toBe(200);
    const posted = await fetch(`http://${source.address}/events?topic=t`, { method: 'POST', body: '{"a":1}' });
    expect(posted.status).toBe(200);
    expect(batches).toBe(1);
  });
});
