import { describe, expect, it } from 'vitest';
import { ATOMIC_LONGS_CACHE, ErrorCode, Opcode } from '../src/protocol/index.js';
import { A, B, C, connectGrid, idsOf, keysOn, run } from './support/grid-fixture.js';
import { ScriptedGrid } from './support/scripted-grid.js';

const version = Uint8Array.of(1);

describe('routing by partition primary', () => {
  it('says hello with one random client id on every connection, and fetches the map from home', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    await Promise.all([B, C].map((address) => c.put(keysOn(grid, 'c', address, 1)[0]!, 1)));
    const hellos = grid.channels.flatMap((channel) => channel.hellos);
    expect(hellos).toHaveLength(3);
    const clientId = (hellos[0] as { clientId?: string }).clientId;
    expect(clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(hellos.every((h) => (h as { clientId?: string }).clientId === clientId)).toBe(true);
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(1);
    expect(grid.node(B).count(Opcode.PartitionMap) + grid.node(C).count(Opcode.PartitionMap)).toBe(0);
    await shoal.close();
  });

  it('sends each keyed operation to its primary only, opening member connections on first use', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, string>('c');
    expect(grid.openChannels(B)).toBe(0);
    for (const address of [A, B, C]) {
      const [key] = keysOn(grid, 'c', address, 1);
      await c.put(key!, address);
      expect(await c.get(key!)).toBe(address);
      expect(await c.containsKey(key!)).toBe(true);
      expect(await c.remove(key!)).toBe(true);
    }
    for (const address of [A, B, C]) {
      const node = grid.node(address);
      expect([node.count(Opcode.Put), node.count(Opcode.Get), node.count(Opcode.ContainsKey), node.count(Opcode.Remove)]).toEqual([1, 1, 1, 1]);
      expect(grid.openChannels(address)).toBe(1);
    }
    await shoal.close();
    expect(grid.openChannels(B) + grid.openChannels(C) + grid.openChannels(A)).toBe(0);
  });

  it('request ids are unique across every connection of one client', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    await Promise.all([A, B, C].flatMap((address) => keysOn(grid, 'c', address, 5).map((k) => c.put(k, 1))));
    const ids = [...grid.nodes.values()].flatMap((node) => node.received.map((r) => r[0] as number));
    expect(ids.length).toBe(16);
    expect(new Set(ids).size).toBe(ids.length);
    await shoal.close();
  });

  it('routes atomic longs by their name in the atomic longs cache', async () => {
    const { clock, grid, shoal } = await connectGrid();
    grid.map = { ...grid.map, caches: { ...grid.map.caches, [ATOMIC_LONGS_CACHE]: { mode: 'partitioned', primaries: [2, 2, 2, 2] } } };
    const counter = shoal.atomicLong('orders');
    // The client still holds the old map: A refuses (NOT_PRIMARY, same epoch), the retry refreshes and goes to C.
    const added = counter.addAndGet(5);
    await run(clock, 20);
    expect(await added).toBe(5);
    expect(grid.node(A).count(Opcode.AtomicAddAndGet)).toBe(1);
    expect(await counter.get()).toBe(5);
    expect(grid.node(C).count(Opcode.AtomicAddAndGet)).toBe(1);
    expect(grid.node(C).count(Opcode.AtomicGet)).toBe(1);
    await shoal.close();
  });

  it('looks a cache the map does not name up once, then sends it home (CACHE_NOT_FOUND)', async () => {
    const { grid, shoal } = await connectGrid();
    const missing = shoal.cache('missing');
    const failures = await Promise.allSettled([missing.get('x'), missing.put('y', 1), missing.getAll(['a', 'b']), missing.size()]);
    for (const f of failures) expect(f.status === 'rejected' && (f.reason as { code: string }).code).toBe(ErrorCode.CacheNotFound);
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(2);
    await expect(missing.get('z')).rejects.toMatchObject({ code: ErrorCode.CacheNotFound });
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(2);
    expect(grid.node(B).received.length + grid.node(C).received.length).toBe(0);
    await shoal.close();
  });

  it('refreshes the map after createCache and destroyCache, so the cache is routed at once', async () => {
    const { grid, shoal } = await connectGrid();
    const before = grid.node(A).count(Opcode.PartitionMap);
    expect(await shoal.createCache('fresh')).toBe(true);
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(before + 1);
    await shoal.cache('fresh').put('k', 1);
    expect(grid.node(B).count(Opcode.Put)).toBe(1);
    expect(await shoal.destroyCache('fresh')).toBe(true);
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(before + 2);
    // Not in the map any more: looked up once more, then sent home, which knows no such cache.
    await expect(shoal.cache('fresh').put('k', 2)).rejects.toMatchObject({ code: ErrorCode.CacheNotFound });
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(before + 3);
    expect(grid.node(A).count(Opcode.Put)).toBe(1);
    await shoal.close();
  });
});

