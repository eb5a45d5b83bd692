import type { WireCacheRoute, WirePartitionMap } from './protocol/partition-map.js';
import { partitionOf } from './protocol/partitioning.js';

/** Where the table sends an operation on one partition, tagged by `kind`. */
export type Placement =
  /** The member at `address` is the partition's primary. */
  | { readonly kind: 'member'; readonly address: string }
  /** Every copy of the partition is gone (primary -1 in the map). */
  | { readonly kind: 'lost'; readonly partition: number }
  /** The map does not name this cache (or there is no map yet): the home connection answers. */
  | { readonly kind: 'unrouted' };

const UNROUTED: Placement = { kind: 'unrouted' };

/**
 * The client's copy of the partition map: which member is the primary of
 * each partition of each cache. Only a map at least as new as the one held
 * is installed, so a lagging node cannot move routing back in time.
 */
export class PartitionTable {
  private map: WirePartitionMap | undefined;
  private installs = 0;

  /** The epoch held; -1 before any map arrived. */
  get epoch(): number {
    return this.map?.epoch ?? -1;
  }

  /** Counts installed maps, so a caller can tell whether the table changed since it last looked. */
  get generation(): number {
    return this.installs;
  }

  /** `[nodeId, 'host:port']` of every member of the map held. */
  get members(): readonly (readonly [id: string, address: string])[] {
    return this.map?.members ?? [];
  }

  /** Installs `map` unless an older epoch than the one held; true if installed. */
  install(map: WirePartitionMap): boolean {
    if (this.map !== undefined && map.epoch < this.map.epoch) return false;
    this.map = map;
    this.installs++;
    return true;
  }

  /** True when the map routes `cache`. */
  knows(cache: string): boolean {
    return this.route(cache) !== undefined;
  }

  /** The primary of the partition `keyBytes` hash to. */
  primaryFor(cache: string, keyBytes: Uint8Array): Placement {
    const route = this.route(cache);
    if (route === undefined || route.primaries.length === 0) return UNROUTED;
    return this.placementOf(route, partitionOf(keyBytes, route.primaries.length));
  }

  /** The primary of partition `partition` (a scan cursor); unrouted when the map has no such partition. */
  primaryOfPartition(cache: string, partition: number): Placement {
    const route = this.route(cache);
    if (route === undefined || partition < 0 || partition >= route.primaries.length) return UNROUTED;
    return this.placementOf(route, partition);
  }

  /** A partition of `cache` that has lost every copy, if there is one. */
  lostPartition(cache: string): number | undefined {
    const index = this.route(cache)?.primaries.indexOf(-1) ?? -1;
    return index < 0 ? undefined : index;
  }

  /** The address of every member, in map order (each once). */
  memberAddresses(): string[] {
    return [...new Set(this.members.map(([, address]) => address))];
  }

  private route(cache: string): WireCacheRoute | undefined {
    const caches = this.map?.caches;
    return caches !== undefined && Object.hasOwn(caches, cache) ? caches[cache] : undefined;
  }

  private placementOf(route: WireCacheRoute, partition: number): Placement {
    const member = route.primaries[partition] ?? -1;
    const address = member < 0 ? undefined : this.map?.members[member]?.[1];
    return address === undefined ? { kind: 'lost', partition } : { kind: 'member', address };
  }
}
