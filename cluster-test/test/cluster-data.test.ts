import { Shoal } from '@shoal/client';
import { ATOMIC_LONGS_CACHE, Opcode, PartitionLostError, decodeValue, encodeKey, encodeValue, partitionMapFromWire, partitionOf } from '@shoal/client/protocol';
import { describe, expect, it } from 'vitest';
import { waitForRebalancing } from '../src/chaos/settled.js';
import { NodeProcess } from '../src/harness/index.js';
import { localClusters } from './harness/cluster-fixture.js';
import { RawClient } from './support/raw-client.js';

/** Data in a three-node cluster, seen from the protocol: dedup, replicated caches, NOT_PRIMARY. */
const clusters = localClusters();

describe('cluster data plane', { timeout: 120_000 }, () => {
  it('a retried increment (same client id and request id) applies once, also after the primary is killed', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    await cluster.waitForMembers(3);
    await waitForRebalancing(cluster);
    const probe = await RawClient.connect(cluster.endpoints()[0]!);
    const map = partitionMapFromWire((await probe.request(1, Opcode.PartitionMap))[2]);
    probe.close();
    const route = map.caches[ATOMIC_LONGS_CACHE]!;
    const primary = map.members[route.primaries[partitionOf(encodeKey('retried'), route.primaries.length)]!]!;
    const first = await RawClient.connect(primary[1], 'client-a');
    expect(await first.request(7, Opcode.AtomicAddAndGet, 'retried', 5)).toEqual([7, 0, 5]);
    expect(await first.request(7, Opcode.AtomicAddAndGet, 'retried', 5)).toEqual([7, 0, 5]);
    first.close();
    const nodeId = cluster.ids().find((id) => cluster.node(id).address === primary[1])!;
    await cluster.kill(nodeId);
    await cluster.waitForMembers(2);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints() });
    // The backup took over with the dedup log: the same id from the same client still answers 5, once.
    const again = await retryUntilServed(grid, 'client-a', cluster.endpoints(), () => [7, Opcode.AtomicAddAndGet, 'retried', 5]);
    expect(again).toEqual([7, 0, 5]);
    expect(await grid.atomicLong('retried').get()).toBe(5);
    await grid.close();
  });

  it('a replicated cache answers a read on every node from its own copy', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    await cluster.waitForMembers(3);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints() });
    await grid.createCache('countries', { mode: 'replicated' });
    await waitForRebalancing(cluster);
    await grid.cache<string, string>('countries').put('fr', 'France');
    for (const endpoint of cluster.endpoints()) {
      const raw = await RawClient.connect(endpoint);
      const response = await raw.request(1, Opcode.Get, 'countries', encodeKey('fr'));
      raw.close();
      expect(response[1]).toBe(0);
      expect(decodeValue(response[2] as Uint8Array)).toBe('France');
    }
    await grid.close();
  });

  it('a node that does not lead a key answers NOT_PRIMARY and applies nothing', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    await cluster.waitForMembers(3);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints() });
    await grid.createCache('routed', { backups: 0 });
    await waitForRebalancing(cluster);
    const raw = await RawClient.connect(cluster.endpoints()[0]!);
    const map = partitionMapFromWire((await raw.request(1, Opcode.PartitionMap))[2]);
    const route = map.caches.routed!;
    const self = map.members.findIndex(([, address]) => address === cluster.endpoints()[0]);
    let key = 0;
    while (route.primaries[partitionOf(encodeKey(`k${key}`), route.primaries.length)] === self) key++;
    const response = await raw.request(2, Opcode.Put, 'routed', encodeKey(`k${key}`), encodeValue('v'));
    raw.close();
    expect(response[1]).toBe(1);
    expect(response[2]).toBe('NOT_PRIMARY');
    expect(await grid.cache('routed').get(`k${key}`)).toBeUndefined();
    await grid.close();
  });
});

/** Sends a raw request to whichever node now leads, as a client retrying by hand would. */
async function retryUntilServed(grid: Shoal, clientId: string, endpoints: string[], request: () => unknown[]): Promise<unknown> {
  await grid.atomicLong('warm-up').get();
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const endpoint of endpoints) {
      const raw = await RawClient.connect(endpoint, clientId);
      const [id, opcode, ...args] = request() as [number, number, ...unknown[]];
      const response = await raw.request(id, opcode, ...args);
      raw.close();
      if (response[1] === 0) return response;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no node served the retried request');
}

describe('cluster membership and loss', { timeout: 120_000 }, () => {
  it('a node with the wrong cluster secret is refused, logged, and joins nothing', async () => {
    const cluster = await clusters.start({ nodes: 2, clusterSecret: 'right' });
    await cluster.waitForMembers(2);
    const intruder = await NodeProcess.start({ args: ['--seeds', cluster.endpoints().join(','), '--cluster-secret', 'wrong', '--id', 'intruder'] });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const view = await cluster.waitForMembers(2);
      expect(view.members.map((member) => member.id)).not.toContain('intruder');
      expect(intruder.logs).toContain('is --cluster-secret the same on every node?');
      const status = (await (await fetch(`http://${intruder.endpoint}/status`)).json()) as { cluster: { role: string } };
      expect(status.cluster.role).toBe('joining');
    } finally {
      await intruder.stop();
    }
  });

  it('a partition whose every copy is gone fails with PARTITION_LOST, and the others keep serving', async () => {
    const cluster = await clusters.start({ nodes: 3 });
    await cluster.waitForMembers(3);
    const grid = await Shoal.connect({ endpoints: cluster.endpoints(), requestTimeoutMs: 3_000 });
    await grid.createCache('single-copy', { backups: 0 });
    await waitForRebalancing(cluster);
    const cache = grid.cache<string, number>('single-copy');
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    await cache.putAll(new Map(keys.map((key, i) => [key, i])));
    const victim = cluster.ids()[1]!;
    await cluster.kill(victim);
    await cluster.waitForMembers(2);
    const outcomes = await Promise.allSettled(keys.map((key) => cache.get(key)));
    const lost = outcomes.filter((o) => o.status === 'rejected');
    const served = outcomes.filter((o) => o.status === 'fulfilled');
    expect(lost.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    for (const outcome of lost) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(PartitionLostError);
    for (const outcome of served) expect((outcome as PromiseFulfilledResult<number | undefined>).value).toBeTypeOf('number');
    await grid.close();
  });
});
