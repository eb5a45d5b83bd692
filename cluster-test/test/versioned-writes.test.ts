import { type Cache, type CacheChange, type Shoal, compareVersions } from '@shoal/client';
import { ChangeTag, Opcode, PROTOCOL_VERSION, type WireResponse, decodeFrame, encodeFrame, encodeKey, encodeValue } from '@shoal/client/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, Metrics, expectShoalError } from './support/helpers.js';

/** Versioned writes (ApplyChanges), the grid side of CDC, against one `shoal node` child process. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;
let cacheCount = 0;

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
});

afterAll(() => fixtures.cleanup());

type Row = { readonly name: string; readonly n: number };

async function freshCache(partitions?: number): Promise<Cache<string, Row>> {
  const name = `versioned-${++cacheCount}`;
  expect(await grid.createCache(name, partitions === undefined ? {} : { partitions })).toBe(true);
  return grid.cache<string, Row>(name);
}

/** A source position as order-preserving bytes: big-endian u64, plus an optional event index. */
function position(n: number, index?: number): Uint8Array {
  const out = Buffer.alloc(index === undefined ? 8 : 12);
  out.writeBigUInt64BE(BigInt(n));
  if (index !== undefined) out.writeUInt32BE(index, 8);
  return out;
}

const put = (key: string, n: number, version: Uint8Array): CacheChange<string, Row> => ({ kind: 'put', key, value: { name: key, n }, version });
const remove = (key: string, version: Uint8Array): CacheChange<string, Row> => ({ kind: 'remove', key, version });

async function entriesOf(cache: Cache<string, Row>): Promise<[string, Row][]> {
  const all: [string, Row][] = [];
  for await (const entry of cache.entries()) all.push(entry);
  return all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface StatusCache {
  name: string;
  entries: number;
  tombstones: number;
  staleChanges: number;
}

async function statusOf(cache: Cache<string, Row>): Promise<StatusCache> {
  const response = await fetch(`${node.url}/status`);
  const body = (await response.json()) as { caches: StatusCache[] };
  const found = body.caches.find((c) => c.name === cache.name);
  expect(found).toBeDefined();
  return found!;
}

/** mulberry32: a small seeded PRNG, so a failing history can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * One raw request on its own WebSocket, bypassing the SDK's checks, so the
 * node's own validation is what answers.
 */
async function rawRequest(opcode: number, args: unknown[]): Promise<WireResponse> {
  const ws = new WebSocket(`ws://${node.endpoint}/`, { perMessageDeflate: false });
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const response = new Promise<WireResponse>((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        const frame = decodeFrame(data);
        if (frame.kind === 'welcome') ws.send(encodeFrame({ kind: 'requests', requests: [[1, opcode, ...args]] }));
        else if (frame.kind === 'responses' && frame.responses[0]) resolve(frame.responses[0]);
        else reject(new Error(`unexpected frame ${frame.kind}`));
      });
      ws.once('close', () => reject(new Error('closed before a response')));
    });
    ws.send(encodeFrame({ kind: 'hello', version: PROTOCOL_VERSION, authToken: null, clientName: 'raw' }));
    return await response;
  } finally {
    ws.close();
  }
}

