import { ATOMIC_LONGS_CACHE, CacheConfigConflictError, CacheNotFoundError, DEFAULT_PARTITION_COUNT, SqlError } from '@shoal/client/protocol';
import { type CacheDefinition, sameDefinition } from '../storage/cache-definition.js';
import { addIndex, dropIndex } from '../storage/table-definition.js';
import { ATOMIC_LONG_BACKUPS } from '../storage/cache-registry.js';
import type { AssignmentChange, ClusterCommand } from './cluster-commands.js';
import { isLost, type PartitionAssignment } from './partition-assignment.js';
import { placePartitions } from './placement.js';

export interface Member {
  readonly id: string;
  readonly address: string;
}

export interface CacheLayout {
  readonly definition: CacheDefinition;
  readonly assignments: PartitionAssignment[];
}

/** One partition whose assignment an applied command replaced. */
export interface AssignmentDelta {
  readonly cache: string;
  readonly partition: number;
  readonly before: PartitionAssignment | undefined;
  readonly after: PartitionAssignment | undefined;
}

export type ApplyOutcome = { readonly kind: 'ok'; readonly result: unknown } | { readonly kind: 'error'; readonly error: Error };

/** Copies a cache wants: its primary and backups, or every member when replicated. */
export function copiesOf(definition: CacheDefinition, memberCount: number): number {
  return definition.mode === 'replicated' ? memberCount : definition.backups + 1;
}

/**
 * The control plane's state machine: members, cache definitions and where
 * every partition lives. Every node applies the same committed commands in
 * the same order, so every node computes the same state; nothing here reads a
 * clock or randomness.
 */
export class ClusterState {
  readonly members = new Map<string, Member>();
  readonly caches = new Map<string, CacheLayout>();
  /** Raised whenever a primary changes or a partition is lost: what clients route by. */
  epoch = 0;
  private deltas: AssignmentDelta[] = [];

  constructor(internalPartitions = DEFAULT_PARTITION_COUNT) {
    const definition: CacheDefinition = { name: ATOMIC_LONGS_CACHE, mode: 'partitioned', backups: ATOMIC_LONG_BACKUPS, partitions: internalPartitions, writeSync: 'full' };
    this.caches.set(ATOMIC_LONGS_CACHE, { definition, assignments: [] });
  }

  /** Applies one committed command at log `index`; returns its outcome and the partitions it moved. */
  apply(command: ClusterCommand, index: number): { outcome: ApplyOutcome; deltas: AssignmentDelta[] } {
    this.deltas = [];
    let outcome: ApplyOutcome;
    try {
      outcome = { kind: 'ok', result: this.run(command, index) };
    } catch (error) {
      outcome = { kind: 'error', error: error as Error };
    }
    const deltas = this.deltas;
    this.deltas = [];
    return { outcome, deltas };
  }

  /** Members in a stable order: the order placement uses. */
  memberIds(): string[] {
    return [...this.members.keys()].sort();
  }

  assignment(cache: string, partition: number): PartitionAssignment | undefined {
    return this.caches.get(cache)?.assignments[partition];
  }

  private run(command: ClusterCommand, index: number): unknown {
    switch (command.kind) {
      case 'add-member':
        return this.addMember(command.id, command.address, index);
      case 'remove-member':
        return this.removeMember(command.id, index);
      case 'create-cache':
        return this.createCache(command.definition, index);
      case 'destroy-cache':
        return this.destroyCache(command.name);
      case 'assign':
        return this.assign(command.changes, index);
      case 'synced':
        return command.copies.filter((copy) => this.synced(copy.cache, copy.partition, copy.node, copy.tenure)).length;
      case 'reset-lost':
        return this.resetLost(command.cache, index);
      case 'add-index':
        return this.redefine(command.cache, addIndex(this.requireTable(command.cache), command.index, this.indexOwner(command.index.name)));
      case 'drop-index': {
        const owner = this.indexOwner(command.name);
        return owner !== undefined && this.redefine(owner.definition.name, dropIndex(owner.definition, command.name));
      }
    }
  }

  private addMember(id: string, address: string, index: number): boolean {
    if (this.members.has(id)) return false;
    this.members.set(id, { id, address });
    // The founder: caches that existed before any member (the internal ones) are placed on it.
    if (this.members.size === 1) for (const layout of this.caches.values()) if (layout.assignments.length === 0) this.place(layout, index);
    return true;
  }

  /** A lost member: its copies are dropped, a backup takes over each partition it led, a partition with no copy left is lost. */
  private removeMember(id: string, index: number): boolean {
    if (!this.members.delete(id)) return false;
    let primaryChanged = false;
    for (const [name, layout] of this.caches) {
      layout.assignments.forEach((assignment, partition) => {
        if (!assignment.owners.includes(id) && !assignment.syncing.includes(id)) return;
        const owners = assignment.owners.filter((node) => node !== id);
        const syncing = assignment.syncing.filter((node) => node !== id);
        const promoted = owners[0] !== assignment.owners[0];
        if (promoted) primaryChanged = true;
        this.replace(name, layout, partition, { owners, syncing, tenure: promoted ? index : assignment.tenure });
      });
    }
    if (primaryChanged) this.epoch++;
    return true;
  }

