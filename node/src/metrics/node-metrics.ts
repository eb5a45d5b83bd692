import { opcodeName, Opcode } from '@shoal/client/protocol';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheRegistry } from '../storage/cache-registry.js';
import type { CacheStats, CacheStore } from '../storage/cache-store.js';

/** Per-request latencies are microseconds to milliseconds on one node. */
const LATENCY_BUCKETS = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.025, 0.1];

/**
 * The node's Prometheus metrics. Cache counters live as plain numbers on each
 * cache (cheap on the hot path) and are read at scrape time.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  /** Frames and bytes to and from clients, as plain numbers for the hot path. */
  readonly traffic = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 };
  readonly protocolErrors: Counter;
  private readonly latencyByOpcode = new Map<number, { observe(seconds: number): void }>();

  constructor(caches: CacheRegistry) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.connections = new Gauge({ name: 'shoal_client_connections', help: 'Open client connections', registers });
    const traffic = this.traffic;
    const trafficCounters: [keyof typeof traffic, string, string][] = [
      ['framesIn', 'shoal_frames_received_total', 'Frames received from clients'],
      ['framesOut', 'shoal_frames_sent_total', 'Frames sent to clients'],
      ['bytesIn', 'shoal_bytes_received_total', 'Bytes received from clients'],
      ['bytesOut', 'shoal_bytes_sent_total', 'Bytes sent to clients'],
    ];
    for (const [field, name, help] of trafficCounters) readAtScrape('counter', this.registry, name, help, [], () => [[{}, traffic[field]]]);
    this.protocolErrors = new Counter({ name: 'shoal_protocol_errors_total', help: 'Connections closed for a malformed frame or handshake', registers });
    const latency = new Histogram({
      name: 'shoal_operation_duration_seconds',
      help: 'Time a node spends executing one request, by operation',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    for (const code of Object.values(Opcode)) this.latencyByOpcode.set(code, latency.labels(opcodeName(code)));
    this.registerCacheMetrics(caches);
  }

  /** Records one request's execution time. */
  observe(opcode: number, seconds: number): void {
    this.latencyByOpcode.get(opcode)?.observe(seconds);
  }

  private registerCacheMetrics(caches: CacheRegistry): void {
    const counters: [keyof CacheStats, string, string][] = [
      ['gets', 'shoal_cache_gets_total', 'Keys read'],
      ['hits', 'shoal_cache_hits_total', 'Keys read that were present'],
      ['misses', 'shoal_cache_misses_total', 'Keys read that were absent'],
      ['puts', 'shoal_cache_puts_total', 'Entries written'],
      ['removals', 'shoal_cache_removals_total', 'Entries removed'],
      ['stale', 'shoal_cache_stale_changes_total', 'Versioned changes skipped as older than the stored version'],
    ];
    const perCache = (read: (cache: CacheStore) => number) => (): Reading[] => [...caches.all()].map((cache) => [{ cache: cache.name }, read(cache)]);
    for (const [field, name, help] of counters) readAtScrape('counter', this.registry, name, help, ['cache'], perCache((cache) => cache.stats[field]));
    const gauges: [string, string, (cache: CacheStore) => number][] = [
      ['shoal_cache_entries', 'Entries held', (cache) => cache.size],
      ['shoal_cache_bytes', 'Bytes of keys and values held', (cache) => cache.bytes],
      ['shoal_cache_tombstones', 'Keys removed by versioned changes, kept with their version so older changes stay stale', (cache) => cache.tombstones],
    ];
    for (const [name, help, read] of gauges) readAtScrape('gauge', this.registry, name, help, ['cache'], perCache(read));
  }
}

/** One sample: its labels and its value. */
type Reading = readonly [labels: Record<string, string>, value: number];

/**
 * A metric whose values live elsewhere as plain numbers (cheap to bump on the
 * hot path) and are read when Prometheus scrapes.
 */
/** What the cluster shows at scrape time; undefined before the node started. */
export interface ClusterReadings {
  readonly members: number;
  readonly epoch: number;
  readonly leader: boolean;
  readonly copiesInProgress: number;
  readonly copiesCompleted: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly heldWrites: number;
}

/** Cluster gauges and counters: membership, the map epoch, and data movement while rebalancing. */
export function registerClusterMetrics(registry: Registry, read: () => ClusterReadings | undefined): void {
  const one = (pick: (readings: ClusterReadings) => number) => (): Iterable<Reading> => {
    const readings = read();
    return readings === undefined ? [] : [[{}, pick(readings)]];
  };
  readAtScrape('gauge', registry, 'shoal_cluster_members', 'Members in the cluster state', [], one((r) => r.members));
  readAtScrape('gauge', registry, 'shoal_cluster_map_epoch', 'Epoch of the partition map', [], one((r) => r.epoch));
  readAtScrape('gauge', registry, 'shoal_cluster_is_leader', '1 while this node leads the control plane', [], one((r) => (r.leader ? 1 : 0)));
  readAtScrape('gauge', registry, 'shoal_rebalance_copies_in_progress', 'Partition copies queued or running on this node', [], one((r) => r.copiesInProgress));
  readAtScrape('counter', registry, 'shoal_rebalance_copies_completed_total', 'Partition copies this node finished sending', [], one((r) => r.copiesCompleted));
  readAtScrape('counter', registry, 'shoal_rebalance_bytes_sent_total', 'Bytes of entries copied to replicas', [], one((r) => r.bytesSent));
  readAtScrape('counter', registry, 'shoal_rebalance_bytes_received_total', 'Bytes of entries received in copies', [], one((r) => r.bytesReceived));
  readAtScrape('gauge', registry, 'shoal_replication_held_writes', 'Writes waiting for their replicas', [], one((r) => r.heldWrites));
}

function readAtScrape(kind: 'counter' | 'gauge', registry: Registry, name: string, help: string, labelNames: string[], readings: () => Iterable<Reading>): void {
  const registers = [registry];
  if (kind === 'counter') {
    new Counter({ name, help, labelNames, registers, collect() {
      this.reset();
      for (const [labels, value] of readings()) this.inc(labels, value);
    } });
  } else {
    new Gauge({ name, help, labelNames, registers, collect() {
      this.reset();
      for (const [labels, value] of readings()) this.set(labels, value);
    } });
  }
}
