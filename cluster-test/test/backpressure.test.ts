import { Shoal } from '@shoal/client';
import { Opcode, PROTOCOL_VERSION, decodeFrame, encodeFrame, encodeKey } from '@shoal/client/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures } from './support/helpers.js';

const KEYS = 1_000;
const VALUE_BYTES = 1_000;
/** Each frame asks for ~1 MB of values; all of them unread would be ~1 GB. */
const FRAMES = 1_000;

async function status(node: NodeProcess): Promise<{ memory: { rss: number } }> {
  return (await fetch(`${node.url}/status`)).json() as Promise<{ memory: { rss: number } }>;
}

describe('a client that does not read its responses', () => {
  const fixtures = new Fixtures();
  let node: NodeProcess;
  let grid: Shoal;
  const keys = Array.from({ length: KEYS }, (_, i) => encodeKey(`k${i}`));

  beforeAll(async () => {
    node = await fixtures.node();
    grid = await fixtures.connect(node);
    await grid.createCache('big');
    await grid.cache<string, string>('big').putAll(Array.from({ length: KEYS }, (_, i) => [`k${i}`, 'v'.repeat(VALUE_BYTES)] as const));
  });
  afterAll(() => fixtures.cleanup());

  it('is paused instead of buffered for, while others are served, and gets every answer once it reads', async () => {
    const before = (await status(node)).memory.rss;
    const slow = new WebSocket(`ws://${node.endpoint}/`, { perMessageDeflate: false });
    await new Promise((resolve, reject) => slow.once('open', resolve).once('error', reject));
    const answered = new Set<number>();
    let welcomed = false;
    slow.on('message', (data: Buffer) => {
      const frame = decodeFrame(data);
      if (frame.kind === 'welcome') welcomed = true;
      if (frame.kind === 'responses') for (const response of frame.responses) answered.add(response[0]);
    });
    slow.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, authToken: null, clientName: 'slow' }));
    await expect.poll(() => welcomed).toBe(true);
    slow.pause();
    for (let id = 1; id <= FRAMES; id++) slow.send(encodeFrame({ kind: 'requests', requests: [[id, Opcode.GetAll, 'big', keys]] }));

    // Meanwhile the node answers others, and does not hold the slow client's gigabyte.
    const cache = grid.cache<string, string>('big');
    for (let i = 0; i < 20; i++) {
      expect(await cache.get(`k${i}`)).toHaveLength(VALUE_BYTES);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await status(node)).memory.rss - before).toBeLessThan(300 * 1024 * 1024);

    slow.resume();
    await expect.poll(() => answered.size, { timeout: 60_000, interval: 100 }).toBe(FRAMES);
    slow.close();
  });
});
