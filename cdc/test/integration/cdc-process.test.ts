import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_PATH, NodeProcess } from '../../../cluster-test/src/harness/index.js';
import { CdcChild, checkpointLine } from '../support/cdc-child.js';
import { deliverWithDuplicates, generateHistory, ndjsonLine } from '../support/change-history.js';
import { badValues, eventually, expectCachesEqual, readDeadLetters } from '../support/grid.js';

let node: NodeProcess;
let grid: Shoal;
let dir: string;
const children: CdcChild[] = [];

beforeAll(async () => {
  node = await NodeProcess.start();
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-process-'));
});

beforeEach(async () => {
  for (const cache of ['customers', 'order_lines']) await grid.destroyCache(cache);
});

afterAll(async () => {
  for (const c of children) c.child.kill('SIGKILL');
  await grid?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startCdc(args: readonly string[], stdin: 'pipe' | 'ignore' = 'ignore'): Promise<CdcChild> {
  const cdc = await CdcChild.start(args, stdin);
  children.push(cdc);
  return cdc;
}

describe('shoal cdc', () => {
  it('killed with -9 mid-stream and restarted, resumes from its checkpoint: the caches end equal to the source row for row', async () => {
    const history = generateHistory({ seed: 5, snapshotRows: 200, changes: 12_000, truncates: true });
    const lines = deliverWithDuplicates(history.records, 6).map(ndjsonLine);
    lines.splice(3_000, 0, ...badValues.map((b) => b.value));
    const input = join(dir, 'kill.ndjson');
    const checkpoint = `${input}.checkpoint`;
    const deadLetters = join(dir, 'kill-dead.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const args = ['--source', `file:${input}`, '--endpoints', node.endpoint, '--dead-letter', `file:${deadLetters}`, '--batch-size', '10'];

    const first = await startCdc(args);
    await eventually(() => checkpointLine(checkpoint) > lines.length / 10, `the first run to apply a tenth of the input\n${first.logs}`, 60_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const reached = checkpointLine(checkpoint);
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(lines.length);

    const second = await startCdc(args);
    expect(await second.exited, second.logs).toBe(0);
    expect(checkpointLine(checkpoint)).toBe(lines.length);
    expect(second.logs).toContain('cdc ingester stopped');
    await expectCachesEqual(grid, history.finalState);
    // The bad events are in the dead-letter file with their reason (twice at most: once per run that read them).
    const dead = readDeadLetters(deadLetters);
    expect(new Set(dead.map((d) => d['offset']))).toEqual(new Set(badValues.map((_, i) => `line ${3_001 + i}`)));
    for (const d of dead) expect(d).toMatchObject({ code: 'UNDECODABLE_EVENT', reason: expect.any(String) });
  });

  it('reads stdin, serves /metrics and /healthz, logs progress with lag, and on SIGTERM commits what it applied and exits 0', async () => {
    const history = generateHistory({ seed: 9, snapshotRows: 5, changes: 200, truncates: false });
    const checkpoint = join(dir, 'stdin.checkpoint');
    const deadLetters = join(dir, 'stdin-dead.ndjson');
    const cdc = await startCdc(['--source', `stdin:?checkpoint=${checkpoint}`, '--endpoints', node.endpoint, '--dead-letter', `file:${deadLetters}`], 'pipe');
    const lines = [...history.records.map(ndjsonLine), badValues[0]!.value, ...history.records.slice(0, 50).map(ndjsonLine)];
    cdc.child.stdin!.write(`${lines.join('\n')}\n`);
    await eventually(async () => {
      try {
        return (await cdc.metrics()).value('shoal_cdc_records_total') === lines.length;
      } catch {
        return false;
      }
    }, `all ${lines.length} records\n${cdc.logs}`);
    const metrics = await cdc.metrics();
    expect(metrics.value('shoal_cdc_changes_applied_total')).toBeGreaterThan(0);
    expect(metrics.value('shoal_cdc_changes_stale_total')).toBeGreaterThan(0);
    expect(metrics.value('shoal_cdc_dead_letters_total', { code: 'UNDECODABLE_EVENT' })).toBe(1);
    expect(metrics.value('shoal_cdc_events_skipped_total', { kind: 'tombstone' })).toBeGreaterThan(0);
    expect(metrics.find('shoal_cdc_lag_seconds')).toBeGreaterThan(0);
    expect(metrics.type('shoal_cdc_batch_duration_seconds')).toBe('histogram');
    expect((await fetch(`http://127.0.0.1:${cdc.metricsPort}/healthz`)).status).toBe(200);
    await eventually(() => /"eventsPerSecond":[\d.]+.*"lagMs":\d+/.test(cdc.logs), 'a progress line with events/s and lag');

    cdc.child.kill('SIGTERM');
    expect(await cdc.exited, cdc.logs).toBe(0);
    expect(checkpointLine(checkpoint)).toBe(lines.length);
    await expectCachesEqual(grid, history.finalState);
  });

  it('--help describes every option; bad flags exit 2 with a clear message', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI_PATH, 'cdc', ...args], { encoding: 'utf8' });
    const help = run('--help');
    expect(help.status).toBe(0);
    for (const flag of ['--source', '--endpoints', '--map', '--key', '--dead-letter', '--metrics', '--batch-size', 'redis://', 'nats://', 'kafka://', 'http://']) expect(help.stdout).toContain(flag);
    // The GTID form is not sold as a failover answer.
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/gtid is right only while every transaction comes from one GTID source.*never across a MySQL failover/);
    const cases: [string[], RegExp][] = [
      [[], /required option '--source/],
      [['--source', 'ftp://x'], /unknown kind of source/],
      [['--source', '-', '--endpoints', 'nope'], /not host:port/],
      [['--source', '-', '--map', 'nocache'], /is not topic=cache/],
      [['--source', '-', '--key', 't=a,a'], /named twice/],
      [['--source', '-', '--dead-letter', 'kafka:x'], /file:PATH or cache:NAME/],
      [['--source', '-', '--batch-size', '0'], /not an integer from 1/],
      [['--source', '-', '--bogus'], /unknown option/],
      // The grid refuses these layouts and names; caught here, they never reach it (where every change would fail).
      [['--source', '-', '--cache-config', 'backups=7'], /backups=0\.\.6/],
      [['--source', '-', '--cache-config', 'partitions=70000'], /partitions=1\.\.65536/],
      [['--source', '-', '--cache-config', 'partitions=0'], /partitions=1\.\.65536/],
      [['--source', '-', '--map', 't=__shoal.x'], /reserved/],
      [['--source', '-', '--dead-letter', 'cache:__shoal.dead'], /reserved/],
      [['--source', 'file:x.ndjson?maxLineBytes=0'], /maxLineBytes must be a positive integer/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
