/**
 * Where one partition of one cache lives. `tenure` is the control-plane log
 * index of the command that made `owners[0]` primary: a replica refuses
 * replication from any lower tenure, which fences a primary that lost its role.
 */
export interface PartitionAssignment {
  readonly owners: readonly string[];
  readonly syncing: readonly string[];
  readonly tenure: number;
}

/** A partition with no copy left: its operations fail with PARTITION_LOST until an operator resets it. */
export function isLost(assignment: PartitionAssignment): boolean {
  return assignment.owners.length === 0;
}

export function primaryOf(assignment: PartitionAssignment): string | undefined {
  return assignment.owners[0];
}

/** Every node that must apply the partition's writes, the primary excepted. */
export function replicaTargets(assignment: PartitionAssignment): string[] {
  return [...assignment.owners.slice(1), ...assignment.syncing];
}
