/**
 * The CDC replay test against a cluster: a generated change history
 * (snapshot, inserts, updates, deletes with tombstones, primary-key changes,
 * truncates), delivered with duplicates and rewinds through the real
 * `shoal cdc` process into three `shoal node` processes whose caches have
 * backups 1, with one grid node killed -9 mid-stream. The ingester is given
 * every node's address; it must ride out the failover (retrying what the
 * dead node did not answer, which versions make harmless) and end with every
 * cache equal to the source's final state, row for row.
 *
 * Two cases: the node killed is not the one the ingester's first endpoint
 * names, and it is (the ingester's home connection, which carries its admin
 * calls, must move to another endpoint).
 *
 * Everything random (the history, the delivery, the endpoint order, the
 * victim, the moment of the kill) comes from one seed, printed on failure
 * with the run's notes, the ingester's output and every node's log tail;
 * SHOAL_CDC_SEED=<n> replays it (the timing of the kill aside), and
 * SHOAL_CDC_VERBOSE=1 prints the notes as they happen.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShoalError, Shoal } from '@shoal/client';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { LocalCluster } from '../../../cluster-test/src/harness/index.js';
import { CdcChild, checkpointLine } from '../support/cdc-child.js';
import { deliverWithDuplicates, generateHistory, ndjsonLine, prng, type Row } from '../support/change-history.js';
import { eventually, expectCachesEqual, readDeadLetters } from '../support/grid.js';

const CACHES = ['customers', 'order_lines'] as const;
const BACKUPS = 1;

/** SHOAL_CDC_SEED (decimal or 0x-hex) replays a run; otherwise a fresh seed each run. */
function cdcSeed(): number {
  const text = process.env['SHOAL_CDC_SEED']?.trim();
  if (!text) return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`SHOAL_CDC_SEED must be an integer from 0 to 2^32-1, got '${text}'`);
  return seed;
}

const SEED = cdcSeed();

/** What a test started, stopped after it whatever happened. */
const running: { cluster?: LocalCluster; clients: Shoal[]; cdc?: CdcChild; dir?: string } = { clients: [] };

afterEach(async () => {
  if (running.cdc?.alive) running.cdc.child.kill('SIGKILL');
  for (const client of running.clients.splice(0)) await client.close();
  await running.cluster?.stop();
  if (running.dir) rmSync(running.dir, { recursive: true, force: true });
  running.cdc = undefined;
  running.cluster = undefined;
  running.dir = undefined;
});

