import { ATOMIC_LONGS_CACHE } from '@shoal/client/protocol';
import { describe, expect, it } from 'vitest';
import type { ClusterCommand } from '../../src/cluster/cluster-commands.js';
import { ClusterState } from '../../src/cluster/cluster-state.js';
import { planRebalance } from '../../src/cluster/rebalance-plan.js';
import { placePartitions } from '../../src/cluster/placement.js';

type Command = ClusterCommand extends infer C ? (C extends unknown ? Omit<C, 'proposalId'> : never) : never;

/** A state fed commands at increasing log indexes, as the Raft log would. */
function machine(partitions = 64) {
  const state = new ClusterState(partitions);
  let index = 0;
  const apply = (command: Command) => state.apply({ ...command, proposalId: `p${++index}` } as ClusterCommand, index);
  return { state, apply };
}

const definition = (name: string, backups = 1, mode: 'partitioned' | 'replicated' = 'partitioned') => ({ name, mode, backups, partitions: 64, writeSync: 'full' as const });

/** Runs the leader's rebalancing to its end: every copy it asks for finishes at once. */
function rebalanceFully(m: ReturnType<typeof machine>): number {
  let rounds = 0;
  for (;;) {
    const changes = planRebalance(m.state, { maxSyncing: 1_000_000, maxChanges: 1_000_000 });
    if (changes.length === 0) return rounds;
    m.apply({ kind: 'assign', changes });
    for (const [cache, layout] of m.state.caches) {
      layout.assignments.forEach((assignment, partition) => {
        const copies = assignment.syncing.map((node) => ({ cache, partition, node, tenure: assignment.tenure }));
        if (copies.length > 0) m.apply({ kind: 'synced', copies });
      });
    }
    if (++rounds > 10) throw new Error('rebalancing does not converge');
  }
}

describe('ClusterState', () => {
  it('places the internal caches on the founder and new caches on the ring', () => {
    const m = machine();
    m.apply({ kind: 'add-member', id: 'a', address: 'a:1' });
    expect(m.state.assignment(ATOMIC_LONGS_CACHE, 0)!.owners).toEqual(['a']);
    m.apply({ kind: 'add-member', id: 'b', address: 'b:1' });
    const { outcome } = m.apply({ kind: 'create-cache', definition: definition('c') });
    expect(outcome).toEqual({ kind: 'ok', result: true });
    const expected = placePartitions(['a', 'b'], 64, 1);
    expect(m.state.caches.get('c')!.assignments.map((a) => a.owners)).toEqual(expected.map((p) => [p.primary, ...p.backups]));
  });

  it('answers a second create with the same definition false and another definition with a conflict', () => {
    const m = machine();
    m.apply({ kind: 'add-member', id: 'a', address: 'a:1' });
    m.apply({ kind: 'create-cache', definition: definition('c') });
    expect(m.apply({ kind: 'create-cache', definition: definition('c') }).outcome).toEqual({ kind: 'ok', result: false });
    const conflict = m.apply({ kind: 'create-cache', definition: definition('c', 2) }).outcome;
    expect(conflict.kind === 'error' && (conflict.error as { code?: string }).code).toBe('CACHE_CONFIG_CONFLICT');
  });

  it('promotes a backup in a new tenure and a new epoch when a primary is removed', () => {
    const m = machine();
    for (const id of ['a', 'b', 'c']) m.apply({ kind: 'add-member', id, address: `${id}:1` });
    m.apply({ kind: 'create-cache', definition: definition('x') });
    const before = m.state.caches.get('x')!.assignments.map((a) => ({ ...a }));
    const epoch = m.state.epoch;
    const { deltas } = m.apply({ kind: 'remove-member', id: 'a' });
    expect(m.state.epoch).toBe(epoch + 1);
    before.forEach((assignment, partition) => {
      const after = m.state.assignment('x', partition)!;
      expect(after.owners).not.toContain('a');
      if (assignment.owners[0] === 'a') {
        expect(after.owners[0]).toBe(assignment.owners[1]);
        expect(after.tenure).toBeGreaterThan(assignment.tenure);
      } else expect(after.tenure).toBe(assignment.tenure);
    });
    expect(deltas.length).toBeGreaterThan(0);
  });

  it('marks a partition lost when its last copy goes, and reset-lost starts it over empty', () => {
    const m = machine();
    for (const id of ['a', 'b']) m.apply({ kind: 'add-member', id, address: `${id}:1` });
    m.apply({ kind: 'create-cache', definition: definition('solo', 0) });
    const ledByA = m.state.caches.get('solo')!.assignments.findIndex((a) => a.owners[0] === 'a');
    m.apply({ kind: 'remove-member', id: 'a' });
    expect(m.state.assignment('solo', ledByA)!.owners).toEqual([]);
    expect(planRebalance(m.state, { maxSyncing: 100, maxChanges: 100 }).some((c) => c.partition === ledByA)).toBe(false);
    m.apply({ kind: 'reset-lost', cache: 'solo' });
    expect(m.state.assignment('solo', ledByA)!.owners).toEqual(['b']);
  });

  it('refuses an assignment whose new primary is not an in-sync copy', () => {
    const m = machine();
    for (const id of ['a', 'b', 'c']) m.apply({ kind: 'add-member', id, address: `${id}:1` });
    m.apply({ kind: 'create-cache', definition: definition('x', 0) });
    const current = m.state.assignment('x', 0)!;
    const outsider = ['a', 'b', 'c'].find((id) => !current.owners.includes(id))!;
    m.apply({ kind: 'assign', changes: [{ cache: 'x', partition: 0, owners: [outsider], syncing: [] }] });
    expect(m.state.assignment('x', 0)).toEqual(current);
  });
});

