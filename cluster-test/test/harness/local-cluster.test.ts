import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Shoal } from '@shoal/client';
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '../../src/harness/index.js';
import { activeResources, resourcesAbove, sleep } from '../support/helpers.js';
import { localClusters } from './cluster-fixture.js';
import { processExists } from './run-shoal.js';

/** LocalCluster with one node: what works before the nodes cluster (more nodes: local-cluster-3.test.ts). */
const clusters = localClusters();

async function leftoverResources(baseline: Map<string, number>): Promise<Record<string, number>> {
  let extra: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    extra = resourcesAbove(baseline, activeResources());
    if (Object.keys(extra).length === 0) break;
    await sleep(50);
  }
  return extra;
}

describe('LocalCluster with one node', () => {
  it('starts n1, answers status and the SDK, and stop() leaves no process, handle or log directory', async () => {
    const baseline = activeResources();
    const cluster = await LocalCluster.start({ nodes: 1 });
    expect(cluster.ids()).toEqual(['n1']);
    const status = await cluster.status('n1');
    expect(status.id).toBe('n1');
    expect(cluster.endpoints()).toEqual([cluster.node('n1').address]);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints() });
    await grid.createCache('one');
    await grid.cache('one').put('k', 'v');
    expect(await grid.cache('one').get('k')).toBe('v');
    await grid.close();
    const pid = cluster.node('n1').process.child.pid!;
    const logFile = cluster.node('n1').logFile;
    expect(logFile.startsWith(cluster.logDir)).toBe(true);
    await cluster.stop();
    expect(processExists(pid)).toBe(false);
    expect(cluster.ids()).toEqual([]);
    expect(existsSync(cluster.logDir)).toBe(false);
    expect(await leftoverResources(baseline)).toEqual({});
    await expect(cluster.stop()).resolves.toBeUndefined();
    await expect(cluster.addNode()).rejects.toThrow(/stopped/);
  });

  it("writes each node's output to its log file, and dumpLogs() gives the tails and keeps the files", async () => {
    const cluster = await clusters.start({ nodes: 1 });
    await cluster.stop('n1');
    const { logFile } = cluster.node('n1');
    expect(readFileSync(logFile, 'utf8')).toMatch(/listening/);
    const dump = cluster.dumpLogs(5);
    expect(dump).toContain(cluster.logDir);
    expect(dump).toMatch(/===== n1 at 127\.0\.0\.1:\d+, exited \(code \w+, signal \w+\); \S+n1\.log =====/);
    expect(dump).toMatch(/listening/);
    await cluster.stop();
    expect(existsSync(logFile)).toBe(true);
    rmSync(cluster.logDir, { recursive: true, force: true });
  });

  it('stop(id) sends SIGTERM (exit 0), kill(id) SIGKILL; restart(id) starts a new node under a new id', async () => {
    const cluster = await clusters.start({ nodes: 1 });
    const next = await cluster.restart('n1');
    expect(next).toBe('n2');
    expect(cluster.node('n1').alive).toBe(false);
    expect(cluster.node('n1').process.child.signalCode).toBe('SIGKILL');
    expect(cluster.ids()).toEqual(['n2']);
    expect((await cluster.status('n2')).id).toBe('n2');
    const code = await cluster.stop('n2');
    // SIGTERM, not SIGKILL. A node signalled while it still starts up dies of the signal
    // (its handler is installed once it is ready), otherwise it exits 0.
    expect({ code, signal: cluster.node('n2').process.child.signalCode }).toSatisfy(
      (end: { code: number | null; signal: string | null }) => end.code === 0 || end.signal === 'SIGTERM',
    );
    expect(cluster.ids()).toEqual([]);
    expect(cluster.endpoints()).toEqual([]);
  });

  it('says what is wrong with a bad id or a partition without proxies', async () => {
    const cluster = await clusters.start({ nodes: 1 });
    expect(() => cluster.node('n9')).toThrow(/no node n9/);
    await expect(cluster.kill('n9')).rejects.toThrow(/no node n9/);
    expect(() => cluster.isolate('n1')).toThrow(/proxies/);
    await expect(LocalCluster.start({ nodes: 0 })).rejects.toThrow(RangeError);
  });

  it('a node that cannot start fails start() with its log, and nothing is left running', async () => {
    const baseline = activeResources();
    const error = await LocalCluster.start({ nodes: 1, args: ['--bogus-flag'] }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toMatch(/did not start/);
    expect(error?.message).toMatch(/--bogus-flag/);
    expect(await leftoverResources(baseline)).toEqual({});
    const dir = /full logs in (\S+)\)/.exec(error!.message)?.[1];
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(dir && existsSync(join(dir, 'n1.log'))).toBeFalsy();
  });
});
