import { type Key, Shoal } from '@shoal/client';
import type { IndexSchema, SqlHost, TableInfo, TableSchema } from '@shoal/sql';
import type { ClusterNode } from '../cluster/cluster-node.js';
import { INTERNAL_CACHE_PREFIX, parseCacheDefinition } from '../storage/cache-definition.js';
import type { CacheRegistry } from '../storage/cache-registry.js';

/** What the host needs of the node around it. */
export interface NodeSqlHostOptions {
  readonly caches: CacheRegistry;
  readonly cluster: () => ClusterNode;
  /** Runs a map request over the partitions this node may serve right now; the rest are returned for the grid to route. */
  readonly mapHere: (table: string, request: unknown, partitions: readonly number[]) => { readonly outputs: Promise<unknown[]>; readonly elsewhere: readonly number[] };
  /** A client of the grid this node belongs to: DML writes and remote map requests take the SDK's routing and retries. */
  readonly grid: () => Promise<Shoal>;
}

/**
 * The SQL engine's view of the node: the catalog is the cache registry (a
 * table is a cache with a schema), DDL goes through the control plane like
 * createCache, the map phase runs here for partitions this node leads and
 * through the grid client elsewhere, and DML writes travel the normal write
 * path (primary, replicas, deduplicated retries).
 */
export class NodeSqlHost implements SqlHost {
  constructor(private readonly options: NodeSqlHostOptions) {}

  table(name: string): TableInfo | undefined {
    const store = this.options.caches.find(name);
    const schema = store?.definition.table;
    // Internal caches are never tables, whatever a schema might say.
    if (store === undefined || schema === undefined || name.startsWith(INTERNAL_CACHE_PREFIX)) return undefined;
    return { name, mode: store.definition.mode, partitions: store.partitions.length, schema };
  }

  catchUp(): Promise<void> {
    return this.options.cluster().catchUp();
  }

  async createTable(name: string, schema: TableSchema, options: { readonly mode?: 'partitioned' | 'replicated'; readonly backups?: number }): Promise<boolean> {
    const definition = { ...parseCacheDefinition(name, { ...options }, this.options.caches.partitionCount), table: schema };
    return (await this.options.cluster().propose({ kind: 'create-cache', definition })) as boolean;
  }

  async dropTable(name: string): Promise<boolean> {
    return (await this.options.cluster().propose({ kind: 'destroy-cache', name })) as boolean;
  }

  async createIndex(table: string, index: IndexSchema): Promise<boolean> {
    return (await this.options.cluster().propose({ kind: 'add-index', cache: table, index })) as boolean;
  }

  async dropIndex(name: string): Promise<boolean> {
    return (await this.options.cluster().propose({ kind: 'drop-index', name })) as boolean;
  }

  async map(table: string, request: unknown, partitions?: readonly number[]): Promise<readonly unknown[]> {
    const all = partitions ?? Array.from({ length: this.options.caches.require(table).partitions.length }, (_, p) => p);
    const here = this.options.mapHere(table, request, all);
    const remote = here.elsewhere.length === 0 ? [] : (await this.options.grid()).sqlMap(table, request, here.elsewhere);
    const [local, others] = await Promise.all([here.outputs, remote]);
    return [...local, ...others];
  }

  async put(table: string, entries: readonly (readonly [Key, unknown])[]): Promise<void> {
    await (await this.options.grid()).cache(table).putAll(entries);
  }

  async putIfAbsent(table: string, key: Key, row: unknown): Promise<boolean> {
    return (await this.options.grid()).cache(table).putIfAbsent(key, row);
  }

  async remove(table: string, keys: readonly Key[]): Promise<number> {
    return (await this.options.grid()).cache(table).removeAll(keys);
  }
}
