import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/harness/index.js';
import { sleep } from '../support/helpers.js';
import { type Run, finished, processExists, shoal, startShoal } from './run-shoal.js';

/** `shoal cluster`: flags, and real runs of a one-node cluster (more nodes need the node's clustering). */
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function expectUsageError(args: readonly string[], mentions: RegExp): Promise<Run> {
  const run = await shoal(['cluster', ...args]);
  expect(run.code, `exit code of shoal cluster ${args.join(' ')}; stderr: ${run.stderr}`).toBe(2);
  expect(run.stderr).toMatch(mentions);
  expect(run.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  return run;
}

/** Starts `shoal cluster ...` and collects its output; resolves once stdout matches `ready`. */
async function startCluster(args: readonly string[], ready = /client endpoints: (\S+)/) {
  const child = startShoal(['cluster', ...args]);
  running.push(child);
  const exit = finished(child, 60_000);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  for (let i = 0; i < 300 && !ready.test(stdout) && child.exitCode === null; i++) await sleep(50);
  expect(stdout, 'shoal cluster did not print its endpoints').toMatch(ready);
  const pids = [...stdout.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
  return { child, exit, stdout, pids, endpoints: ready.exec(stdout)![1]!.split(',') };
}

describe('shoal cluster: flags', () => {
  it('--help exits 0 and lists its flags', async () => {
    const run = await shoal(['cluster', '--nodes', '1', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--nodes', '--host', '--base-port', '--cluster-secret', '--log-level']) expect(run.stdout).toContain(flag);
  });

  it('shoal --help lists the cluster command', async () => {
    const run = await shoal(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+cluster\b/m);
  });

  it('bad --nodes exit with code 2 and say what is wrong', async () => {
    await expectUsageError(['--nodes', '0'], /nodes.*'0'/);
    await expectUsageError(['--nodes', 'many'], /nodes.*many/);
    await expectUsageError(['--nodes', '65'], /nodes/);
    await expectUsageError([], /--nodes/);
  });

  it('bad ports, log levels and unknown flags exit with code 2', async () => {
    await expectUsageError(['--nodes', '1', '--base-port', '70000'], /base-port/);
    await expectUsageError(['--nodes', '1', '--base-port', '0'], /base-port/);
    await expectUsageError(['--nodes', '3', '--base-port', '65534'], /65536/);
    await expectUsageError(['--nodes', '1', '--log-level', 'loud'], /log-level/);
    await expectUsageError(['--nodes', '1', '--cluster-secret', ' padded '], /cluster-secret/);
    await expectUsageError(['--nodes', '1', '--bogus'], /--bogus/);
  });
});

describe('shoal cluster: a one-node run', () => {
  it('prints the node and the endpoints, serves, and exits 0 with its child on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit, stdout, pids, endpoints } = await startCluster(['--nodes', '1', '--base-port', String(port)]);
    expect(endpoints).toEqual([`127.0.0.1:${port}`]);
    expect(stdout).toMatch(new RegExp(`node-1\\s+127\\.0\\.0\\.1:${port}`));
    expect(pids).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const run = await exit;
    expect(run.code, run.stderr).toBe(0);
    expect(processExists(pids[0]!)).toBe(false);
  });

  it('SIGINT is forwarded too', async () => {
    const port = await freePort();
    const { child, exit, pids } = await startCluster(['--nodes', '1', '--base-port', String(port)]);
    child.kill('SIGINT');
    expect((await exit).code).toBe(0);
    expect(processExists(pids[0]!)).toBe(false);
  });

  it('reports a child that dies, and exits 1 when none is left', async () => {
    const port = await freePort();
    const { exit, pids } = await startCluster(['--nodes', '1', '--base-port', String(port)]);
    process.kill(pids[0]!, 'SIGKILL');
    const run = await exit;
    expect(run.stderr).toMatch(/node-1 at 127\.0\.0\.1:\d+ exited \(SIGKILL\)/);
    expect(run.code).toBe(1);
  });

  it('a taken port fails the start with exit 1 and leaves no child', async () => {
    // It drops what connects, or its unread sockets would keep close() waiting.
    const blocker = createServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const run = await shoal(['cluster', '--nodes', '1', '--base-port', String(port)], 30_000);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/node-1 did not start/);
      expect(run.stdout).not.toContain('client endpoints');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('shoal cluster: three nodes', () => {
  it('forms one cluster that shoal status shows, and stops every node', async () => {
    const port = await freePort();
    const { child, exit, pids, endpoints } = await startCluster(['--nodes', '3', '--base-port', String(port), '--cluster-secret', 's3cret']);
    expect(endpoints).toHaveLength(3);
    let status = '';
    for (let i = 0; i < 100; i++) {
      status = (await shoal(['status', '--endpoint', endpoints[2]!])).stdout;
      if (/cluster: 3 member/.test(status)) break;
      await sleep(200);
    }
    expect(status).toMatch(/cluster: 3 member/);
    for (const id of ['node-1', 'node-2', 'node-3']) expect(status).toContain(id);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
    for (const pid of pids) expect(processExists(pid)).toBe(false);
  });
});
