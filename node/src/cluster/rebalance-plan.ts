import type { AssignmentChange } from './cluster-commands.js';
import { type ClusterState, copiesOf } from './cluster-state.js';
import { isLost, type PartitionAssignment } from './partition-assignment.js';
import { placePartitions } from './placement.js';

export interface RebalanceLimits {
  /** Partitions being filled at once, cluster-wide: bounds the copy traffic so serving never stalls. */
  readonly maxSyncing: number;
  /** Changes in one control-plane command. */
  readonly maxChanges: number;
}

/**
 * The next step from where partitions are towards where placement wants them,
 * by late assignment: a copy the target adds first fills while taking live
 * writes (`syncing`); only once every target copy is an in-sync owner does a
 * partition switch to the target's order (a new primary among them) and drop
 * the copies it no longer wants. Pure: the leader proposes what this returns.
 */
export function planRebalance(state: ClusterState, limits: RebalanceLimits): AssignmentChange[] {
  const members = state.memberIds();
  if (members.length === 0) return [];
  let syncing = countSyncing(state);
  const changes: AssignmentChange[] = [];
  for (const [name, layout] of state.caches) {
    const { definition, assignments } = layout;
    if (assignments.length === 0) continue;
    const placements = placePartitions(members, definition.partitions, copiesOf(definition, members.length) - 1);
    for (let partition = 0; partition < assignments.length && changes.length < limits.maxChanges; partition++) {
      const current = assignments[partition]!;
      const placement = placements[partition]!;
      const target = [placement.primary, ...placement.backups];
      const next = stepTowards(current, target, syncing < limits.maxSyncing);
      if (next === undefined) continue;
      syncing += next.syncing.length - current.syncing.length;
      changes.push({ cache: name, partition, ...next });
    }
  }
  return changes;
}

function stepTowards(current: PartitionAssignment, target: readonly string[], maySync: boolean): Pick<AssignmentChange, 'owners' | 'syncing'> | undefined {
  if (isLost(current)) return undefined;
  const wanted = current.syncing.filter((node) => target.includes(node));
  const missing = target.filter((node) => !current.owners.includes(node) && !wanted.includes(node));
  if (missing.length > 0) {
    if (!maySync && wanted.length === current.syncing.length) return undefined;
    return { owners: current.owners, syncing: maySync ? [...wanted, ...missing] : wanted };
  }
  if (wanted.length > 0) {
    // Still filling: only forget copies the target no longer wants.
    return wanted.length === current.syncing.length ? undefined : { owners: current.owners, syncing: wanted };
  }
  if (sameOrder(current.owners, target) && current.syncing.length === 0) return undefined;
  return { owners: target, syncing: [] };
}

function countSyncing(state: ClusterState): number {
  let count = 0;
  for (const layout of state.caches.values()) for (const assignment of layout.assignments) count += assignment.syncing.length;
  return count;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}
