import { Shoal } from '@shoal/client';
import { describe, expect, it } from 'vitest';
import { localClusters } from './cluster-fixture.js';

/** LocalCluster with three real nodes: membership through kills, joins and restarts. */
const clusters = localClusters();

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('LocalCluster with three nodes', () => {
  it('forms, loses a node, and takes a new one in', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    const formed = await cluster.waitForMembers(3);
    expect(sorted(formed.members.map((m) => m.id))).toEqual(['n1', 'n2', 'n3']);
    expect(formed.members.map((m) => m.address).sort()).toEqual(cluster.endpoints().sort());

    const victim = ['n1', 'n2', 'n3'].find((id) => id !== formed.leader)!;
    await cluster.kill(victim);
    const shrunk = await cluster.waitForMembers(2);
    expect(sorted(shrunk.members.map((m) => m.id))).toEqual(sorted(cluster.ids()));
    expect(shrunk.epoch).toBeGreaterThan(formed.epoch);

    const added = await cluster.addNode();
    expect(added).toBe('n4');
    const grown = await cluster.waitForMembers(3);
    expect(sorted(grown.members.map((m) => m.id))).toEqual(sorted(cluster.ids()));
    expect(grown.epoch).toBeGreaterThan(shrunk.epoch);
  });

  it('elects a new leader when the leader is killed, and a restarted node comes back under a new id', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    const { leader } = await cluster.waitForMembers(3);
    const fresh = await cluster.restart(leader);
    const view = await cluster.waitForMembers(3, { timeoutMs: 60_000 });
    expect(view.leader).not.toBe(leader);
    expect(view.members.map((m) => m.id)).toContain(fresh);
    expect(view.members.map((m) => m.id)).not.toContain(leader);
  });

  it('behind proxies: nodes advertise their proxies, and the SDK works through them', async () => {
    const cluster = await clusters.start({ nodes: 3, proxies: true, clusterSecret: 'harness-secret' });
    const view = await cluster.waitForMembers(3);
    for (const member of view.members) expect(member.address).toBe(cluster.node(member.id).proxy!.address);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints() });
    try {
      await grid.createCache('proxied', { mode: 'partitioned', backups: 1 });
      const c = grid.cache<string, number>('proxied');
      await c.putAll(Array.from({ length: 100 }, (_, i) => [`k${i}`, i] as const));
      expect(await c.size()).toBe(100);
    } finally {
      await grid.close();
    }
  });

  it('a partition cuts one node off: the majority carries on without it; after heal a new node joins', async () => {
    const cluster = await clusters.start({ nodes: 3, proxies: true });
    const { leader } = await cluster.waitForMembers(3);
    const cutOff = ['n1', 'n2', 'n3'].find((id) => id !== leader)!;
    const majority = cluster.ids().filter((id) => id !== cutOff);
    cluster.partition([cutOff], majority);
    const after = await cluster.waitForMembers(2, { among: majority });
    expect(sorted(after.members.map((m) => m.id))).toEqual(sorted(majority));
    // The cut-off node never leads a cluster of its own: it has no majority.
    const alone = await cluster.status(cutOff);
    expect(alone.cluster?.role).not.toBe('leader');
    cluster.heal();
    await cluster.kill(cutOff);
    await cluster.addNode();
    await cluster.waitForMembers(3);
  });
});
