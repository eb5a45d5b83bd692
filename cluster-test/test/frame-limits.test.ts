import { connect } from 'node:net';
import { BadRequestError, FrameTooLargeError, Shoal } from '@shoal/client';
import { Opcode, PROTOCOL_VERSION, decodeFrame, encodeFrame } from '@shoal/client/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, expectShoalError } from './support/helpers.js';

const LIMIT = 1024 * 1024;

describe('frame limits and requests that cannot travel', () => {
  const fixtures = new Fixtures();
  let node: NodeProcess;
  let grid: Shoal;

  beforeAll(async () => {
    node = await fixtures.node({ args: ['--max-frame-bytes', String(LIMIT)] });
    grid = await fixtures.connect(node);
    await grid.createCache('c');
  });
  afterAll(() => fixtures.cleanup());

  it('fails only a request larger than a frame, with FRAME_TOO_LARGE, and keeps the connection', async () => {
    const cache = grid.cache<string, string>('c');
    await cache.put('small', 'v');
    const [big, small] = await Promise.allSettled([cache.put('big', 'x'.repeat(2 * LIMIT)), cache.get('small')]);
    expect(big.status === 'rejected' && big.reason).toBeInstanceOf(FrameTooLargeError);
    expect(big.status === 'rejected' && big.reason.retryable).toBe(false);
    expect(small).toEqual({ status: 'fulfilled', value: 'v' });
    expect(await cache.get('big')).toBeUndefined();
  });

  it('splits responses that together exceed a frame, and refuses one that alone does', async () => {
    const cache = grid.cache<string, string>('c');
    const value = 'y'.repeat(LIMIT / 4);
    await Promise.all(Array.from({ length: 8 }, (_, i) => cache.put(`q${i}`, value)));
    const values = await Promise.all(Array.from({ length: 8 }, (_, i) => cache.get(`q${i}`)));
    expect(values.every((v) => v === value)).toBe(true);
    await expectShoalError(cache.getAll(Array.from({ length: 8 }, (_, i) => `q${i}`)), 'FRAME_TOO_LARGE', FrameTooLargeError);
    expect(await cache.get('q0')).toBe(value);
  });

  it('fails only a request whose arguments cannot be encoded', async () => {
    const [bad, good] = await Promise.allSettled([
      grid.createCache('x', { mode: Symbol('nope') as unknown as 'partitioned' }),
      grid.cache<string, string>('c').put('after', 'ok'),
    ]);
    expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(BadRequestError);
    expect(good.status).toBe('fulfilled');
  });

  it('refuses a malformed endpoint at connect with BAD_REQUEST', async () => {
    await expectShoalError(Shoal.connect({ endpoints: ['bad host:1'] }), 'BAD_REQUEST', BadRequestError);
    await expectShoalError(Shoal.connect({ endpoints: ['127.0.0.1:99999'] }), 'BAD_REQUEST', BadRequestError);
  });

  it('answers a cache config that is not a plain object with BAD_REQUEST', async () => {
    const ws = new WebSocket(`ws://${node.endpoint}/`);
    const frames: ReturnType<typeof decodeFrame>[] = [];
    ws.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, authToken: null, clientName: 't' }));
    ws.send(encodeFrame({ kind: 'requests', requests: [[1, Opcode.CreateCache, 'b', new Uint8Array(100_000)]] }));
    await expect.poll(() => frames.find((f) => f.kind === 'responses')).toBeDefined();
    const response = frames.find((f) => f.kind === 'responses');
    expect(response?.kind === 'responses' && response.responses[0]?.slice(0, 3)).toEqual([1, 1, 'BAD_REQUEST']);
    ws.close();
  });

  it('survives an HTTP request for the path //', async () => {
    const socket = connect(node.port, node.host);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.write('GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
