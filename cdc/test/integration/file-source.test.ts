import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeProcess } from '../../../cluster-test/src/harness/index.js';
import { CacheSetupError, startCdc } from '../../src/index.js';
import { deliverWithDuplicates, generateHistory, ndjsonLine } from '../support/change-history.js';
import { badValues, cacheContents, expectCachesEqual, quietLog, readDeadLetters, testConfig } from '../support/grid.js';

/** The file source and the shared loop, in process, against a real `shoal node`. */
let node: NodeProcess;
let grid: Shoal;
let dir: string;

beforeAll(async () => {
  node = await NodeProcess.start();
  grid = await Shoal.connect({ endpoints: [node.endpoint] });
  dir = mkdtempSync(join(tmpdir(), 'shoal-cdc-file-'));
});

// Each test starts from empty tables: a cache dropped takes its versions and tombstones with it.
beforeEach(async () => {
  for (const cache of ['customers', 'order_lines']) await grid.destroyCache(cache);
});

afterAll(async () => {
  await grid?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('file source', () => {
  it('applies a history delivered with duplicates and rewinds: the caches end equal to the tables, bad lines dead-lettered with their reason', async () => {
    const history = generateHistory({ seed: 11, snapshotRows: 40, changes: 1_500, truncates: true });
    const delivered = deliverWithDuplicates(history.records, 12);
    const lines = delivered.map(ndjsonLine);
    // Bad events between good ones; the stream must go on past each.
    for (const [i, bad] of badValues.entries()) lines.splice(100 + i * 200, 0, bad.value);
    lines.splice(900, 0, '{"topic":"pg.public.customers","key":null,"value":{"before":null,"after":{"id":5},"source":{"connector":"postgresql","name":"pg","table":"customers","lsn":1},"op":"c"}}');
    lines.splice(50, 0, '', '   ');
    const input = join(dir, 'history.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const deadLetterPath = join(dir, 'dead.ndjson');

    const cdc = await startCdc(testConfig({ kind: 'file', path: input, checkpoint: `${input}.checkpoint` }, node.endpoint, { deadLetter: { kind: 'file', path: deadLetterPath }, batchSize: 64 }), quietLog);
    await cdc.finished;

    await expectCachesEqual(grid, history.finalState);
    const totals = cdc.ingester.totals;
    expect(totals.records).toBe(lines.length - 2);
    expect(totals.stale).toBeGreaterThan(0);
    expect(totals.truncates).toBeGreaterThan(0);
    expect(totals.deadLettered).toBe(badValues.length + 1);
    const dead = readDeadLetters(deadLetterPath);
    expect(dead.map((d) => d['code']).sort()).toEqual([...badValues.map((b) => b.code), 'NO_KEY'].sort());
    for (const entry of dead) {
      expect(entry['reason']).toEqual(expect.any(String));
      expect(entry['offset']).toMatch(/^line \d+$/);
      expect(entry['source']).toContain(input);
    }
    const decimal = dead.find((d) => String(d['value']).includes('not-base64'))!;
    expect(decimal['path']).toBe('payload.after.balance');
    expect(decimal['part']).toBe('value');
    expect(JSON.parse(readFileSync(`${input}.checkpoint`, 'utf8'))).toEqual({ offset: Buffer.byteLength(`${lines.join('\n')}\n`), line: lines.length });
  });

  it('a restart resumes after the checkpoint; replaying the whole input from scratch changes nothing', async () => {
    const history = generateHistory({ seed: 21, snapshotRows: 10, changes: 400, truncates: false });
    const input = join(dir, 'replay.ndjson');
    writeFileSync(input, `${history.records.map(ndjsonLine).join('\n')}\n`);
    const config = testConfig({ kind: 'file', path: input, checkpoint: `${input}.checkpoint` }, node.endpoint, { batchSize: 50 });

    const first = await startCdc(config, quietLog);
    await first.finished;
    expect(first.ingester.totals.records).toBe(history.records.length);
    await expectCachesEqual(grid, history.finalState);

    const resumed = await startCdc(config, quietLog);
    await resumed.finished;
    expect(resumed.ingester.totals.records).toBe(0);

    rmSync(`${input}.checkpoint`);
    const replay = await startCdc(config, quietLog);
    await replay.finished;
    const t = replay.ingester.totals;
    expect(t.records).toBe(history.records.length);
    // Every change is a duplicate now: only changes whose version equals the stored one (the last of each key) apply again.
    expect(t.stale).toBeGreaterThan(t.applied);
    await expectCachesEqual(grid, history.finalState);
  });

  it('dead letters can go to a grid cache, keyed by where the record came from', async () => {
    const input = join(dir, 'bad.ndjson');
    writeFileSync(input, `${badValues.map((b) => b.value).join('\n')}\n`);
    const config = testConfig({ kind: 'file', path: input, checkpoint: null }, node.endpoint, { deadLetter: { kind: 'cache', cache: 'cdc-dead-letters' } });
    for (let run = 0; run < 2; run++) {
      const cdc = await startCdc(config, quietLog);
      await cdc.finished;
    }
    const entries = await cacheContents(grid, 'cdc-dead-letters');
    expect(entries.size).toBe(badValues.length);
    for (const entry of entries.values()) expect(entry).toMatchObject({ code: 'UNDECODABLE_EVENT', reason: expect.any(String), offset: expect.stringMatching(/^line \d$/) });
  });

  it('a line longer than maxLineBytes is dead-lettered with its reason, and the lines after it apply', async () => {
    const history = generateHistory({ seed: 23, snapshotRows: 5, changes: 40, truncates: false });
    const lines = history.records.map(ndjsonLine);
    const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
    const huge = `{"pad":"${'z'.repeat(longest * 3)}"}`;
    const input = join(dir, 'long-line.ndjson');
    const all = [...lines.slice(0, 10), huge, ...lines.slice(10)];
    writeFileSync(input, `${all.join('\n')}\n`);
    const deadLetters = join(dir, 'long-line-dead.ndjson');
    const spec = { kind: 'file' as const, path: input, checkpoint: `${input}.checkpoint`, maxLineBytes: longest };
    const cdc = await startCdc(testConfig(spec, node.endpoint, { batchSize: 7, deadLetter: { kind: 'file', path: deadLetters } }), quietLog);
    await cdc.finished;
    await expectCachesEqual(grid, history.finalState);
    const dead = readDeadLetters(deadLetters);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ code: 'RECORD_TOO_LARGE', offset: 'line 11', part: 'value', reason: expect.stringMatching(/line 11 is \d+ bytes, more than the \d+ bytes/) });
    expect(String(dead[0]!['value'])).toBe(huge.slice(0, 1024));
    expect(JSON.parse(readFileSync(`${input}.checkpoint`, 'utf8'))).toEqual({ offset: Buffer.byteLength(`${all.join('\n')}\n`), line: all.length });
  });

  it('a cache the grid will not create fails the ingester: nothing is dead-lettered as refused, nothing committed', async () => {
    const history = generateHistory({ seed: 25, snapshotRows: 5, changes: 20, truncates: false });
    const input = join(dir, 'bad-layout.ndjson');
    writeFileSync(input, `${history.records.map(ndjsonLine).join('\n')}\n`);
    const deadLetters = join(dir, 'bad-layout-dead.ndjson');
    const config = testConfig({ kind: 'file', path: input, checkpoint: `${input}.checkpoint` }, node.endpoint, {
      cacheConfig: { backups: 7 },
      deadLetter: { kind: 'file', path: deadLetters },
    });
    const cdc = await startCdc(config, quietLog);
    const failure = await cdc.finished.then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(CacheSetupError);
    expect((failure as Error).message).toMatch(/backups/);
    expect(readDeadLetters(deadLetters)).toEqual([]);
    expect(() => readFileSync(`${input}.checkpoint`)).toThrow();
    expect(cdc.ingester.totals.batches).toBe(0);
  });
});
