/** Which keyspace a load goes to: the workload keys, or the memory-measurement keys. */
export type Keyspace = 'bench' | 'mem';

/** One system under test, behind the few operations the workloads use. */
export interface BenchTarget {
  readonly name: string;
  get(key: string): Promise<string | undefined>;
  /** A get for one-at-a-time latency, through the client configuration that is fastest for it. */
  getAlone(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  /** Reads `keys` in one request (getAll / MGET); the number found. */
  getMany(keys: readonly string[]): Promise<number>;
  /** incrementAndGet / INCR on one counter. */
  increment(): Promise<number>;
  /** Writes `entries` in one request (putAll / MSET). */
  load(keyspace: Keyspace, entries: readonly (readonly [string, string])[]): Promise<void>;
  /** Drops the workload keys so the memory measurement starts from a quiet state. */
  dropWorkloadKeys(): Promise<void>;
  /** Bytes the server holds for data: Shoal heapUsed + external after a GC, Redis used_memory. */
  memoryBytes(): Promise<number>;
  close(): Promise<void>;
}
