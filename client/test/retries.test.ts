import { describe, expect, it } from 'vitest';
import { ErrorCode, Opcode, PartitionLostError } from '../src/protocol/index.js';
import { A, B, C, MEMBERS, connectGrid, idsOf, keysOn, run, settle } from './support/grid-fixture.js';
import { ScriptedGrid } from './support/scripted-grid.js';

const CACHE = { c: [0, 1, 2, 0, 1, 2, 0, 1] };
/** The same placement as CACHE with B's partitions on C. */
const B_MOVED_TO_C = { c: [0, 2, 2, 0, 2, 2, 0, 2] };

const mapRequests = (grid: ScriptedGrid) => [A, B, C].reduce((n, address) => n + grid.node(address).count(Opcode.PartitionMap), 0);

/** The outcome of a promise without letting it reject unhandled while the test drives the clock. */
function outcome<T>(promise: Promise<T>): Promise<{ ok: T } | { error: { code?: string; stack?: string } }> {
  return promise.then(
    (ok) => ({ ok }),
    (error: { code?: string }) => ({ error }),
  );
}

describe('map refresh', () => {
  it('refreshes once when many responses carry a newer epoch', async () => {
    const { grid, shoal } = await connectGrid();
    const c = shoal.cache<string, number>('c');
    expect(mapRequests(grid)).toBe(1);
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, CACHE);
    await Promise.all([A, B, C].flatMap((address) => keysOn(grid, 'c', address, 10).map((k) => c.get(k))));
    await settle();
    expect(mapRequests(grid)).toBe(2);
    // Answers under epoch 2 now match the map held: no further refresh.
    await Promise.all(keysOn(grid, 'c', B, 10).map((k) => c.get(k)));
    await settle();
    expect(mapRequests(grid)).toBe(2);
    await shoal.close();
  });

  it('keeps the newer map when a lagging node serves an older one', async () => {
    const { clock, grid, shoal } = await connectGrid();
    grid.map = ScriptedGrid.mapOf(3, MEMBERS, B_MOVED_TO_C);
    grid.setView(A, ScriptedGrid.mapOf(1, MEMBERS, CACHE));
    const c = shoal.cache<string, number>('c');
    const [key] = keysOn(grid, 'c', C, 1);
    // C answers under epoch 3: the refresh goes to C, which has that map.
    await c.get(key!);
    await settle();
    expect(grid.node(C).count(Opcode.PartitionMap)).toBe(1);
    // A retry refreshes from home, which still serves epoch 1: that map is not installed.
    grid.node(C).fail(ErrorCode.Unavailable, { opcode: Opcode.Put });
    const put = outcome(c.put(key!, 1));
    await run(clock, 50);
    expect(await put).toEqual({ ok: undefined });
    expect(grid.node(A).count(Opcode.PartitionMap)).toBe(2);
    expect(grid.node(C).count(Opcode.Put)).toBe(2);
    expect(grid.node(B).count(Opcode.Put)).toBe(0);
    await shoal.close();
  });
});

