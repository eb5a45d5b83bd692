import { type Cache, Shoal } from '@shoal/client';
import type { BenchTarget, Keyspace } from './bench-target.js';

/**
 * The Shoal SDK against a cluster, behind the same interface as the single
 * node, so the cluster runs the very workload code the single node runs.
 * Only the key-value workloads use it: the counter and memory workloads
 * measure one process and are not run here.
 */
export class ClusterTarget implements BenchTarget {
  readonly name = 'Shoal 3-node';

  private constructor(
    private readonly grid: Shoal,
    private readonly cache: Cache<string, string>,
  ) {}

  /** Connects to `endpoints` and creates the `bench` cache with `backups` (writeSync stays the default, full). */
  static async connect(endpoints: readonly string[], backups: number): Promise<ClusterTarget> {
    const grid = await Shoal.connect({ endpoints, clientName: 'shoal-bench-cluster', connectTimeoutMs: 10_000 });
    try {
      await grid.createCache('bench', { backups });
    } catch (err) {
      await grid.close();
      throw err;
    }
    return new ClusterTarget(grid, grid.cache<string, string>('bench'));
  }

  get(key: string): Promise<string | undefined> {
    return this.cache.get(key);
  }

  getAlone(key: string): Promise<string | undefined> {
    return this.cache.get(key);
  }

  put(key: string, value: string): Promise<void> {
    return this.cache.put(key, value);
  }

  async getMany(keys: readonly string[]): Promise<number> {
    return (await this.cache.getAll(keys)).size;
  }

  increment(): Promise<number> {
    return Promise.reject(new Error('the cluster run does not measure counters'));
  }

  load(keyspace: Keyspace, entries: readonly (readonly [string, string])[]): Promise<void> {
    if (keyspace !== 'bench') return Promise.reject(new Error('the cluster run loads only the workload keys'));
    return this.cache.putAll(entries);
  }

  dropWorkloadKeys(): Promise<void> {
    return this.cache.clear();
  }

  memoryBytes(): Promise<number> {
    return Promise.reject(new Error('the cluster run does not measure memory'));
  }

  close(): Promise<void> {
    return this.grid.close();
  }
}
