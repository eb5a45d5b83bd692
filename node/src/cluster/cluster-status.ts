import type { WireCacheRoute, WirePartitionMap } from '@shoal/client/protocol';
import type { ClusterReadings } from '../metrics/node-metrics.js';
import type { ClusterNode } from './cluster-node.js';
import type { ClusterState } from './cluster-state.js';

/** The routing table clients hold: each partition's primary as an index into the members. */
export function partitionMapOf(state: ClusterState): WirePartitionMap {
  const members = [...state.members.values()];
  const index = new Map(members.map((member, i) => [member.id, i]));
  const caches: Record<string, WireCacheRoute> = {};
  for (const [name, layout] of state.caches) {
    caches[name] = {
      mode: layout.definition.mode,
      primaries: layout.assignments.map((assignment) => (assignment.owners[0] === undefined ? -1 : (index.get(assignment.owners[0]) ?? -1))),
    };
  }
  return { epoch: state.epoch, members: members.map((member) => [member.id, member.address] as const), caches };
}

/** The `cluster` part of `GET /status`. */
export function clusterStatus(node: ClusterNode): object {
  const raft = node.raft.status();
  const { state } = node;
  const partitions: Record<string, { primaries: number; backups: number; syncing: number }> = {};
  for (const id of state.members.keys()) partitions[id] = { primaries: 0, backups: 0, syncing: 0 };
  let syncing = 0;
  let lost = 0;
  for (const layout of state.caches.values()) {
    for (const assignment of layout.assignments) {
      if (assignment.owners.length === 0) lost++;
      assignment.owners.forEach((owner, i) => {
        const counts = partitions[owner];
        if (counts) i === 0 ? counts.primaries++ : counts.backups++;
      });
      for (const node of assignment.syncing) {
        syncing++;
        const counts = partitions[node];
        if (counts) counts.syncing++;
      }
    }
  }
  const { stats } = node.dataPlane;
  const held = [...node.dataPlane.primaries.values()].filter((primary) => primary.waiting > 0);
  return {
    nodeId: node.options.id,
    role: node.isMember ? raft.role : 'joining',
    leader: raft.leaderId ?? null,
    term: raft.term,
    epoch: state.epoch,
    commitIndex: raft.commitIndex,
    writeLease: node.hasWriteLease(),
    members: [...state.members.values()].map((member) => ({ id: member.id, address: member.address, voter: raft.configuration.voters.includes(member.id) })),
    partitions,
    lostPartitions: lost,
    heldWrites: {
      partitions: held.length,
      writes: held.reduce((n, primary) => n + primary.waiting, 0),
      sample: held.slice(0, 3).map((primary) => ({
        cache: primary.store.cacheName,
        partition: primary.store.index,
        seq: primary.seq,
        replicas: Object.fromEntries(primary.progress),
      })),
    },
    rebalancing: {
      syncing,
      copying: node.dataPlane.copying,
      completed: stats.copiesCompleted,
      started: stats.copiesStarted,
      bytesSent: stats.bytesSent,
      bytesReceived: stats.bytesReceived,
    },
  };
}

/** What `/metrics` reads of the cluster at scrape time. */
export function clusterReadings(node: ClusterNode): ClusterReadings {
  const { stats } = node.dataPlane;
  let heldWrites = 0;
  for (const primary of node.dataPlane.primaries.values()) heldWrites += primary.waiting;
  return {
    members: node.state.members.size,
    epoch: node.state.epoch,
    leader: node.raft.status().role === 'leader',
    copiesInProgress: node.dataPlane.copying,
    copiesCompleted: stats.copiesCompleted,
    bytesSent: stats.bytesSent,
    bytesReceived: stats.bytesReceived,
    heldWrites,
  };
}
