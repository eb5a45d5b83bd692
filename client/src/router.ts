import { Connection, type ConnectionOptions } from './connection.js';
import { Delays } from './delays.js';
import { MapRefresher } from './map-refresher.js';
import { MemberConnections } from './member-connections.js';
import { PartitionTable, type Placement } from './partition-table.js';
import { ErrorCode } from './protocol/error-codes.js';
import { ConnectionClosedError, PartitionLostError, ShoalError } from './protocol/errors.js';
import type { Opcode } from './protocol/opcodes.js';
import { RequestIds, newClientId } from './request-ids.js';
import { type CallRetries, type RetryBackoff, RetryPolicy } from './retry-policy.js';

/** What a router needs to open connections: everything of `ConnectionOptions` but the endpoints. */
export type RouterOptions = Omit<ConnectionOptions, 'ids' | 'clientId' | 'onMapEpoch' | 'failQueuedOnDisconnect'>;

/** Where one request goes, tagged by `kind`. */
export type Destination =
  /** The primary of the key's partition. */
  | { readonly kind: 'key'; readonly cache: string; readonly keyBytes: Uint8Array }
  /** The primary of one partition (a scan cursor). */
  | { readonly kind: 'partition'; readonly cache: string; readonly partition: number }
  /** The home connection (admin operations). */
  | { readonly kind: 'home' };

/**
 * Sends each SDK call to the member that can answer it, under the client's
 * copy of the partition map, and retries it (same request id, same deadline)
 * when the grid moved underneath: see `RetryPolicy`.
 */
export class Router {
  readonly table = new PartitionTable();
  readonly connections: MemberConnections;
  private readonly ids = new RequestIds();
  private readonly refresher: MapRefresher;
  private readonly delays: Delays;
  private readonly retries: RetryPolicy;
  /** Caches found missing from the map, with the table generation they were looked up in. */
  private readonly lookedUp = new Map<string, number>();
  private closed = false;

  constructor(options: RouterOptions) {
    const clientId = newClientId();
    const open = (endpoints: readonly string[]): Connection => {
      const connection: Connection = new Connection({
        ...options,
        endpoints,
        ids: this.ids,
        clientId,
        failQueuedOnDisconnect: true,
        onMapEpoch: (epoch) => this.refresher.noteEpoch(epoch, connection),
      });
      return connection;
    };
    this.connections = new MemberConnections(open(options.endpoints), (address) => open([address]));
    this.refresher = new MapRefresher(this.table, this.connections);
    this.delays = new Delays(options.clock);
    this.retries = new RetryPolicy({
      clock: options.clock,
      delays: this.delays,
      requestTimeoutMs: options.requestTimeoutMs,
      refresh: () => this.refresher.refresh(),
      isClosed: () => this.closed,
    });
  }

  /** The connection to the first endpoint that answered. */
  get home(): Connection {
    return this.connections.home;
  }

  /** Fetches the map (after connect, or a change this client made: createCache, destroyCache); never rejects. */
  refreshMap(): Promise<void> {
    return this.refresher.refreshAfterChange();
  }

  /** Sends one request to `destination`, retrying under a fresh map until the call's deadline. */
  async send(destination: Destination, opcode: Opcode, args: readonly unknown[]): Promise<unknown> {
    const call = this.retries.begin();
    const id = this.ids.next();
    let backoff: RetryBackoff | undefined;
    for (;;) {
      try {
        // No await before the request while the map routes the cache: requests of one tick share a frame.
        let placement = this.place(destination);
        if (placement.kind === 'unrouted' && destination.kind !== 'home' && this.needsLookUp(destination.cache)) {
          await this.lookUp(destination.cache);
          placement = this.place(destination);
        }
        const connection = this.connectionFor(placement, destination.kind === 'home' ? '' : destination.cache);
        return await connection.request(opcode, args, 1, { id, deadline: call.deadline });
      } catch (err) {
        backoff = await call.afterFailure(err, backoff);
      }
    }
  }

