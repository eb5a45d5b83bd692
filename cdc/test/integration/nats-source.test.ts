import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProcess } from '../../../cluster-test/src/harness/index.js';
import { startCdc } from '../../src/index.js';
import { BrokerProcess } from '../support/brokers.js';
import { deliverWithDuplicates, generateHistory, type HistoryRecord } from '../support/change-history.js';
import { badValues, eventually, expectCachesEqual, historyKeyColumns, quietLog, readDeadLetters, testConfig } from '../support/grid.js';

/** A real `nats-server -js`, filled the way Debezium Server's NATS JetStream sink fills it: the value on a subject named like the topic. */
let node: NodeProcess;
let grid: Shoal;
let nats: BrokerProcess;
let publisher: NatsConnection;
let dir: string;

beforeAll(async () => {
  [node, nats] = await Promise.all([NodeProcess.start(), BrokerProcess.nats()]);
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  publisher = await connect({ servers: nats.endpoint });
  const manager = await publisher.jetstreamManager();
  await manager.streams.add({ name: 'DebeziumStream', subjects: ['pg.>'] });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-nats-'));
});

afterAll(async () => {
  await publisher?.close();
  await grid?.close();
  await Promise.all([node?.stop(), nats?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function publish(records: readonly HistoryRecord[]): Promise<number> {
  const js = publisher.jetstream();
  let sent = 0;
  for (const r of records) {
    if (r.value === null) continue; // the sink skips tombstones
    await js.publish(r.topic, new TextEncoder().encode(r.value));
    sent++;
  }
  return sent;
}

describe('nats source', () => {
  it('a durable consumer applies the stream, acks after apply, resumes where it acked after a restart; bad events are dead-lettered', async () => {
    const history = generateHistory({ seed: 51, snapshotRows: 30, changes: 800, truncates: true });
    const delivered = deliverWithDuplicates(history.records, 52);
    const half = Math.floor(delivered.length / 2);
    const deadLetters = join(dir, 'dead.ndjson');
    const spec = { kind: 'nats' as const, servers: [nats.endpoint], stream: 'DebeziumStream', consumer: 'shoal-cdc', filterSubject: null, ackWaitMs: 30_000 };
    const config = testConfig(spec, node.endpoint, { rules: { caches: new Map(), keyColumns: historyKeyColumns }, deadLetter: { kind: 'file', path: deadLetters } });

    const firstHalf = await publish(delivered.slice(0, half));
    const js = publisher.jetstream();
    for (const bad of badValues) await js.publish('pg.public.customers', new TextEncoder().encode(bad.value));
    const first = await startCdc(config, quietLog);
    await eventually(() => first.ingester.totals.records === firstHalf + badValues.length, 'the first half');
    await first.stop();

    const secondHalf = await publish(delivered.slice(half));
    const second = await startCdc(config, quietLog);
    await eventually(() => second.ingester.totals.records === secondHalf, 'the second half');
    // Nothing acked was delivered again.
    await new Promise((r) => setTimeout(r, 300));
    expect(second.ingester.totals.records).toBe(secondHalf);
    await second.stop();

    await expectCachesEqual(grid, history.finalState);
    const info = await (await publisher.jetstreamManager()).consumers.info('DebeziumStream', 'shoal-cdc');
    expect(info.num_pending).toBe(0);
    expect(info.num_ack_pending).toBe(0);
    const dead = readDeadLetters(deadLetters);
    expect(dead.map((d) => d['code'])).toEqual(badValues.map((b) => b.code));
    for (const d of dead) expect(d).toMatchObject({ topic: 'pg.public.customers', reason: expect.any(String), offset: expect.stringMatching(/^stream sequence \d+$/) });
  });
});
