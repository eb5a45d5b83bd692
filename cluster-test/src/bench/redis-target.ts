import { Redis } from 'ioredis';
import type { BenchTarget, Keyspace } from './bench-target.js';

const COUNTER = 'bench-counter';

/**
 * ioredis against one redis-server, each workload through Redis's best client
 * setting: auto-pipelining (commands issued in one tick share a write) for
 * concurrent work, a plain connection for one-at-a-time latency (auto-pipelining
 * delays a lone command by a tick: about 25 µs here).
 */
export class RedisTarget implements BenchTarget {
  readonly name = 'Redis';

  private constructor(
    private readonly redis: Redis,
    private readonly direct: Redis,
  ) {}

  static async connect(port: number): Promise<RedisTarget> {
    const open = async (enableAutoPipelining: boolean) => {
      const redis = new Redis({ host: '127.0.0.1', port, enableAutoPipelining, lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 10_000 });
      redis.on('error', (err: Error) => process.stderr.write(`bench: ioredis: ${err.message}\n`));
      await redis.connect();
      return redis;
    };
    return new RedisTarget(await open(true), await open(false));
  }

  async getAlone(key: string): Promise<string | undefined> {
    return (await this.direct.get(key)) ?? undefined;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async put(key: string, value: string): Promise<void> {
    await this.redis.set(key, value);
  }

  async getMany(keys: readonly string[]): Promise<number> {
    const values = await this.redis.mget(...keys);
    let found = 0;
    for (const v of values) if (v !== null) found++;
    return found;
  }

  increment(): Promise<number> {
    return this.redis.incr(COUNTER);
  }

  async load(_keyspace: Keyspace, entries: readonly (readonly [string, string])[]): Promise<void> {
    await this.redis.mset(...entries.flat());
  }

  async dropWorkloadKeys(): Promise<void> {
    await this.redis.flushall();
  }

  async memoryBytes(): Promise<number> {
    const info = await this.redis.info('memory');
    const match = /^used_memory:(\d+)/m.exec(info);
    if (!match) throw new Error(`INFO memory has no used_memory line: ${info.slice(0, 200)}`);
    return Number(match[1]);
  }

  async close(): Promise<void> {
    await Promise.all([this.redis.quit(), this.direct.quit()]);
  }
}