  private createCache(definition: CacheDefinition, index: number): boolean {
    const existing = this.caches.get(definition.name);
    if (existing) {
      if (sameDefinition(existing.definition, definition)) return false;
      throw new CacheConfigConflictError(`cache '${definition.name}' exists with ${JSON.stringify(existing.definition)}`);
    }
    const layout: CacheLayout = { definition, assignments: [] };
    this.caches.set(definition.name, layout);
    this.place(layout, index);
    return true;
  }

  private requireTable(cache: string): CacheDefinition {
    const definition = this.caches.get(cache)?.definition;
    if (definition?.table === undefined) throw new SqlError(`relation "${cache}" does not exist`);
    return definition;
  }

  /** The cache whose table has an index of this name (index names are one namespace, as in PostgreSQL). */
  private indexOwner(name: string): CacheLayout | undefined {
    for (const layout of this.caches.values()) if (layout.definition.table?.indexes.some((index) => index.name === name)) return layout;
    return undefined;
  }

  /** Replaces a cache's definition (an index added or dropped); false when it did not change. */
  private redefine(cache: string, definition: CacheDefinition | undefined): boolean {
    const layout = this.caches.get(cache);
    if (layout === undefined || definition === undefined) return false;
    this.caches.set(cache, { definition, assignments: layout.assignments });
    return true;
  }

  private destroyCache(name: string): boolean {
    const layout = this.caches.get(name);
    if (!layout) return false;
    this.caches.delete(name);
    layout.assignments.forEach((before, partition) => this.deltas.push({ cache: name, partition, before, after: undefined }));
    this.epoch++;
    return true;
  }

  private assign(changes: readonly AssignmentChange[], index: number): number {
    let applied = 0;
    let primaryChanged = false;
    for (const change of changes) {
      const layout = this.caches.get(change.cache);
      const before = layout?.assignments[change.partition];
      if (!layout || !before || isLost(before)) continue;
      // Only members may hold copies, and a new primary must already be an in-sync copy.
      const owners = change.owners.filter((node) => this.members.has(node));
      const syncing = change.syncing.filter((node) => this.members.has(node) && !owners.includes(node));
      if (owners.length === 0 || (owners[0] !== before.owners[0] && !before.owners.includes(owners[0]!))) continue;
      const promoted = owners[0] !== before.owners[0];
      if (promoted) primaryChanged = true;
      this.replace(change.cache, layout, change.partition, { owners, syncing, tenure: promoted ? index : before.tenure });
      applied++;
    }
    if (primaryChanged) this.epoch++;
    return applied;
  }

  /** A copy finished filling under the primary of `tenure`: it becomes an owner, eligible for promotion. */
  private synced(cache: string, partition: number, node: string, tenure: number): boolean {
    const layout = this.caches.get(cache);
    const before = layout?.assignments[partition];
    if (!layout || !before || before.tenure !== tenure || !before.syncing.includes(node)) return false;
    this.replace(cache, layout, partition, {
      owners: [...before.owners, node],
      syncing: before.syncing.filter((n) => n !== node),
      tenure,
    });
    return true;
  }

  /** An operator accepts the loss: lost partitions start over, empty, on their placed members. */
  private resetLost(cache: string, index: number): number {
    const layout = this.caches.get(cache);
    if (!layout) throw new CacheNotFoundError(`cache '${cache}' does not exist`);
    const placements = placePartitions(this.memberIds(), layout.definition.partitions, copiesOf(layout.definition, this.members.size) - 1);
    let reset = 0;
    layout.assignments.forEach((assignment, partition) => {
      if (!isLost(assignment)) return;
      const placement = placements[partition]!;
      this.replace(cache, layout, partition, { owners: [placement.primary, ...placement.backups], syncing: [], tenure: index });
      reset++;
    });
    if (reset > 0) this.epoch++;
    return reset;
  }

  private place(layout: CacheLayout, index: number): void {
    const { definition } = layout;
    const members = this.memberIds();
    if (members.length === 0) return;
    const placements = placePartitions(members, definition.partitions, copiesOf(definition, members.length) - 1);
    placements.forEach((placement, partition) => {
      this.replace(definition.name, layout, partition, { owners: [placement.primary, ...placement.backups], syncing: [], tenure: index });
    });
    this.epoch++;
  }

  private replace(cache: string, layout: CacheLayout, partition: number, after: PartitionAssignment): void {
    const before = layout.assignments[partition];
    layout.assignments[partition] = after;
    this.deltas.push({ cache, partition, before, after });
  }
}
