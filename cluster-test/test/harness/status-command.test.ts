import { type Server, createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { shoal } from './run-shoal.js';

/** `shoal status` against a canned `/status`, so what it prints of a cluster is checked without one. */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serveStatus(status: object): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(status));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

const node = {
  id: 'n2',
  address: '127.0.0.1:7701',
  uptimeSeconds: 42,
  connections: 3,
  caches: [{ name: 'customers', mode: 'partitioned', backups: 1, partitions: 1024, entries: 1234, bytes: 2 * 1024 * 1024 }],
  memory: { rss: 100 * 1024 * 1024, heapUsed: 20 * 1024 * 1024 },
};

const cluster = {
  nodeId: 'n2',
  leader: 'n1',
  epoch: 17,
  role: 'follower',
  term: 4,
  members: [
    { id: 'n1', address: '127.0.0.1:7700', voter: true },
    { id: 'n2', address: '127.0.0.1:7701', voter: true },
    { id: 'n6', address: '127.0.0.1:7705', voter: false },
  ],
  partitions: {
    n1: { primaries: 400, backups: 380 },
    n2: { primaries: 390, backups: 400 },
    n6: { primaries: 234, backups: 244, syncing: 12 },
    n5: { primaries: 0, backups: 7 },
  },
  rebalancing: { syncing: 12, completed: 88, bytesSent: 3 * 1024 * 1024, bytesReceived: 1024 * 1024 },
};

const lineOf = (text: string, start: string) => text.split('\n').find((line) => line.startsWith(start));

describe('shoal status: the cluster', () => {
  it('shows the leader, epoch, each member with its address, vote and partitions, and rebalancing', async () => {
    const endpoint = await serveStatus({ ...node, cluster });
    const run = await shoal(['status', '--endpoint', endpoint]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^node n2 at 127\.0\.0\.1:7701 \(follower\)/);
    expect(out).toContain('cluster: 3 member(s), leader n1, epoch 17, term 4');
    expect(lineOf(out, 'n1 ')).toMatch(/^n1 \(leader\)\s+127\.0\.0\.1:7700\s+voter\s+400\s+380\s+-$/);
    expect(lineOf(out, 'n2 ')).toMatch(/^n2 \(this node\)\s+127\.0\.0\.1:7701\s+voter\s+390\s+400\s+-$/);
    expect(lineOf(out, 'n6 ')).toMatch(/^n6\s+127\.0\.0\.1:7705\s+learner\s+234\s+244\s+12$/);
    // A node outside the membership that still holds partitions is shown, not hidden.
    expect(lineOf(out, 'n5 ')).toMatch(/^n5\s+-\s+not a member\s+0\s+7\s+-$/);
    expect(out).toContain('rebalancing: 12 partition copy(ies) in progress; 88 copy(ies) completed, 3.0 MiB sent, 1.0 MiB received');
    // What it showed before clustering is still there.
    expect(lineOf(out, 'customers')).toMatch(/\b1234\b/);
    expect(out).toContain('3 client connection(s)');
  });

  it('says when rebalancing is idle, no leader is known, and partitions are lost', async () => {
    const endpoint = await serveStatus({
      ...node,
      cluster: { ...cluster, leader: null, role: 'candidate', lostPartitions: 5, rebalancing: { syncing: 0, completed: 0, bytesSent: 0, bytesReceived: 0 } },
    });
    const run = await shoal(['status', '--endpoint', endpoint]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('leader none known');
    expect(run.stdout).toMatch(/\(candidate\)/);
    expect(run.stdout).toContain('rebalancing: idle');
    expect(run.stdout).toMatch(/lost partitions: 5/);
    expect(run.stdout).not.toContain('(leader)');
  });

  it('a node without a cluster part prints as before', async () => {
    const endpoint = await serveStatus({ ...node, role: 'standalone' });
    const run = await shoal(['status', '--endpoint', endpoint]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^node n2 at 127\.0\.0\.1:7701 \(standalone\)/);
    expect(run.stdout).not.toContain('cluster:');
  });

  it('--json prints the cluster part as the node gave it', async () => {
    const endpoint = await serveStatus({ ...node, cluster });
    const run = await shoal(['status', '--endpoint', endpoint, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).cluster).toEqual(cluster);
  });
});
