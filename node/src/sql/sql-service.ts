import { BadRequestError, Shoal, ShoalError, SqlError, UnavailableError } from '@shoal/client';
import { SqlEngine, parseStatement } from '@shoal/sql';
import type { Logger } from 'pino';
import type { ClusterNode } from '../cluster/cluster-node.js';
import type { RequestDispatch } from '../cluster/request-dispatch.js';
import type { SqlOperations } from '../handlers/handler.js';
import { checkCacheName } from '../storage/cache-definition.js';
import type { CacheRegistry } from '../storage/cache-registry.js';
import { LocalMapScope } from './local-map-scope.js';
import { NodeSqlHost } from './node-sql-host.js';
import { ResultPages } from './result-pages.js';

export interface SqlServiceOptions {
  readonly caches: CacheRegistry;
  readonly cluster: () => ClusterNode;
  readonly dispatch: () => RequestDispatch;
  /** Where this node's own client port is, for its grid client. */
  readonly address: () => string;
  readonly authToken: string | null;
  readonly nodeId: string;
  readonly log: Logger;
}

/** Longest a statement's own grid requests (map phase, writes) may take, retries included. */
const GRID_REQUEST_TIMEOUT_MS = 15_000;

/**
 * SQL on a node: runs statements with the engine (the node that receives one
 * plans it and reduces), keeps large results for paging, and runs map
 * requests over the partitions this node leads.
 */
export class SqlService implements SqlOperations {
  private readonly engine: SqlEngine;
  private readonly pages = new ResultPages();
  private gridClient: Promise<Shoal> | undefined;
  private stopped = false;

  constructor(private readonly options: SqlServiceOptions) {
    this.engine = new SqlEngine(
      new NodeSqlHost({
        caches: options.caches,
        cluster: options.cluster,
        mapHere: (table, request, partitions) => this.mapHere(table, request, partitions),
        grid: () => this.grid(),
      }),
    );
  }

  async statement(text: unknown, params: unknown): Promise<unknown> {
    if (typeof text !== 'string') throw new BadRequestError('a SQL statement must be a string');
    if (params !== undefined && params !== null && !Array.isArray(params)) throw new BadRequestError('SQL parameters must be an array');
    let result;
    try {
      result = await this.engine.execute(text, (params as unknown[] | null | undefined) ?? []);
    } catch (err) {
      throw interruptedWrite(text, err);
    }
    const [page, cursor] = this.pages.first(result.rows);
    return [result.command, result.columns, page, result.rowCount, cursor];
  }

  fetch(cursor: unknown): unknown {
    return this.pages.next(cursor);
  }

  map(table: unknown, request: unknown, partitions: unknown): unknown {
    checkCacheName(table);
    const store = this.options.caches.require(table);
    if (!Array.isArray(partitions) || !partitions.every((p) => Number.isSafeInteger(p) && p >= 0 && p < store.partitions.length)) {
      throw new BadRequestError(`partitions must be an array of partition numbers below ${store.partitions.length}`);
    }
    return this.engine.runMap(request, this.scopeOf(table, partitions as number[]));
  }

  /** Stops paging and closes the grid client. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pages.stop();
    const client = this.gridClient;
    this.gridClient = undefined;
    if (client) await client.then((grid) => grid.close()).catch(() => undefined);
  }

  /** Runs the map phase here for the partitions this node leads now; returns the rest for the grid client to route. */
  private mapHere(table: string, request: unknown, partitions: readonly number[]): { outputs: Promise<unknown[]>; elsewhere: readonly number[] } {
    const store = this.options.caches.require(table);
    const dispatch = this.options.dispatch();
    const here = partitions.filter((p) => p < store.partitions.length && dispatch.servesAsPrimary(store, p));
    if (here.length === 0) return { outputs: Promise.resolve([]), elsewhere: partitions };
    const heldHere = new Set(here);
    const output = this.engine.runMap(request, this.scopeOf(table, here));
    const ready = dispatch.afterReplication(output, here.map((p) => store.partitions[p]!));
    return { outputs: Promise.resolve(ready).then((o) => [o]), elsewhere: partitions.filter((p) => !heldHere.has(p)) };
  }

  private scopeOf(table: string, partitions: readonly number[]): LocalMapScope {
    return new LocalMapScope(this.options.caches, table, partitions, (cache) => this.holdsWhole(cache));
  }

  private holdsWhole(cache: string): boolean {
    const cluster = this.options.cluster();
    const store = this.options.caches.find(cache);
    if (store === undefined) return false;
    for (let p = 0; p < store.partitions.length; p++) {
      if (!cluster.state.assignment(cache, p)?.owners.includes(this.options.nodeId)) return false;
    }
    return true;
  }

  private grid(): Promise<Shoal> {
    if (this.stopped) return Promise.reject(new UnavailableError('the node is stopping'));
    this.gridClient ??= Shoal.connect({
      endpoints: [this.options.address()],
      authToken: this.options.authToken ?? undefined,
      clientName: `sql@${this.options.nodeId}`,
      requestTimeoutMs: GRID_REQUEST_TIMEOUT_MS,
    }).catch((err: unknown) => {
      this.gridClient = undefined;
      this.options.log.warn({ err }, 'the SQL grid client could not connect');
      throw err;
    });
    return this.gridClient;
  }
}

/**
 * A statement that writes and failed with a retryable error may have written
 * part of its rows (there are no transactions): the SDK must not run it again
 * on its own, so the failure becomes a SQL_ERROR that says so.
 */
function interruptedWrite(text: string, err: unknown): unknown {
  if (!(err instanceof ShoalError) || !err.retryable) return err;
  let kind: string;
  try {
    kind = parseStatement(text).statement.kind;
  } catch {
    return err;
  }
  if (kind === 'select' || kind === 'explain') return err;
  return new SqlError(`${kind.toUpperCase().replace('-', ' ')} was interrupted (${err.code}: ${err.message}); part of it may have been applied, as Shoal SQL has no transactions`, { cause: err });
}
