import { AtomicLong } from './atomic-long.js';
import { Cache } from './cache.js';
import { type Clock, systemClock } from './clock.js';
import type { Key } from './protocol/codec.js';
import { BadRequestError, ShoalError, UnavailableError } from './protocol/errors.js';
import { Opcode } from './protocol/opcodes.js';
import { createShoalKysely } from './kysely/index.js';
import type { Kysely } from 'kysely';
import { Router } from './router.js';
import { type SqlResult, runSql, runSqlMap } from './sql-statements.js';
import type { Transport } from './transport/transport.js';
import { WebSocketTransport } from './transport/websocket-transport.js';

/** Options of `Shoal.connect`. */
export interface ConnectOptions {
  /** `host:port` of one or more nodes, e.g. `['127.0.0.1:7700']`. */
  readonly endpoints: readonly string[];
  /** The token the nodes were started with (`--auth-token`). */
  readonly authToken?: string;
  /** Deadline of each call, retries included, in ms (default 5000). */
  readonly requestTimeoutMs?: number;
  /** How long `connect` keeps trying before it fails with `UNAVAILABLE`, in ms (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff bounds, in ms (default 50 → 2000). */
  readonly reconnect?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** A name the node logs for this client. */
  readonly clientName?: string;
  /** For tests and simulations: the network and the time source. */
  readonly transport?: Transport;
  readonly clock?: Clock;
}

/** How a cache is laid out. */
export interface CacheConfig {
  readonly mode?: 'partitioned' | 'replicated';
  readonly backups?: number;
  readonly partitions?: number;
  /**
   * Makes the cache a SQL table: its columns (types as in CREATE TABLE), primary key and indexes.
   * @example { columns: [{ name: 'id', type: 'INT' }, { name: 'name', type: 'TEXT' }], primaryKey: ['id'] }
   */
  readonly schema?: TableSchemaConfig;
}

/** A table's columns as `createCache` takes them. */
export interface TableSchemaConfig {
  readonly columns: readonly { readonly name: string; readonly type: string; readonly notNull?: boolean }[];
  readonly primaryKey: readonly string[];
  readonly indexes?: readonly { readonly name: string; readonly columns: readonly string[] }[];
}

/** A cache's definition as the grid holds it. */
export interface CacheInfo {
  readonly name: string;
  readonly mode: 'partitioned' | 'replicated';
  readonly backups: number;
  readonly partitions: number;
}

/**
 * A client of a Shoal grid: a home connection to the first endpoint that
 * answers, the partition map, and a connection to each other member it routes to.
 * @example const grid = await Shoal.connect({ endpoints: ['127.0.0.1:7700'] })
 */
export class Shoal {
  private constructor(private readonly router: Router) {}

  /** Connects, completes the handshake and fetches the partition map; fails with `UNAUTHORIZED` or `UNAVAILABLE`. */
  static async connect(options: ConnectOptions): Promise<Shoal> {
    if (!Array.isArray(options?.endpoints) || options.endpoints.length === 0) throw new BadRequestError('connect needs at least one endpoint');
    for (const endpoint of options.endpoints) checkEndpoint(endpoint);
    const clock = options.clock ?? systemClock;
    const router = new Router({
      endpoints: options.endpoints,
      transport: options.transport ?? new WebSocketTransport(),
      clock,
      authToken: options.authToken ?? null,
      clientName: options.clientName ?? `node-${process.pid}`,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      reconnect: options.reconnect ?? { initialDelayMs: 50, maxDelayMs: 2_000 },
    });
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(() => reject(new UnavailableError(`no node answered at ${options.endpoints.join(', ')} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([router.home.whenReady(), gaveUp]);
    } catch (err) {
      router.close();
      if (err instanceof ShoalError) Error.captureStackTrace(err);
      throw err;
    } finally {
      if (timer) clock.clear(timer);
    }
    // Without a map (a node that has none) everything goes to the home connection.
    await router.refreshMap();
    return new Shoal(router);
  }

  /** Creates a cache; true if created, false if it already existed with the same config (`CACHE_CONFIG_CONFLICT` otherwise). */
  async createCache(name: string, config: CacheConfig = {}): Promise<boolean> {
    const created = (await this.admin(Opcode.CreateCache, [name, { ...config }])) as boolean;
    await this.router.refreshMap();
    return created;
  }

  /** Drops a cache and its entries; true if it existed. */
  async destroyCache(name: string): Promise<boolean> {
    const existed = (await this.admin(Opcode.DestroyCache, [name])) as boolean;
    await this.router.refreshMap();
    return existed;
  }

  /** Every cache's definition. */
  async listCaches(): Promise<CacheInfo[]> {
    return (await this.admin(Opcode.ListCaches, [])) as CacheInfo[];
  }

  /** A handle on a cache (no round trip; a missing cache fails its first operation with `CACHE_NOT_FOUND`). */
  cache<K extends Key = Key, V = unknown>(name: string): Cache<K, V> {
    return new Cache<K, V>(name, this.router);
  }

  /** A distributed counter, created at 0 on first use. */
  atomicLong(name: string): AtomicLong {
    return new AtomicLong(name, this.router);
  }

  /**
   * Runs one SQL statement (PostgreSQL dialect, `?` or `$1` parameters) and reads its whole result.
   * @example const { columns, rows } = await grid.sql('SELECT name FROM customers WHERE tier = ?', ['gold'])
   */
  sql(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return runSql(this.router, text, params);
  }

  /**
   * A Kysely instance over the grid's SQL (Postgres query compiler; no transactions).
   * @example await grid.kysely<DB>().selectFrom('customers').selectAll().where('tier', '=', 'gold').execute()
   */
  kysely<DB>(): Kysely<DB> {
    return createShoalKysely<DB>((text, params) => this.sql(text, params));
  }

  /** Runs a statement's map phase on the primaries of `partitions` of `table`: what a node sends its peers while running SQL. */
  sqlMap(table: string, request: unknown, partitions: readonly number[]): Promise<unknown[]> {
    return runSqlMap(this.router, table, request, partitions);
  }

  /** One round trip to the home node. */
  async ping(): Promise<void> {
    await this.admin(Opcode.Ping, []);
  }

  /** Closes every connection; pending requests fail with `CONNECTION_CLOSED`, and no handle stays open. */
  async close(): Promise<void> {
    this.router.close();
  }

  /** Admin operations go to the home connection. */
  private admin(opcode: Opcode, args: readonly unknown[]): Promise<unknown> {
    return this.router.send({ kind: 'home' }, opcode, args);
  }
}

/** `host:port` (IPv6 in brackets) or a `ws://` / `wss://` URL. */
function checkEndpoint(endpoint: unknown): void {
  if (typeof endpoint === 'string') {
    if (/^wss?:\/\//.test(endpoint) && URL.canParse(endpoint)) return;
    const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(endpoint);
    if (match && Number(match[2]) <= 65_535) return;
  }
  throw new BadRequestError(`endpoint ${JSON.stringify(endpoint)} is not host:port or a ws:// URL`);
}
