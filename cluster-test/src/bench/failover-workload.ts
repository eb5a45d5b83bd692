import { Shoal } from '@shoal/client';
import { encodeKey, partitionOf } from '@shoal/client/protocol';
import type { LocalCluster } from '../harness/index.js';
import { log } from './bench-session.js';
import { fetchPartitionMap, primariesOf, waitForSettled } from './cluster-probe.js';
import { withLocalCluster } from './cluster-session.js';
import { FailoverWriters, type KillObservation } from './failover-writers.js';
import { sleep } from './with-timeout.js';

/** The failover scenario's shape: 3 nodes, backups 1, a few writers, at least five follower kills then one leader kill. */
export const FAILOVER = {
  nodes: 3,
  backups: 1,
  writers: 8,
  followerKills: 5,
  /** Writing before the kill, so the client holds the map and a connection to every member. */
  warmupMs: 1_500,
  /** Generous: the SDK's deadline covers all retries of a call, and a slow failover should be measured, not failed. */
  requestTimeoutMs: 15_000,
  observeTimeoutMs: 30_000,
  target: { p50Ms: 2_000 },
} as const;

const CACHE = 'failover';

export interface FailoverResult {
  readonly followerKills: readonly KillObservation[];
  readonly leaderKill: KillObservation;
}

/**
 * Kills a node that is not the control-plane leader with SIGKILL while
 * writers run, measures, adds a fresh node and waits for the cluster to
 * settle, `followerKills` times; then kills the leader once.
 */
export async function measureFailover(): Promise<FailoverResult> {
  return withLocalCluster(FAILOVER.nodes, async (cluster) => {
    const followerKills: KillObservation[] = [];
    for (let round = 1; round <= FAILOVER.followerKills; round++) {
      const { leader } = await cluster.waitForMembers(FAILOVER.nodes);
      const victim = cluster.ids().find((id) => id !== leader)!;
      followerKills.push(await killAndObserve(cluster, victim, leader, `follower kill ${round}/${FAILOVER.followerKills}`));
      const joined = await cluster.addNode();
      await cluster.waitForMembers(FAILOVER.nodes);
      await waitForSettled(cluster, FAILOVER.nodes);
      log(`${joined} joined in place of ${victim}; the cluster settled`);
    }
    const { leader } = await cluster.waitForMembers(FAILOVER.nodes);
    const leaderKill = await killAndObserve(cluster, leader, cluster.ids().find((id) => id !== leader)!, 'leader kill');
    return { followerKills, leaderKill };
  });
}

/** One kill under a fresh client: warm up the writers, note the victim's partitions, kill it, watch the writes. */
async function killAndObserve(cluster: LocalCluster, victim: string, survivor: string, step: string): Promise<KillObservation> {
  const grid = await Shoal.connect({ endpoints: cluster.endpoints(), clientName: 'shoal-bench-failover', requestTimeoutMs: FAILOVER.requestTimeoutMs });
  try {
    await grid.createCache(CACHE, { backups: FAILOVER.backups });
    await waitForSettled(cluster, FAILOVER.nodes);
    const partitions = primariesOf(await fetchPartitionMap(cluster.node(survivor).address), CACHE).length;
    const writers = new FailoverWriters(grid.cache<string, string>(CACHE), keyPerPartition(partitions), FAILOVER.writers);
    writers.start();
    try {
      await sleep(FAILOVER.warmupMs);
      // Read after the warm-up, right before the kill: the map the writes were routed by.
      const primaries = primariesOf(await fetchPartitionMap(cluster.node(survivor).address), CACHE);
      const owned = new Set(primaries.flatMap((owner, p) => (owner === victim ? [p] : [])));
      writers.markKill(victim, owned);
      await cluster.kill(victim);
      const seen = await writers.observe(FAILOVER.observeTimeoutMs);
      log(`${step}: ${victim} (primary of ${owned.size} of ${partitions} partitions) ${describeObservation(seen)}`);
      return seen;
    } finally {
      await writers.stop();
      if (writers.errorMessages.length > 0) log(`${step}: writers saw ${writers.errorMessages.length} error(s), e.g. ${writers.errorMessages[0]}`);
    }
  } finally {
    await grid.close();
  }
}

/** A key in each partition: the writers then cover every partition, and so every primary. */
function keyPerPartition(partitions: number): string[] {
  const keys: (string | undefined)[] = new Array(partitions);
  let found = 0;
  for (let i = 0; found < partitions; i++) {
    const key = `f:${i}`;
    const p = partitionOf(encodeKey(key), partitions);
    if (keys[p] === undefined) {
      keys[p] = key;
      found++;
    }
  }
  return keys as string[];
}

export function describeObservation(seen: KillObservation): string {
  const ms = (value: number | undefined) => (value === undefined ? `> ${FAILOVER.observeTimeoutMs / 1000} s` : `${Math.round(value)} ms`);
  return `kill → victim-key write ${ms(seen.victimKeyWriteMs)}, every writer ${ms(seen.allWritersMs)}; ${seen.errors} error(s)`;
}