describe('planRebalance', () => {
  it('fills new copies before they own anything, then reaches the placement', () => {
    const m = machine();
    for (const id of ['a', 'b']) m.apply({ kind: 'add-member', id, address: `${id}:1` });
    m.apply({ kind: 'create-cache', definition: definition('x') });
    m.apply({ kind: 'add-member', id: 'c', address: 'c:1' });
    const first = planRebalance(m.state, { maxSyncing: 1_000, maxChanges: 1_000 });
    // Late assignment: the first step only adds filling copies; no owner changes yet.
    for (const change of first) expect(change.owners).toEqual(m.state.assignment(change.cache, change.partition)!.owners);
    expect(first.filter((change) => change.cache === 'x').every((change) => change.syncing.includes('c'))).toBe(true);
    rebalanceFully(m);
    const target = placePartitions(['a', 'b', 'c'], 64, 1);
    expect(m.state.caches.get('x')!.assignments.map((a) => a.owners)).toEqual(target.map((p) => [p.primary, ...p.backups]));
  });

  it('keeps at most maxSyncing copies filling at once', () => {
    const m = machine();
    m.apply({ kind: 'add-member', id: 'a', address: 'a:1' });
    m.apply({ kind: 'create-cache', definition: definition('x') });
    m.apply({ kind: 'add-member', id: 'b', address: 'b:1' });
    const changes = planRebalance(m.state, { maxSyncing: 5, maxChanges: 1_000 });
    expect(changes.reduce((n, change) => n + change.syncing.length, 0)).toBe(5);
  });

  it('puts a replicated cache on every member', () => {
    const m = machine();
    for (const id of ['a', 'b']) m.apply({ kind: 'add-member', id, address: `${id}:1` });
    m.apply({ kind: 'create-cache', definition: definition('r', 0, 'replicated') });
    m.apply({ kind: 'add-member', id: 'c', address: 'c:1' });
    rebalanceFully(m);
    for (const assignment of m.state.caches.get('r')!.assignments) expect([...assignment.owners].sort()).toEqual(['a', 'b', 'c']);
  });
});
