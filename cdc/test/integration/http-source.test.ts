import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProcess, freePort } from '../../../cluster-test/src/harness/index.js';
import { resume, suspend } from '../../../cluster-test/test/support/helpers.js';
import { CacheSetupError, startCdc, type CdcConfig, type CdcProcess } from '../../src/index.js';
import { deliverWithDuplicates, generateHistory } from '../support/change-history.js';
import { badValues, expectCachesEqual, historyKeyColumns, quietLog, readDeadLetters, testConfig } from '../support/grid.js';

/** The HTTP source driven the way Debezium Server's HTTP sink posts: one value per request, or a JSON array in batch mode. */
let node: NodeProcess;
let grid: Shoal;
let dir: string;
const running: CdcProcess[] = [];

beforeAll(async () => {
  node = await NodeProcess.start();
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-http-'));
});

afterAll(async () => {
  for (const cdc of running) await cdc.stop();
  await grid?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startHttp(endpoint: string, deadLetters: string, applyTimeoutMs = 10_000, overrides: Partial<CdcConfig> = {}): Promise<{ cdc: CdcProcess; url: string }> {
  const port = await freePort();
  const spec = { kind: 'http' as const, host: '127.0.0.1', port, path: '/events', applyTimeoutMs };
  const cdc = await startCdc(testConfig(spec, endpoint, { rules: { caches: new Map(), keyColumns: historyKeyColumns }, deadLetter: { kind: 'file', path: deadLetters }, ...overrides }), quietLog);
  running.push(cdc);
  return { cdc, url: `http://127.0.0.1:${port}/events` };
}

/** A POST as Debezium Server's HTTP sink sends it. */
const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('http source', () => {
  it('answers 2xx only after applying: single events and batch-mode arrays, with duplicates, end equal to the tables', async () => {
    const deadLetters = join(dir, 'dead.ndjson');
    const { url } = await startHttp(node.endpoint, deadLetters);
    const history = generateHistory({ seed: 31, snapshotRows: 20, changes: 600, truncates: true });
    // Debezium's HTTP sink never posts a tombstone (a null value).
    const values = deliverWithDuplicates(history.records, 32).flatMap((r) => (r.value === null ? [] : [r.value]));

    // The first event is visible as soon as its POST is answered.
    const first = await post(url, values[0]!);
    expect(first.status).toBe(200);
    expect(await grid.cache(values[0]!.includes('"table":"customers"') ? 'customers' : 'order_lines').size()).toBe(1);

    let i = 1;
    let requests = 0;
    while (i < values.length) {
      const batchMode = requests++ % 2 === 1;
      const size = batchMode ? 1 + (requests % 40) : 1;
      const chunk = values.slice(i, i + size);
      i += size;
      const response = await post(url, batchMode ? `[${chunk.join(',')}]` : chunk[0]!);
      expect(response.status).toBe(200);
    }
    await expectCachesEqual(grid, history.finalState);

    // Bad events are set aside and the request still succeeds: Debezium must not retry what can never be applied.
    for (const bad of badValues) expect((await post(url, bad.value)).status).toBe(200);
    expect((await post(url, `[${badValues.map((b) => JSON.stringify(b.value)).join(',')}]`)).status).toBe(200);
    const dead = readDeadLetters(deadLetters);
    // A body that is a JSON array is a batch: '[1,2,3]' posted alone is three bad events.
    expect(dead).toHaveLength(badValues.length * 2 + 2);
    for (const d of dead) expect(d).toMatchObject({ code: 'UNDECODABLE_EVENT', reason: expect.any(String), offset: expect.stringMatching(/^body [0-9a-f]{16} item \d+$/) });
    await expectCachesEqual(grid, history.finalState);
  });

  it('answers 503 while the grid is unavailable, so Debezium sends again; the retried POST applies', async () => {
    const spare = await NodeProcess.start();
    try {
      const { url } = await startHttp(spare.endpoint, join(dir, 'dead-503.ndjson'), 1_000);
      const history = generateHistory({ seed: 41, snapshotRows: 3, changes: 0 });
      const values = history.records.map((r) => r.value!);
      expect((await post(url, values[0]!)).status).toBe(200);
      suspend(spare);
      let refused: Response;
      try {
        refused = await post(url, `[${values.slice(1).join(',')}]`);
      } finally {
        resume(spare);
      }
      expect(refused.status).toBe(503);
      expect((await post(url, `[${values.slice(1).join(',')}]`)).status).toBe(200);
      const check = await Shoal.connect({ endpoints: [spare.endpoint] });
      try {
        await expectCachesEqual(check, history.finalState);
      } finally {
        await check.close();
      }
    } finally {
      await spare.stop();
    }
  });

  it('answers 404 elsewhere, 405 to other methods, and serves /healthz', async () => {
    const { url } = await startHttp(node.endpoint, join(dir, 'dead-misc.ndjson'));
    expect((await fetch(url)).status).toBe(405);
    expect((await post(url.replace('/events', '/other'), '{}')).status).toBe(404);
    expect((await fetch(url.replace('/events', '/healthz'))).status).toBe(200);
  });

  it('a failure retrying cannot cure (a cache the grid will not create) answers 503 and fails the source, as the other sources do', async () => {
    const deadLetters = join(dir, 'dead-fatal.ndjson');
    const { cdc, url } = await startHttp(node.endpoint, deadLetters, 5_000, { cacheConfig: { partitions: 70_000 } });
    const history = generateHistory({ seed: 43, snapshotRows: 2, changes: 0 });
    const started = Date.now();
    expect((await post(url, history.records[0]!.value!)).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4_000); // not the deadline: the failure is final
    const failure = await cdc.finished.then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(CacheSetupError);
    expect(readDeadLetters(deadLetters)).toEqual([]);
    await expect(post(url, history.records[1]!.value!)).rejects.toThrow(); // the server is closed
  });
});
