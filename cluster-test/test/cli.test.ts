import { spawn } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI_PATH, freePort } from '../src/harness/index.js';
import { Fixtures, sleep } from './support/helpers.js';

/** The `shoal` CLI, run as `node node/dist/cli/main.js ...` child processes. */
const fixtures = new Fixtures();
afterEach(() => fixtures.cleanup());
afterAll(() => fixtures.cleanup());

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion (killed after `timeoutMs`, which fails the test). */
function shoal(args: readonly string[], timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shoal ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A bad-flag run: exit code 2, a clear message on stderr, and no node left listening. */
async function expectUsageError(args: readonly string[], mentions: RegExp): Promise<Run> {
  const run = await shoal(args);
  expect(run.code, `exit code of shoal ${args.join(' ')}; stderr: ${run.stderr}`).toBe(2);
  expect(run.stderr).toMatch(mentions);
  expect(run.stderr.trim().length).toBeGreaterThan(0);
  // A message, not a crash.
  expect(run.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  return run;
}

describe('shoal node: bad flags', () => {
  it('--port notaport exits with code 2 and says what is wrong', async () => {
    await expectUsageError(['node', '--port', 'notaport'], /port/i);
    const run = await shoal(['node', '--port', 'notaport']);
    expect(run.stderr).toContain('notaport');
  });

  it('--port out of range exits with code 2', async () => {
    await expectUsageError(['node', '--port', '70000'], /port/i);
    await expectUsageError(['node', '--port', '-1'], /port|unknown option/i);
  });

  it('an unknown flag exits with code 2 and names the flag', async () => {
    const run = await expectUsageError(['node', '--bogus-flag'], /--bogus-flag/);
    expect(run.stderr).toMatch(/unknown/i);
  });

  it('--partitions 0 exits with code 2 and says what is wrong', async () => {
    const run = await expectUsageError(['node', '--partitions', '0'], /partitions/i);
    expect(run.stderr).toContain('0');
  });

  it('--partitions that is not a number exits with code 2', async () => {
    await expectUsageError(['node', '--partitions', 'many'], /partitions/i);
  });

  it('a flag missing its value exits with code 2', async () => {
    await expectUsageError(['node', '--port'], /port/i);
  });

  it('an unknown command exits with code 2', async () => {
    await expectUsageError(['frobnicate'], /frobnicate/);
  });

  it('a bad --endpoint for status exits with code 2', async () => {
    await expectUsageError(['status', '--endpoint', 'not-an-endpoint'], /endpoint|host:port/i);
  });
});

describe('--help', () => {
  it('shoal --help exits 0 and lists the commands', async () => {
    const run = await shoal(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage/i);
    expect(run.stdout).toContain('node');
    expect(run.stdout).toContain('status');
  });

  it('shoal node --help exits 0 and lists the flags of the contract', async () => {
    const run = await shoal(['node', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--host', '--port', '--auth-token']) expect(run.stdout).toContain(flag);
  });

  it('shoal status --help exits 0 and lists --endpoint', async () => {
    const run = await shoal(['status', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--endpoint');
  });
});

describe('shoal status', () => {
  it('prints the caches of the node at --endpoint with their entry counts', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('customers', { mode: 'partitioned', backups: 1 });
    await grid.createCache('rates', { mode: 'replicated', backups: 0 });
    await grid.cache('customers').putAll(Array.from({ length: 1234 }, (_, i) => [`c${i}`, { i }] as const));
    await grid.cache('rates').put('eur', 1.1);
    const run = await shoal(['status', '--endpoint', node.endpoint]);
    expect(run.code, run.stderr).toBe(0);
    const customers = run.stdout.split('\n').find((line) => line.includes('customers'));
    const rates = run.stdout.split('\n').find((line) => line.includes('rates'));
    expect(customers, run.stdout).toBeDefined();
    expect(rates, run.stdout).toBeDefined();
    expect(customers).toMatch(/\b1234\b/);
    expect(customers).toContain('partitioned');
    expect(rates).toContain('replicated');
    expect(rates).toMatch(/\b1\b/);
  });

  it('follows what changes on the node', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    const before = await shoal(['status', '--endpoint', node.endpoint]);
    expect(before.code).toBe(0);
    expect(before.stdout).not.toContain('orders');
    await grid.createCache('orders');
    await grid.cache('orders').putAll([['o1', 1], ['o2', 2], ['o3', 3]]);
    const after = await shoal(['status', '--endpoint', node.endpoint]);
    expect(after.code).toBe(0);
    expect(after.stdout.split('\n').find((line) => line.includes('orders'))).toMatch(/\b3\b/);
  });

  it('--json prints the status JSON with the caches and their entries', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node);
    await grid.createCache('j');
    await grid.cache('j').putAll([['a', 1], ['b', 2]]);
    const run = await shoal(['status', '--endpoint', node.endpoint, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as { caches: { name: string; entries: number }[] };
    expect(status.caches.find((c) => c.name === 'j')).toMatchObject({ name: 'j', entries: 2 });
  });

  it('fails with a message when nothing answers at the endpoint', async () => {
    const port = await freePort();
    const run = await shoal(['status', '--endpoint', `127.0.0.1:${port}`]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
  });
});

describe('shoal node: lifecycle', () => {
  it('SIGTERM makes a node exit 0 with a "stopped" log line, even with clients connected', async () => {
    const node = await fixtures.node();
    const grid = await fixtures.connect(node, { reconnect: { initialDelayMs: 1_000, maxDelayMs: 5_000 } });
    await grid.createCache('bye');
    await grid.cache('bye').put('k', 1);
    const code = await node.stop(10_000);
    expect(code).toBe(0);
    expect(node.child.signalCode).toBeNull();
    // The pipes may deliver the last lines just after the exit.
    for (let i = 0; i < 40 && !/stopped/.test(node.logs); i++) await sleep(50);
    expect(node.logs).toMatch(/stopped/);
    await grid.close();
  });

  it('SIGTERM of an idle node exits 0 too', async () => {
    const node = await fixtures.node();
    expect(await node.stop(10_000)).toBe(0);
    for (let i = 0; i < 40 && !/stopped/.test(node.logs); i++) await sleep(50);
    expect(node.logs).toMatch(/stopped/);
  });

  it('a node whose port is taken exits with a non-zero code and says so', async () => {
    const node = await fixtures.node();
    const run = await shoal(['node', '--host', node.host, '--port', String(node.port)]);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(`${run.stdout}${run.stderr}`).toContain(String(node.port));
    // The node that held the port is untouched.
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