  /**
   * Sends one request to every member (each counts or clears the partitions it
   * is primary of) and resolves with their results. On a retryable failure
   * every member of the refreshed map is asked again, each member keeping its
   * request id. While a partition of the cache is lost it fails with
   * PARTITION_LOST (after retrying until the deadline), like any operation on it.
   */
  async everyMember(cache: string, opcode: Opcode, args: readonly unknown[]): Promise<unknown[]> {
    const call = this.retries.begin();
    const ids = new Map<Connection, number>();
    const idFor = (connection: Connection): number => ids.get(connection) ?? ids.set(connection, this.ids.next()).get(connection)!;
    let backoff: RetryBackoff | undefined;
    for (;;) {
      try {
        if (!this.table.knows(cache)) await this.ensureRouted(cache);
        // A lost partition fails the whole count (never a silent undercount) until the map changes.
        const lost = this.table.lostPartition(cache);
        if (lost !== undefined) throw partitionLost(cache, lost);
        const targets = this.table.knows(cache) ? this.memberConnections() : [this.connections.home];
        return await settleAll(targets.map((c) => c.request(opcode, args, 1, { id: idFor(c), deadline: call.deadline })));
      } catch (err) {
        backoff = await call.afterFailure(err, backoff);
      }
    }
  }

  /** Starts the retry state of one call (multi-key operations drive their own rounds). */
  beginCall(): CallRetries {
    return this.retries.begin();
  }

  /** A request id no other request of this client has. */
  nextId(): number {
    return this.ids.next();
  }

  /** Looks `cache` up in a fresh map once, when the map held does not route it; resolves at once otherwise. */
  async ensureRouted(cache: string): Promise<void> {
    if (!this.table.knows(cache) && this.needsLookUp(cache)) await this.lookUp(cache);
  }

  /** The connection for a placement; throws PARTITION_LOST (retryable) for a lost partition. */
  connectionFor(placement: Placement, cache: string): Connection {
    switch (placement.kind) {
      case 'member':
        return this.connections.forAddress(placement.address);
      case 'unrouted':
        return this.connections.home;
      case 'lost':
        throw partitionLost(cache, placement.partition);
    }
  }

  /** Closes every connection and stops every retry: what is pending fails with CONNECTION_CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const reason = new ConnectionClosedError('the client was closed');
    this.delays.close(reason);
    this.connections.close(reason);
  }

  private place(destination: Destination): Placement {
    switch (destination.kind) {
      case 'key':
        return this.table.primaryFor(destination.cache, destination.keyBytes);
      case 'partition':
        return this.table.primaryOfPartition(destination.cache, destination.partition);
      case 'home':
        return { kind: 'unrouted' };
    }
  }

  private needsLookUp(cache: string): boolean {
    return this.lookedUp.get(cache) !== this.table.generation;
  }

  /** Refreshes once for a cache the map does not name; until the map changes again, it goes home without asking. */
  private async lookUp(cache: string): Promise<void> {
    await this.refresher.refresh();
    this.lookedUp.set(cache, this.table.generation);
  }

  private memberConnections(): Connection[] {
    return [...new Set(this.table.memberAddresses().map((address) => this.connections.forAddress(address)))];
  }
}

/** The error of an operation on a partition whose every copy is gone (retryable: the map may change). */
export function partitionLost(cache: string, partition: number): PartitionLostError {
  return new PartitionLostError(`partition ${partition} of cache '${cache}' has lost every copy`);
}

/**
 * Waits for every request (so none is still pending when the call retries
 * with the same ids), then resolves with the results or rejects with the
 * failure that decides: one that ends the call (not retryable, or the
 * deadline) before one that is retried.
 */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failure = decisiveFailure(outcomes);
  if (failure !== undefined) throw failure.error;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}

/** The failure among `outcomes` that decides what happens next, or undefined when all succeeded. */
export function decisiveFailure(outcomes: readonly PromiseSettledResult<unknown>[]): { readonly error: unknown } | undefined {
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  if (failures.length === 0) return undefined;
  return { error: failures.find((e) => !(e instanceof ShoalError) || !e.retryable || e.code === ErrorCode.Timeout) ?? failures[0] };
}