describe('applyChanges', () => {
  it('applies a newer version, skips an older one, applies an equal one', async () => {
    const c = await freshCache();
    expect(await c.applyChanges([put('k', 1, position(10))])).toEqual([true]);
    expect(await c.applyChanges([put('k', 2, position(11))])).toEqual([true]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 2 });
    expect(await c.applyChanges([put('k', 0, position(9))])).toEqual([false]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 2 });
    // Equal: snapshot rows sharing one position act as upserts; an exact duplicate is harmless.
    expect(await c.applyChanges([put('k', 3, position(11)), put('k', 3, position(11))])).toEqual([true, true]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 3 });
    // A longer version with the same prefix is newer (an event index within one position).
    expect(await c.applyChanges([put('k', 4, position(11, 0)), put('k', 5, position(11))])).toEqual([true, false]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 4 });
  });

  it('answers one boolean per change in input order, across the 10,000-change split', async () => {
    const c = await freshCache();
    const count = 25_003;
    await c.applyChanges(Array.from({ length: count }, (_, i) => put(`k${i}`, i, position(100))));
    // Odd indices are newer, even ones older than what is stored.
    const changes = Array.from({ length: count }, (_, i) => put(`k${i}`, -i, position(i % 2 === 1 ? 101 : 99)));
    const applied = await c.applyChanges(changes);
    expect(applied).toHaveLength(count);
    expect(applied.every((a, i) => a === (i % 2 === 1))).toBe(true);
    expect(await c.get('k1')).toEqual({ name: 'k1', n: -1 });
    expect(await c.get('k2')).toEqual({ name: 'k2', n: 2 });
    expect(await c.size()).toBe(count);
    expect(await c.applyChanges([])).toEqual([]);
  });

  it('a remove leaves a tombstone that blocks an older put but not a newer one', async () => {
    const c = await freshCache();
    await c.applyChanges([put('k', 1, position(1))]);
    expect(await c.applyChanges([remove('k', position(5))])).toEqual([true]);
    expect(await c.get('k')).toBeUndefined();
    // The replayed put from before the delete stays dead, and so does an older remove.
    expect(await c.applyChanges([put('k', 1, position(1)), put('k', 4, position(4)), remove('k', position(3))])).toEqual([false, false, false]);
    expect(await c.get('k')).toBeUndefined();
    expect((await statusOf(c)).tombstones).toBe(1);
    // A duplicate of the remove applies (equal) and changes nothing.
    expect(await c.applyChanges([remove('k', position(5))])).toEqual([true]);
    expect((await statusOf(c)).tombstones).toBe(1);
    // A newer put brings the row back and the tombstone is gone.
    expect(await c.applyChanges([put('k', 6, position(6))])).toEqual([true]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 6 });
    expect((await statusOf(c)).tombstones).toBe(0);
  });

  it('tombstones are invisible to get, getAll, containsKey, size and entries', async () => {
    const c = await freshCache();
    await c.applyChanges([put('a', 1, position(1)), put('b', 2, position(1)), remove('b', position(2)), remove('never', position(2))]);
    expect(await c.get('b')).toBeUndefined();
    expect(await c.get('never')).toBeUndefined();
    expect(await c.containsKey('b')).toBe(false);
    expect([...(await c.getAll(['a', 'b', 'never'])).keys()]).toEqual(['a']);
    expect(await c.size()).toBe(1);
    expect(await entriesOf(c)).toEqual([['a', { name: 'a', n: 1 }]]);
    expect(await statusOf(c)).toMatchObject({ entries: 1, tombstones: 2 });
    // A plain remove of a tombstoned key finds nothing.
    expect(await c.remove('b')).toBe(false);
  });

  it('replaying a shuffled history with duplicates ends where the history in order ends', async () => {
    const random = prng(0x5eed);
    const keys = Array.from({ length: 300 }, (_, i) => `row-${i}`);
    // A source's log: positions strictly increase; a fifth of the events are deletes.
    const history: CacheChange<string, Row>[] = [];
    for (let pos = 1; pos <= 6_000; pos++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      const version = position(pos, random() < 0.5 ? undefined : Math.floor(random() * 4));
      history.push(random() < 0.2 ? remove(key, version) : put(key, pos, version));
    }
    // Every version of a key is distinct, so "in order" has one answer.
    const sorted = [...history].sort((a, b) => compareVersions(a.version, b.version));
    expect(sorted.map((ch) => ch.version)).toEqual(history.map((ch) => ch.version));

    const inOrder = await freshCache(64);
    for (let start = 0; start < history.length; start += 500) await inOrder.applyChanges(history.slice(start, start + 500));

    // At-least-once delivery after crashes: every event once or more, in any order, in batches of any size.
    const replayed = await freshCache(64);
    const deliveries = shuffle([...history, ...history.filter(() => random() < 0.5), ...history.slice(0, 1_000)], random);
    let stale = 0;
    for (let start = 0; start < deliveries.length; ) {
      const end = Math.min(deliveries.length, start + 1 + Math.floor(random() * 2_000));
      stale += (await replayed.applyChanges(deliveries.slice(start, end))).filter((a) => !a).length;
      start = end;
    }
    // And a replay of everything after a restart changes nothing.
    await replayed.applyChanges(history);

    const expected = await entriesOf(inOrder);
    expect(expected.length).toBeGreaterThan(100);
    expect(await entriesOf(replayed)).toEqual(expected);
    expect(await replayed.size()).toBe(await inOrder.size());
    const [a, b] = [await statusOf(inOrder), await statusOf(replayed)];
    expect(b.tombstones).toBe(a.tombstones);
    expect(a.tombstones).toBeGreaterThan(0);
    expect(a.staleChanges).toBe(0);
    expect(stale).toBeGreaterThan(0);
    expect(b.staleChanges).toBeGreaterThanOrEqual(stale);
  });

  it('clear drops entries, versions and tombstones (a truncate)', async () => {
    const c = await freshCache();
    await c.applyChanges([put('a', 1, position(50)), remove('b', position(50))]);
    expect((await statusOf(c)).tombstones).toBe(1);
    await c.clear();
    expect(await statusOf(c)).toMatchObject({ entries: 0, tombstones: 0 });
    // After a truncate the source starts over: older positions apply again.
    expect(await c.applyChanges([put('a', 2, position(1)), put('b', 3, position(1))])).toEqual([true, true]);
    expect(await entriesOf(c)).toEqual([
      ['a', { name: 'a', n: 2 }],
      ['b', { name: 'b', n: 3 }],
    ]);
  });

  it('a plain put clears the version: an older change applies again afterwards', async () => {
    const c = await freshCache();
    await c.applyChanges([put('k', 1, position(50)), remove('t', position(50))]);
    await c.put('k', { name: 'manual', n: 0 });
    await c.put('t', { name: 'manual', n: 0 });
    expect((await statusOf(c)).tombstones).toBe(0);
    expect(await c.applyChanges([put('k', 2, position(1)), put('t', 3, position(1))])).toEqual([true, true]);
    expect(await c.get('k')).toEqual({ name: 'k', n: 2 });
    expect(await c.get('t')).toEqual({ name: 't', n: 3 });
  });

  it('the SDK refuses a bad change with BAD_REQUEST before sending anything', async () => {
    const c = await freshCache();
    const bad: unknown[] = [
      { kind: 'put', key: 'k', value: { name: 'k', n: 1 }, version: 'v1' },
      { kind: 'put', key: 'k', value: { name: 'k', n: 1 }, version: new Uint8Array(0) },
      { kind: 'put', key: 'k', value: { name: 'k', n: 1 }, version: new Uint8Array(1025) },
      { kind: 'upsert', key: 'k', version: position(1) },
      { kind: 'put', key: null, value: { name: 'k', n: 1 }, version: position(1) },
      { kind: 'put', key: 'k', value: null, version: position(1) },
    ];
    for (const change of bad) {
      const err = await expectShoalError(c.applyChanges([put('ok', 1, position(1)), change as CacheChange<string, Row>]), 'BAD_REQUEST');
      expect(err.message).toMatch(/^change 1: /);
    }
    expect(await c.size()).toBe(0);
  });

  it('the node refuses a bad change with BAD_REQUEST, writing nothing of the request', async () => {
    const c = await freshCache();
    await c.applyChanges([put('kept', 1, position(5))]);
    const good = [
      [ChangeTag.Put, encodeKey('kept'), encodeValue({ name: 'kept', n: 2 }), position(6)],
      [ChangeTag.Put, encodeKey('new'), encodeValue({ name: 'new', n: 1 }), position(6)],
      [ChangeTag.Remove, encodeKey('gone'), position(6)],
    ];
    const bad: unknown[] = [
      'not a change',
      [7, encodeKey('k'), position(1)],
      [ChangeTag.Put, encodeKey('k'), encodeValue(1)],
      [ChangeTag.Remove, encodeKey('k'), encodeValue(1), position(1)],
      [ChangeTag.Put, encodeKey('k'), encodeValue(1), new Uint8Array(0)],
      [ChangeTag.Put, encodeKey('k'), encodeValue(1), new Uint8Array(1025)],
      [ChangeTag.Put, encodeKey('k'), encodeValue(1), 42],
      [ChangeTag.Remove, 'k', position(1)],
    ];
    for (const change of bad) {
      const response = await rawRequest(Opcode.ApplyChanges, [c.name, [...good, change]]);
      expect(response.slice(1, 3)).toEqual([1, 'BAD_REQUEST']);
    }
    expect((await rawRequest(Opcode.ApplyChanges, [c.name, 'not an array'])).slice(1, 3)).toEqual([1, 'BAD_REQUEST']);
    expect((await rawRequest(Opcode.ApplyChanges, ['no-such-cache', []])).slice(1, 3)).toEqual([1, 'CACHE_NOT_FOUND']);
    expect(await entriesOf(c)).toEqual([['kept', { name: 'kept', n: 1 }]]);
    expect(await statusOf(c)).toMatchObject({ entries: 1, tombstones: 0, staleChanges: 0 });
    // The same request without the bad change applies.
    expect(await rawRequest(Opcode.ApplyChanges, [c.name, good])).toEqual([1, 0, [true, true, true]]);
  });

  it('metrics and /status count tombstones and stale changes', async () => {
    const c = await freshCache();
    await c.applyChanges([put('a', 1, position(10)), put('b', 1, position(10)), remove('c', position(10)), remove('d', position(10))]);
    await c.applyChanges([put('a', 0, position(9)), remove('b', position(9)), put('c', 0, position(9)), put('b', 2, position(11))]);
    expect(await statusOf(c)).toMatchObject({ entries: 2, tombstones: 2, staleChanges: 3 });
    const metrics = await Metrics.scrape(node);
    expect(metrics.type('shoal_cache_tombstones')).toBe('gauge');
    expect(metrics.type('shoal_cache_stale_changes_total')).toBe('counter');
    expect(metrics.value('shoal_cache_tombstones', { cache: c.name })).toBe(2);
    expect(metrics.value('shoal_cache_stale_changes_total', { cache: c.name })).toBe(3);
    expect(metrics.value('shoal_cache_puts_total', { cache: c.name })).toBe(3);
    expect(metrics.value('shoal_cache_entries', { cache: c.name })).toBe(2);
    expect(metrics.find('shoal_operation_duration_seconds_count', { operation: 'ApplyChanges' })).toBeGreaterThan(0);
  });
});