describe('retries', () => {
  it('NOT_PRIMARY: refreshes the map and retries with the same request id on the new primary', async () => {
    const { clock, grid, shoal } = await connectGrid();
    const c = shoal.cache<string, string>('c');
    const [key] = keysOn(grid, 'c', B, 1);
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, B_MOVED_TO_C);
    const put = outcome(c.put(key!, 'v'));
    await run(clock, 20);
    expect(await put).toEqual({ ok: undefined });
    const [id] = idsOf(grid.node(B).received, Opcode.Put);
    expect(idsOf(grid.node(C).received, Opcode.Put)).toEqual([id]);
    expect(mapRequests(grid)).toBe(2);
    await shoal.close();
  });

  it('UNAVAILABLE: retries with the same id after a backoff', async () => {
    const { clock, grid, shoal } = await connectGrid();
    const [key] = keysOn(grid, 'c', B, 1);
    grid.node(B).fail(ErrorCode.Unavailable, { opcode: Opcode.Put, times: 3 });
    const put = outcome(shoal.cache('c').put(key!, 1));
    await run(clock, 5);
    expect(grid.node(B).count(Opcode.Put)).toBe(1);
    await run(clock, 100);
    expect(await put).toEqual({ ok: undefined });
    const ids = idsOf(grid.node(B).received, Opcode.Put);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
    await shoal.close();
  });

  it('CONNECTION_CLOSED: retries elsewhere once the map moved, and closes the connection to a member that left', async () => {
    const { clock, grid, shoal } = await connectGrid();
    const [key] = keysOn(grid, 'c', B, 1);
    grid.hold(B);
    const put = outcome(shoal.cache('c').put(key!, 1));
    await settle();
    expect(grid.node(B).count(Opcode.Put)).toBe(1);
    // B dies; the control plane gives its partitions to C and drops it from the members.
    grid.kill(B);
    grid.map = ScriptedGrid.mapOf(2, [MEMBERS[0], MEMBERS[2]], { c: [0, 1, 1, 0, 1, 1, 0, 1] });
    await run(clock, 50);
    expect(await put).toEqual({ ok: undefined });
    expect(idsOf(grid.node(C).received, Opcode.Put)).toEqual(idsOf(grid.node(B).received, Opcode.Put));
    const attempts = grid.attempts.filter((address) => address === B).length;
    await run(clock, 2_000, 50);
    expect(grid.attempts.filter((address) => address === B).length).toBe(attempts);
    await shoal.close();
  });

  it('a request queued for a dead member fails over as soon as the map moves', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 5_000 });
    grid.kill(B);
    const [key] = keysOn(grid, 'c', B, 1);
    const get = outcome(shoal.cache('c').get(key!));
    await run(clock, 500, 25);
    expect(await Promise.race([get, Promise.resolve('pending')])).toBe('pending');
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, B_MOVED_TO_C);
    await run(clock, 400, 25);
    expect(await get).toEqual({ ok: undefined });
    expect(grid.node(C).count(Opcode.Get)).toBe(1);
    await shoal.close();
  });

  it('PARTITION_LOST: keeps retrying until the deadline, then fails with PartitionLostError', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 1_000 });
    const [key] = keysOn(grid, 'c', B, 1);
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, { c: [0, -1, 2, 0, -1, 2, 0, -1] });
    const get = outcome(shoal.cache('c').get(key!));
    await run(clock, 900, 50);
    expect(await Promise.race([get, Promise.resolve('pending')])).toBe('pending');
    const refreshes = mapRequests(grid);
    expect(refreshes).toBeGreaterThan(3);
    await run(clock, 150, 50);
    const result = await get;
    expect('error' in result && result.error).toBeInstanceOf(PartitionLostError);
    expect(grid.node(B).count(Opcode.Get)).toBe(1);
    await shoal.close();
  });

  it('PARTITION_LOST: succeeds if the partition comes back before the deadline', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 1_000 });
    const [key] = keysOn(grid, 'c', B, 1);
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, { c: [0, -1, 2, 0, -1, 2, 0, -1] });
    const put = outcome(shoal.cache('c').put(key!, 7));
    await run(clock, 300, 10);
    grid.map = ScriptedGrid.mapOf(3, MEMBERS, B_MOVED_TO_C);
    await run(clock, 300, 10);
    expect(await put).toEqual({ ok: undefined });
    expect(grid.node(C).count(Opcode.Put)).toBe(1);
    await shoal.close();
  });

  it('TIMEOUT is not retried', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 1_000 });
    const [key] = keysOn(grid, 'c', B, 1);
    await shoal.cache('c').put(key!, 1);
    grid.hold(B);
    const get = outcome(shoal.cache('c').get(key!));
    await run(clock, 1_500, 50);
    const result = await get;
    expect('error' in result && result.error.code).toBe(ErrorCode.Timeout);
    expect(grid.node(B).count(Opcode.Get)).toBe(1);
    await shoal.close();
  });

  it('the scan retries the same cursor after NOT_PRIMARY', async () => {
    const { clock, grid, shoal } = await connectGrid({ caches: { s: [0, 1, 2, 1] } });
    const c = shoal.cache<string, number>('s');
    await c.putAll([A, B, C].flatMap((address) => keysOn(grid, 's', address, 2).map((k) => [k, 1] as const)));
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, { s: [0, 2, 2, 2] });
    // A has not seen the move: its answers do not tell the client; B's NOT_PRIMARY does.
    grid.setView(A, ScriptedGrid.mapOf(1, MEMBERS, { s: [0, 1, 2, 1] }));
    for (const [k, v] of grid.node(B).entries.get('s')!) grid.node(C).entries.get('s')!.set(k, v);
    const collected = outcome(
      (async () => {
        const keys: string[] = [];
        for await (const [k] of c.entries()) keys.push(k);
        return keys;
      })(),
    );
    await run(clock, 50);
    const result = await collected;
    expect('ok' in result && result.ok.length).toBe(6);
    expect(grid.node(B).received.filter((r) => r[1] === Opcode.Scan).map((r) => r[3])).toEqual([1]);
    expect(grid.node(C).received.filter((r) => r[1] === Opcode.Scan).map((r) => r[3])).toEqual([1]);
    await shoal.close();
  });

  it('keeps the caller in the stack of an error that ends a retried call', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 200 });
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, { c: [-1, -1, -1, -1, -1, -1, -1, -1] });
    async function readTheLostKey() {
      return await shoal.cache('c').get('k');
    }
    const get = outcome(readTheLostKey());
    await run(clock, 300, 25);
    const result = await get;
    expect('error' in result && result.error.stack).toContain('readTheLostKey');
    await shoal.close();
  });
});

describe('close', () => {
  it('rejects everything pending with CONNECTION_CLOSED and leaves no timer running', async () => {
    const { clock, grid, shoal } = await connectGrid({ requestTimeoutMs: 10_000 });
    const c = shoal.cache<string, number>('c');
    const [onB] = keysOn(grid, 'c', B, 1);
    const [onC] = keysOn(grid, 'c', C, 1);
    grid.hold(A);
    grid.hold(B);
    grid.map = ScriptedGrid.mapOf(2, MEMBERS, { c: [0, 1, -1, 0, 1, -1, 0, 1] });
    const pending = [c.get(onB!), c.put(onC!, 1), c.getAll([onB!, onC!]), c.size(), shoal.ping(), shoal.cache('nowhere').get('k')].map(outcome);
    await run(clock, 30);
    await shoal.close();
    for (const result of await Promise.all(pending)) expect('error' in result && result.error.code).toBe(ErrorCode.ConnectionClosed);
    expect(clock.pendingTimers).toBe(0);
    expect(grid.openChannels(A) + grid.openChannels(B) + grid.openChannels(C)).toBe(0);
    await expect(c.get(onB!)).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
  });
});
