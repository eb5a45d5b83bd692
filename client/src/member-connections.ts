import type { Connection } from './connection.js';
import { ConnectionClosedError } from './protocol/errors.js';

/** Opens a connection to one member address. */
export type OpenConnection = (address: string) => Connection;

/**
 * The connections of one client: the home connection (to the first endpoint
 * that answered, reconnecting across all the endpoints given) and one
 * connection per other member address, opened on first use. The member whose
 * node id is the home connection's node is reached through home, so a
 * standalone node sees one connection.
 */
export class MemberConnections {
  private readonly byAddress = new Map<string, Connection>();
  private homeAddress: string | undefined;
  private closed = false;

  constructor(
    readonly home: Connection,
    private readonly open: OpenConnection,
  ) {}

  /** The connection to the member at `address`, opened on first use. */
  forAddress(address: string): Connection {
    if (address === this.homeAddress || this.closed) return this.home;
    let connection = this.byAddress.get(address);
    if (connection === undefined) {
      connection = this.open(address);
      this.byAddress.set(address, connection);
    }
    return connection;
  }

  /** Where to ask for the map: home when it is connected, else any connected member, else home. */
  forControl(): Connection {
    if (this.home.nodeId !== undefined) return this.home;
    for (const connection of this.byAddress.values()) if (connection.nodeId !== undefined) return connection;
    return this.home;
  }

  /**
   * Follows a newly installed map: learns which member home is, and closes the
   * connections to members that left (what was in flight there fails with
   * CONNECTION_CLOSED and is retried under the new map).
   */
  sync(members: readonly (readonly [id: string, address: string])[]): void {
    const homeId = this.home.nodeId;
    const homeMember = homeId === undefined ? undefined : members.find(([id]) => id === homeId);
    if (homeMember !== undefined) this.homeAddress = homeMember[1];
    const addresses = new Set(members.map(([, address]) => address));
    for (const [address, connection] of this.byAddress) {
      if (addresses.has(address) && address !== this.homeAddress) continue;
      this.byAddress.delete(address);
      connection.close(new ConnectionClosedError(`member ${address} is no longer in the partition map`));
    }
  }

  /** Every connection open now, home first. */
  all(): Connection[] {
    return [this.home, ...this.byAddress.values()];
  }

  /** Closes every connection: what is pending fails with `reason`. */
  close(reason: ConnectionClosedError): void {
    this.closed = true;
    for (const connection of this.all()) connection.close(reason);
    this.byAddress.clear();
  }
}
