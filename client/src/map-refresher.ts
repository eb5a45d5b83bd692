import type { Connection } from './connection.js';
import type { MemberConnections } from './member-connections.js';
import type { PartitionTable } from './partition-table.js';
import { Opcode } from './protocol/opcodes.js';
import { partitionMapFromWire } from './protocol/partition-map.js';

/**
 * Keeps the partition table fresh: at most one `PartitionMap` request in
 * flight, whoever asks (a response frame with a newer epoch, a retryable
 * error, a cache the map does not name, createCache). A failed refresh is
 * simply over: whoever needs the map asks again.
 */
export class MapRefresher {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly table: PartitionTable,
    private readonly connections: MemberConnections,
  ) {}

  /** A node answered under `epoch`: refresh (from that node, which has the map) when it is newer than the table's. */
  noteEpoch(epoch: number, from: Connection): void {
    if (epoch > this.table.epoch) void this.refresh(from);
  }

  /** Refreshes the map, joining the refresh in flight if there is one; never rejects. */
  refresh(via?: Connection): Promise<void> {
    this.inFlight ??= this.fetch(via ?? this.connections.forControl()).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * A refresh that starts from now on, for a change this client just made
   * (createCache): one in flight may have been answered before the change, so
   * this joins one refresh queued behind it.
   */
  refreshAfterChange(): Promise<void> {
    if (this.inFlight === undefined) return this.refresh();
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  private async fetch(via: Connection): Promise<void> {
    try {
      const map = partitionMapFromWire(await via.request(Opcode.PartitionMap, []));
      if (this.table.install(map)) this.connections.sync(map.members);
    } catch {
      // Unreachable, closed, or a node without a map: the caller retries or routes home.
    }
  }
}
