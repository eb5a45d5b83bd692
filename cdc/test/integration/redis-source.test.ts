import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProcess } from '../../../cluster-test/src/harness/index.js';
import { startCdc } from '../../src/index.js';
import { BrokerProcess } from '../support/brokers.js';
import { deliverWithDuplicates, generateHistory } from '../support/change-history.js';
import { badValues, eventually, expectCachesEqual, quietLog, readDeadLetters, testConfig } from '../support/grid.js';

/**
 * A real `redis-server`, filled the way Debezium Server's Redis sink fills
 * it: one stream per topic; compact entries (one field: key JSON → value
 * JSON) on one stream and extended ones (fields key, value) on the other;
 * a null key or value written as "default".
 */
let node: NodeProcess;
let grid: Shoal;
let redis: BrokerProcess;
let client: Redis;
let dir: string;

beforeAll(async () => {
  [node, redis] = await Promise.all([NodeProcess.start(), BrokerProcess.redis()]);
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  client = new Redis({ host: '127.0.0.1', port: redis.port });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-redis-'));
});

afterAll(async () => {
  client?.disconnect();
  await grid?.close();
  await Promise.all([node?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('redis source', () => {
  it('a consumer group reads compact and extended entries, XACKs after apply, and first takes back what a crashed run left unacknowledged', async () => {
    const history = generateHistory({ seed: 61, snapshotRows: 30, changes: 800, truncates: true });
    const streams = ['pg.public.customers', 'pg.public.order_lines'];
    const pipeline = client.pipeline();
    for (const r of deliverWithDuplicates(history.records, 62)) {
      const key = r.key ?? 'default';
      const value = r.value ?? 'default';
      if (r.topic === streams[0]) pipeline.xadd(r.topic, '*', key, value);
      else pipeline.xadd(r.topic, '*', 'key', key, 'value', value, 'SOURCE_HEADER', 'x');
    }
    for (const bad of badValues) pipeline.xadd(streams[0]!, '*', '{"id":1}', bad.value);
    await pipeline.exec();
    const total = (await client.xlen(streams[0]!)) + (await client.xlen(streams[1]!));

    // A run that crashed: it was given 40 entries of each stream and acknowledged none.
    for (const stream of streams) await client.xgroup('CREATE', stream, 'shoal-cdc', '0');
    await client.call('XREADGROUP', 'GROUP', 'shoal-cdc', 'shoal-cdc', 'COUNT', '40', 'STREAMS', ...streams, '>', '>');
    expect(await client.xpending(streams[0]!, 'shoal-cdc')).toEqual([40, expect.any(String), expect.any(String), [['shoal-cdc', '40']]]);

    const deadLetters = join(dir, 'dead.ndjson');
    const spec = {
      kind: 'redis' as const,
      host: '127.0.0.1',
      port: redis.port,
      db: 0,
      password: null,
      streams,
      group: 'shoal-cdc',
      consumer: 'shoal-cdc',
      format: 'auto' as const,
      nullKey: 'default',
      nullValue: 'default',
    };
    const cdc = await startCdc(testConfig(spec, node.endpoint, { deadLetter: { kind: 'file', path: deadLetters } }), quietLog);
    await eventually(() => cdc.ingester.totals.records === total, `all ${total} entries`);
    await cdc.stop();

    await expectCachesEqual(grid, history.finalState);
    for (const stream of streams) expect((await client.xpending(stream, 'shoal-cdc'))[0]).toBe(0);
    const dead = readDeadLetters(deadLetters);
    expect(dead.map((d) => d['code'])).toEqual(badValues.map((b) => b.code));
    for (const d of dead) expect(d).toMatchObject({ topic: streams[0], key: '{"id":1}', reason: expect.any(String), offset: expect.stringMatching(/^pg\.public\.customers \d+-\d+$/) });
  });

  const specFor = (port: number, streams: string[]) => ({
    kind: 'redis' as const,
    host: '127.0.0.1',
    port,
    db: 0,
    password: null,
    streams,
    group: 'shoal-cdc',
    consumer: 'shoal-cdc',
    format: 'auto' as const,
    nullKey: 'default',
    nullValue: 'default',
  });

  it('stop is bounded during a Redis outage (SIGTERM must not wait for Redis to come back)', async () => {
    const doomed = await BrokerProcess.redis();
    let stopped = false;
    try {
      const cdc = await startCdc(testConfig(specFor(doomed.port, ['outage']), node.endpoint), quietLog);
      await new Promise((r) => setTimeout(r, 300)); // blocked in XREADGROUP
      await doomed.stop();
      await new Promise((r) => setTimeout(r, 500)); // the client is reconnecting; the read waits in its queue
      const started = Date.now();
      await Promise.race([cdc.stop().then(() => (stopped = true)), new Promise((r) => setTimeout(r, 8_000))]);
      expect(stopped, 'stop() returned').toBe(true);
      expect(Date.now() - started).toBeLessThan(7_000);
    } finally {
      await doomed.stop();
    }
  });

  it('a source whose open fails after connecting closes its connection', async () => {
    const clientCount = async () => String(await client.call('CLIENT', 'LIST')).trim().split('\n').length;
    const before = await clientCount();
    await client.set('not-a-stream', 'x');
    await expect(startCdc(testConfig(specFor(redis.port, ['not-a-stream']), node.endpoint), quietLog)).rejects.toThrow(/WRONGTYPE/);
    await eventually(async () => (await clientCount()) === before, 'the source connection to close', 3_000);
  });
});
