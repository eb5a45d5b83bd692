import type { Shoal } from '@shoal/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '../src/harness/index.js';
import { Fixtures, Metrics, sleep } from './support/helpers.js';

/** `GET /healthz`, `/status` and `/metrics` on the node's one port. */
const fixtures = new Fixtures();
let node: NodeProcess;
let grid: Shoal;

beforeAll(async () => {
  node = await fixtures.node();
  grid = await fixtures.connect(node);
});

afterAll(() => fixtures.cleanup());

interface StatusCache {
  name: string;
  mode: string;
  backups: number;
  partitions: number;
  entries: number;
  bytes: number;
}

async function status(): Promise<{ caches: StatusCache[] } & Record<string, unknown>> {
  const response = await fetch(`${node.url}/status`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  return (await response.json()) as { caches: StatusCache[] };
}

/** Polls the metrics until `check` passes (a connection closing is seen by the node a moment later). */
async function eventually(check: (m: Metrics) => boolean): Promise<Metrics> {
  let metrics = await Metrics.scrape(node);
  for (let i = 0; i < 60 && !check(metrics); i++) {
    await sleep(50);
    metrics = await Metrics.scrape(node);
  }
  return metrics;
}

describe('GET /healthz', () => {
  it('answers 200', async () => {
    const response = await fetch(`${node.url}/healthz`);
    expect(response.status).toBe(200);
    await response.text();
  });
});

describe('GET /status', () => {
  it('is JSON listing the caches with their entry counts', async () => {
    await grid.createCache('status-a', { mode: 'partitioned', backups: 1 });
    await grid.createCache('status-b', { mode: 'replicated', backups: 0 });
    await grid.cache('status-a').putAll(Array.from({ length: 321 }, (_, i) => [i, `v${i}`] as const));
    const body = await status();
    expect(Array.isArray(body.caches)).toBe(true);
    const a = body.caches.find((c) => c.name === 'status-a');
    const b = body.caches.find((c) => c.name === 'status-b');
    expect(a).toMatchObject({ name: 'status-a', mode: 'partitioned', backups: 1, entries: 321 });
    expect(b).toMatchObject({ name: 'status-b', mode: 'replicated', backups: 0, entries: 0 });
  });

  it('entry counts follow puts, removes and clears', async () => {
    await grid.createCache('status-c');
    const c = grid.cache<string, number>('status-c');
    await c.putAll([['a', 1], ['b', 2], ['c', 3]]);
    expect((await status()).caches.find((x) => x.name === 'status-c')?.entries).toBe(3);
    await c.remove('a');
    expect((await status()).caches.find((x) => x.name === 'status-c')?.entries).toBe(2);
    await c.clear();
    expect((await status()).caches.find((x) => x.name === 'status-c')?.entries).toBe(0);
    await grid.destroyCache('status-c');
    expect((await status()).caches.find((x) => x.name === 'status-c')).toBeUndefined();
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text with the metric families of the contract', async () => {
    await grid.createCache('metrics-families');
    const c = grid.cache('metrics-families');
    await c.put('k', 1);
    await c.get('k');
    const response = await fetch(`${node.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = new Metrics(await response.text(), []);
    const types: Record<string, string> = {
      shoal_cache_gets_total: 'counter',
      shoal_cache_hits_total: 'counter',
      shoal_cache_misses_total: 'counter',
      shoal_cache_puts_total: 'counter',
      shoal_cache_removals_total: 'counter',
      shoal_cache_entries: 'gauge',
      shoal_cache_bytes: 'gauge',
      shoal_operation_duration_seconds: 'histogram',
      shoal_client_connections: 'gauge',
      shoal_frames_received_total: 'counter',
      shoal_bytes_sent_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    };
    for (const [name, type] of Object.entries(types)) {
      expect(metrics.text, `# HELP ${name}`).toMatch(new RegExp(`^# HELP ${name} `, 'm'));
      expect(metrics.type(name), `# TYPE ${name}`).toBe(type);
    }
    // Every line parses as the text format.
    const scraped = await Metrics.scrape(node);
    expect(scraped.samples.length).toBeGreaterThan(0);
    expect(scraped.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(scraped.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('cache counters count exactly what was done, per cache', async () => {
    await grid.createCache('metrics-counts');
    const c = grid.cache<string, string>('metrics-counts');
    const labels = { cache: 'metrics-counts' };
    const before = await Metrics.scrape(node);
    await c.put('a', 'A');
    await c.put('b', 'B');
    await c.putAll([['c', 'C'], ['d', 'D']]);
    await c.get('a'); // hit
    await c.get('b'); // hit
    await c.get('missing-1'); // miss
    await c.getAll(['c', 'missing-2', 'missing-3']); // 1 hit, 2 misses
    await c.remove('d');
    await c.remove('never-there');
    const after = await Metrics.scrape(node);
    const delta = (name: string) => after.value(name, labels) - before.value(name, labels);
    expect(delta('shoal_cache_gets_total')).toBe(6);
    expect(delta('shoal_cache_hits_total')).toBe(3);
    expect(delta('shoal_cache_misses_total')).toBe(3);
    expect(delta('shoal_cache_puts_total')).toBe(4);
    expect(delta('shoal_cache_removals_total')).toBe(1);
    expect(after.value('shoal_cache_entries', labels)).toBe(3);
    expect(after.value('shoal_cache_bytes', labels)).toBeGreaterThan(0);
    // Another cache's series are not touched.
    await grid.createCache('metrics-other');
    await grid.cache('metrics-other').get('x');
    const third = await Metrics.scrape(node);
    expect(third.value('shoal_cache_gets_total', labels)).toBe(after.value('shoal_cache_gets_total', labels));
    expect(third.value('shoal_cache_misses_total', { cache: 'metrics-other' })).toBe(1);
  });

  it('entries and bytes gauges follow the data', async () => {
    await grid.createCache('metrics-bytes');
    const c = grid.cache<string, string>('metrics-bytes');
    const labels = { cache: 'metrics-bytes' };
    const empty = await Metrics.scrape(node);
    expect(empty.value('shoal_cache_entries', labels)).toBe(0);
    expect(empty.value('shoal_cache_bytes', labels)).toBe(0);
    await c.put('big', 'x'.repeat(100_000));
    const full = await Metrics.scrape(node);
    expect(full.value('shoal_cache_entries', labels)).toBe(1);
    expect(full.value('shoal_cache_bytes', labels)).toBeGreaterThanOrEqual(100_000);
    await c.clear();
    const cleared = await Metrics.scrape(node);
    expect(cleared.value('shoal_cache_entries', labels)).toBe(0);
    expect(cleared.value('shoal_cache_bytes', labels)).toBe(0);
  });

  it('the operation duration histogram counts every request', async () => {
    await grid.createCache('metrics-histogram');
    const c = grid.cache('metrics-histogram');
    const before = await Metrics.scrape(node);
    await Promise.all([c.get('a'), c.get('b'), c.get('c')]);
    await c.put('a', 1);
    const after = await Metrics.scrape(node);
    const name = 'shoal_operation_duration_seconds';
    expect(after.value(`${name}_count`) - before.value(`${name}_count`)).toBe(4);
    expect(after.value(`${name}_sum`)).toBeGreaterThan(0);
    // Per series: buckets are cumulative and the +Inf bucket equals the series' count.
    const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort());
    const series = after.samples.filter((s) => s.name === `${name}_count` && s.value > 0);
    expect(series.length).toBeGreaterThan(0);
    for (const one of series) {
      const buckets = after.samples.filter((s) => s.name === `${name}_bucket` && key(s.labels) === key(one.labels));
      expect(buckets.length).toBeGreaterThan(1);
      expect(buckets.find((s) => s.labels.le === '+Inf')?.value).toBe(one.value);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    }
  });

  it('client connections count open clients', async () => {
    const base = await eventually((m) => m.value('shoal_client_connections') === 1);
    expect(base.value('shoal_client_connections')).toBe(1);
    const second = await fixtures.connect(node);
    const third = await fixtures.connect(node);
    expect((await Metrics.scrape(node)).value('shoal_client_connections')).toBe(3);
    await second.close();
    await third.close();
    const closed = await eventually((m) => m.value('shoal_client_connections') === 1);
    expect(closed.value('shoal_client_connections')).toBe(1);
  });

  it('frames received and bytes sent grow with traffic', async () => {
    await grid.createCache('metrics-traffic');
    const before = await Metrics.scrape(node);
    await grid.cache('metrics-traffic').put('k', 'y'.repeat(50_000));
    await grid.cache('metrics-traffic').get('k');
    const after = await Metrics.scrape(node);
    expect(after.value('shoal_frames_received_total') - before.value('shoal_frames_received_total')).toBeGreaterThanOrEqual(2);
    expect(after.value('shoal_bytes_sent_total') - before.value('shoal_bytes_sent_total')).toBeGreaterThanOrEqual(50_000);
  });
});

describe('other requests', () => {
  it('an unknown path is 404', async () => {
    for (const path of ['/nope', '/metrics/extra', '/healthzz', '/status.json']) {
      const response = await fetch(`${node.url}${path}`);
      expect(response.status, path).toBe(404);
      await response.text();
    }
  });

  it('a POST to an endpoint is refused with a 4xx and the node goes on serving', async () => {
    const response = await fetch(`${node.url}/status`, { method: 'POST', body: 'x' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await response.text();
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    await grid.ping();
  });

  it('a plain HTTP request that is not a WebSocket upgrade on / does not disturb the node', async () => {
    const response = await fetch(`${node.url}/`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    await response.text();
    await grid.ping();
  });
});
