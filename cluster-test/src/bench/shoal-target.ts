import { type Cache, Shoal } from '@shoal/client';
import type { BenchTarget, Keyspace } from './bench-target.js';
import type { ShoalNodeProcess } from './shoal-node-process.js';

const COUNTER = 'bench-counter';

/** The Shoal SDK against one node. */
export class ShoalTarget implements BenchTarget {
  readonly name = 'Shoal';

  private constructor(
    private readonly grid: Shoal,
    private readonly caches: Record<Keyspace, Cache<string, string>>,
    private readonly node: ShoalNodeProcess,
  ) {}

  static async connect(node: ShoalNodeProcess): Promise<ShoalTarget> {
    const grid = await Shoal.connect({ endpoints: [node.endpoint], clientName: 'shoal-bench', connectTimeoutMs: 10_000 });
    try {
      await grid.createCache('bench');
      await grid.createCache('mem');
    } catch (err) {
      await grid.close();
      throw err;
    }
    const caches = { bench: grid.cache<string, string>('bench'), mem: grid.cache<string, string>('mem') };
    return new ShoalTarget(grid, caches, node);
  }

  get(key: string): Promise<string | undefined> {
    return this.caches.bench.get(key);
  }

  getAlone(key: string): Promise<string | undefined> {
    return this.caches.bench.get(key);
  }

  put(key: string, value: string): Promise<void> {
    return this.caches.bench.put(key, value);
  }

  async getMany(keys: readonly string[]): Promise<number> {
    return (await this.caches.bench.getAll(keys)).size;
  }

  increment(): Promise<number> {
    return this.grid.atomicLong(COUNTER).incrementAndGet();
  }

  load(keyspace: Keyspace, entries: readonly (readonly [string, string])[]): Promise<void> {
    return this.caches[keyspace].putAll(entries);
  }

  dropWorkloadKeys(): Promise<void> {
    return this.caches.bench.clear();
  }

  async memoryBytes(): Promise<number> {
    const m = await this.node.memory();
    return m.heapUsed + m.external;
  }

  close(): Promise<void> {
    return this.grid.close();
  }
}
