import HashRing from 'hashring';

/** Where one partition lives: its primary and its backups, all distinct members. */
export interface PartitionPlacement {
  readonly primary: string;
  readonly backups: readonly string[];
}

/** Virtual nodes per member: 40 is ketama's choice (160 points per member on the ring). */
const VNODES_PER_MEMBER = 40;

/**
 * Places `partitionCount` partitions on the members' consistent-hash ring:
 * `ring.range(partition, backups + 1)` gives the primary then the backups.
 * Partitions, not keys, sit on the ring, so a member joining or leaving moves
 * only the partitions whose ring segment changed: about 1/(N+1) of them.
 * With fewer members than copies, a partition gets every member.
 * @example placePartitions(['n1', 'n2', 'n3'], 1024, 1)[7] // { primary: 'n2', backups: ['n3'] }
 */
export function placePartitions(members: readonly string[], partitionCount: number, backups: number): readonly PartitionPlacement[] {
  if (members.length === 0) return [];
  const key = `${[...members].sort().join('\u0000')}|${partitionCount}|${backups}`;
  const cached = recentPlacements.get(key);
  if (cached) return cached;
  const placements = computePlacements(members, partitionCount, backups);
  // Placement is a pure function of its inputs, and the leader asks the same question again and again.
  if (recentPlacements.size >= PLACEMENT_CACHE_SIZE) recentPlacements.delete(recentPlacements.keys().next().value as string);
  recentPlacements.set(key, placements);
  return placements;
}

const PLACEMENT_CACHE_SIZE = 16;
const recentPlacements = new Map<string, PartitionPlacement[]>();

function computePlacements(members: readonly string[], partitionCount: number, backups: number): PartitionPlacement[] {
  const ring = new HashRing([...members].sort(), 'md5', { 'vnode count': VNODES_PER_MEMBER, 'max cache size': 0 });
  const copies = Math.min(backups + 1, members.length);
  const placements: PartitionPlacement[] = new Array(partitionCount);
  for (let partition = 0; partition < partitionCount; partition++) {
    const [primary, ...rest] = ring.range(`partition-${partition}`, copies, true) as string[];
    placements[partition] = { primary: primary!, backups: rest };
  }
  return placements;
}

/** The share of partitions whose primary differs between two placements. */
export function movedPrimaryShare(before: readonly PartitionPlacement[], after: readonly PartitionPlacement[]): number {
  let moved = 0;
  for (let i = 0; i < before.length; i++) if (before[i]?.primary !== after[i]?.primary) moved++;
  return before.length === 0 ? 0 : moved / before.length;
}