/** Retries `read` while the grid answers with a retryable error (the SDK's own retries ran out); a wrong answer fails at once. */
async function readWithRetries<T>(read: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof ShoalError) || !err.retryable || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Waits until every live node reports no partition syncing or copying (what
 * cluster-test's waitForRebalancing checks), and on timeout says what each
 * node last reported.
 */
async function waitSettled(cluster: LocalCluster, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await Promise.all(
      cluster.ids().map(async (id) => {
        try {
          const status = await cluster.status(id);
          return [id, (status.cluster as { rebalancing?: { syncing: number; copying: number } } | undefined)?.rebalancing] as const;
        } catch (err) {
          return [id, `no status: ${(err as Error).message}`] as const;
        }
      }),
    );
    if (seen.every(([, r]) => typeof r === 'object' && r.syncing === 0 && r.copying === 0)) return;
    if (Date.now() > deadline) throw new Error(`rebalancing did not finish within ${timeoutMs} ms; last /status rebalancing: ${JSON.stringify(Object.fromEntries(seen))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Victim = 'first-endpoint' | 'other-endpoint';

async function replayWithNodeKilled(victimKind: Victim, seed: number): Promise<void> {
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(`${new Date().toISOString()} ${line}`);
    if (process.env['SHOAL_CDC_VERBOSE']) process.stderr.write(`[cdc-node-kill] ${notes.at(-1)}\n`);
  };
  const replay = `SHOAL_CDC_SEED=${seed} npx vitest run cdc/test/integration/cdc-node-kill.test.ts`;
  // Printed for any failure, a vitest timeout included.
  // (It runs after afterEach, so it keeps its own references.)
  const started: { cluster?: LocalCluster; cdc?: CdcChild } = {};
  onTestFailed(() => {
    const cdcTail = started.cdc ? `----- shoal cdc: last 40 lines -----\n${started.cdc.logTail(40)}` : '';
    const clusterLogs = started.cluster ? started.cluster.dumpLogs(40) : '';
    console.error(`[cdc-node-kill] FAILED with seed ${seed} (victim: ${victimKind}); replay: ${replay}\n${notes.join('\n')}\n${cdcTail}\n${clusterLogs}`);
  });
  const random = prng(seed ^ 0x5eed_cdc0);

  // The history and its at-least-once delivery.
  const history = generateHistory({ seed, snapshotRows: 200, changes: 6_000, truncates: true });
  const lines = deliverWithDuplicates(history.records, seed + 1).map(ndjsonLine);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-node-kill-'));
  running.dir = dir;
  const input = join(dir, 'changes.ndjson');
  const checkpoint = `${input}.checkpoint`;
  const deadLetters = join(dir, 'dead.ndjson');
  writeFileSync(input, `${lines.join('\n')}\n`);

  note('starting the cluster');
  // Three nodes; the caches laid out with backups 1 and settled before the stream starts.
  const cluster = await LocalCluster.start({ nodes: 3 });
  running.cluster = cluster;
  started.cluster = cluster;
  const view = await cluster.waitForMembers(3);
  const grid = await Shoal.connect({ endpoints: cluster.endpoints(), requestTimeoutMs: 15_000 });
  running.clients.push(grid);
  for (const cache of CACHES) await grid.createCache(cache, { mode: 'partitioned', backups: BACKUPS });
  await waitSettled(cluster);

  // Every node's address, in a seeded order; the victim by the case.
  const ids = cluster.ids();
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const endpoints = ids.map((id) => ({ id, address: cluster.node(id).address }));
  const victim = victimKind === 'first-endpoint' ? endpoints[0]!.id : endpoints[1 + Math.floor(random() * (endpoints.length - 1))]!.id;
  const killAt = Math.floor(lines.length * (0.15 + random() * 0.45));
  note(
    `seed ${seed}: ${lines.length} lines (${history.records.length} records); endpoints ${endpoints.map((e) => `${e.id}=${e.address}`).join(',')}; ` +
      `victim ${victim}${victim === view.leader ? ' (control-plane leader)' : ''}; kill after line ${killAt}`,
  );

  note('caches created and settled; starting shoal cdc');
  const cdc = await CdcChild.start([
    '--source',
    `file:${input}`,
    '--endpoints',
    endpoints.map((e) => e.address).join(','),
    '--cache-config',
    `mode=partitioned,backups=${BACKUPS}`,
    '--dead-letter',
    `file:${deadLetters}`,
    '--batch-size',
    '10',
  ]);
  running.cdc = cdc;
  started.cdc = cdc;

  // Mid-stream: the checkpoint is past killAt and short of the end.
  await eventually(() => checkpointLine(checkpoint) >= killAt || !cdc.alive, `the ingester to commit line ${killAt}`, 60_000);
  expect(cdc.alive, `the ingester exited before the kill\n${cdc.logTail(40)}`).toBe(true);
  // The case this test is about: three members, one of them killed. A member the cluster already dropped
  // (declared dead while its process runs) would make the kill cost the control plane its majority.
  await cluster.waitForMembers(3, { timeoutMs: 5_000 }).catch((err: unknown) => {
    throw new Error(`before the kill, the three nodes no longer agree on three members (none was killed yet): ${(err as Error).message}`, { cause: err });
  });
  const before = checkpointLine(checkpoint);
  await cluster.kill(victim);
  const killedAt = Date.now();
  note(`killed ${victim} at checkpoint line ${before}`);
  expect(before, 'the kill must land mid-stream').toBeLessThan(lines.length);
  await eventually(() => checkpointLine(checkpoint) > before || !cdc.alive, 'the ingester to commit a batch after the kill', 60_000);
  note(`the ingester committed again ${Date.now() - killedAt} ms after the kill`);

  // The ingester retries through the failover and reaches the end of its input.
  const code = await cdc.exitWithin(120_000, `after ${victim} was killed`);
  note(`shoal cdc exited ${code}; ${cdc.logs.split('retrying the batch').length - 1} batch retries logged`);
  expect(code, cdc.logTail(40)).toBe(0);
  expect(checkpointLine(checkpoint)).toBe(lines.length);
  expect(cdc.logs).toContain('cdc ingester stopped');
  // Nothing was set aside: every change is in the grid or stale, none refused.
  expect(readDeadLetters(deadLetters)).toEqual([]);

  // The caches equal the source, row for row: read through the client that lived through the kill,
  // and through a new one given the ingester's endpoints (dead node included, maybe first).
  await cluster.waitForMembers(2);
  note('2 members agree; reading the caches');
  const fresh = await Shoal.connect({ endpoints: endpoints.map((e) => e.address), requestTimeoutMs: 15_000 });
  running.clients.push(fresh);
  for (const client of [grid, fresh]) {
    const layouts = await readWithRetries(() => client.listCaches());
    for (const cache of CACHES) expect(layouts.find((c) => c.name === cache), cache).toMatchObject({ mode: 'partitioned', backups: BACKUPS });
    await readWithRetries(() => expectCachesEqual(client, history.finalState));
    for (const cache of CACHES) expect(await readWithRetries(() => client.cache<never, Row>(cache).size()), `size of ${cache}`).toBe(history.finalState.get(cache)!.size);
  }
  note('caches equal the source');
}

describe(`shoal cdc into a 3-node cluster (backups ${BACKUPS}), a grid node killed -9 mid-stream (seed ${SEED}; SHOAL_CDC_SEED replays)`, () => {
  it("a node other than the ingester's first endpoint: the caches end equal to the source row for row", { timeout: 180_000 }, async () => {
    await replayWithNodeKilled('other-endpoint', SEED);
  });

  it("the node the ingester's first endpoint names: the caches end equal to the source row for row", { timeout: 180_000 }, async () => {
    await replayWithNodeKilled('first-endpoint', SEED);
  });
});