describe('multi-key operations', () => {
  it('getAll sends one request per primary and reassembles the Map in the order of the keys', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, string>('c');
    const keys = [A, B, C].flatMap((address) => keysOn(grid, 'c', address, 4));
    await c.putAll(keys.map((k) => [k, `v-${k}`] as const));
    for (const address of [A, B, C]) {
      expect(grid.node(address).count(Opcode.PutAll)).toBe(1);
      expect(grid.node(address).entries.get('c')?.size).toBe(4);
    }
    const asked = [...keys].reverse().concat(['absent']);
    const found = await c.getAll(asked);
    expect([...found.keys()]).toEqual([...keys].reverse());
    expect(found.get(keys[0]!)).toBe(`v-${keys[0]}`);
    for (const address of [A, B, C]) expect(grid.node(address).count(Opcode.GetAll)).toBe(1);
    await shoal.close();
  });

  it('removeAll sums the counts of every primary', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    const keys = [A, B, C].flatMap((address) => keysOn(grid, 'c', address, 3));
    await c.putAll(keys.map((k) => [k, 1] as const));
    expect(await c.removeAll([...keys.slice(0, 7), 'nope-1', 'nope-2'])).toBe(7);
    await shoal.close();
  });

  it('applyChanges answers in input order across primaries', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    const keys = [A, B, C, A, C, B].map((address, i) => keysOn(grid, 'c', address, i + 1)[i]!);
    const changes = keys.map((key, i) => (i % 2 === 0 ? { kind: 'put' as const, key, value: i, version } : { kind: 'remove' as const, key, version }));
    expect(await c.applyChanges(changes)).toEqual([true, false, true, false, true, false]);
    for (const address of [A, B, C]) expect(grid.node(address).count(Opcode.ApplyChanges)).toBe(1);
    await shoal.close();
  });

  it('retries only the group that failed, regrouped under the new map, with its request id', async () => {
    const { clock, grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    const keys = [A, B, C].flatMap((address) => keysOn(grid, 'c', address, 2));
    // B's partitions move to C; the client does not know yet.
    grid.map = ScriptedGrid.mapOf(2, grid.map.members, { c: [0, 2, 2, 0, 2, 2, 0, 2] });
    const putting = c.putAll(keys.map((k) => [k, 1] as const));
    await run(clock, 20);
    await putting;
    const [bId] = idsOf(grid.node(B).received, Opcode.PutAll);
    expect(idsOf(grid.node(C).received, Opcode.PutAll)).toContain(bId);
    expect(grid.node(C).count(Opcode.PutAll)).toBe(2);
    expect(grid.node(A).count(Opcode.PutAll)).toBe(1);
    expect(grid.node(C).entries.get('c')?.size).toBe(4);
    await shoal.close();
  });
});

describe('whole-cache operations', () => {
  it('size asks every member and sums; clear clears on every member', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    await c.putAll([A, B, C].flatMap((address, i) => keysOn(grid, 'c', address, i + 1).map((k) => [k, 1] as const)));
    expect(await c.size()).toBe(6);
    await c.clear();
    expect(await c.size()).toBe(0);
    for (const address of [A, B, C]) expect([grid.node(address).count(Opcode.Size), grid.node(address).count(Opcode.Clear)]).toEqual([2, 1]);
    await shoal.close();
  });

  it('entries() follows the scan cursor to whichever member is primary of it', async () => {
    const { grid, shoal } = await connectGrid({ caches: { s: [0, 0, 1, 1, 2, 0, 2, 1] } });
    const c = shoal.cache<string, number>('s');
    const keys = [A, B, C].flatMap((address) => keysOn(grid, 's', address, 5));
    await c.putAll(keys.map((k, i) => [k, i] as const));
    const seen = new Map<string, number>();
    for await (const [k, v] of c.entries()) seen.set(k, v);
    expect(seen.size).toBe(keys.length);
    expect(seen.get(keys[3]!)).toBe(3);
    const cursors = (address: string) => grid.node(address).received.filter((r) => r[1] === Opcode.Scan).map((r) => r[3]);
    expect([cursors(A), cursors(B), cursors(C)]).toEqual([[0, 5], [2, 7], [4, 6]]);
    await shoal.close();
  });
});
