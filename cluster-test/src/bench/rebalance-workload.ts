import { Shoal, type Cache } from '@shoal/client';
import { encodeKey, partitionOf } from '@shoal/client/protocol';
import type { LocalCluster } from '../harness/index.js';
import { loadInBatches } from './batch-loader.js';
import { log } from './bench-session.js';
import { type Rebalancing, entriesOf, fetchPartitionMap, highestTerm, primariesOf, rebalancingOf, statusesOf, waitForSettled } from './cluster-probe.js';
import { withLocalCluster } from './cluster-session.js';
import { valueFor } from './dataset.js';
import { withTimeout } from './with-timeout.js';

/** The rebalance scenario: 1,000,000 entries of 200 bytes in 2 nodes with backups 1, then a third node joins. */
export const REBALANCE = { nodes: 2, backups: 1, entries: 1_000_000, valueLength: 200, loadBatch: 1_000, loadInFlight: 8, sampleKeys: 1_000, attempts: 3 } as const;

const CACHE = 'rebalance';

export interface RebalanceResult {
  readonly entries: number;
  /** Loading the entries into the two nodes, for scale. */
  readonly loadSeconds: number;
  /** `addNode()` called → the cluster settled with the new node in it. */
  readonly seconds: number;
  /** Sum over the nodes of the growth of `rebalancing.bytesReceived` (key and value bytes copied). */
  readonly bytesMoved: number;
  readonly bytesSent: number;
  /** Of `bytesMoved`, what the new node received: the rest went to nodes that already held data. */
  readonly newNodeBytes: number;
  /** Copies begun and finished over all nodes (a copy begun again after a stall counts twice). */
  readonly copiesStarted: number;
  readonly copiesCompleted: number;
  readonly newNodeEntries: number;
  /** Entries held over all nodes, primary and backup copies: 2 × entries when nothing is lost or left behind. */
  readonly copiesHeld: number;
  readonly sampled: number;
  readonly sampleMismatches: number;
  /** Of the sampled keys, those whose primary is now the new node. */
  readonly sampledOnNewNode: number;
  /** Control-plane elections (growth of the Raft term) while loading, and from addNode() until settled. */
  readonly electionsDuringLoad: number;
  readonly electionsDuringRebalance: number;
  /** Why the attempts before this one failed, each on a fresh cluster (reported, never hidden). */
  readonly failedAttempts: readonly string[];
}

/**
 * Loads the entries, adds a node, times the rebalance and reads a sample back
 * (fewer `entries` only to try the bench out). A failed attempt is noted and
 * tried again on a fresh cluster, up to `attempts` in all: on a starved
 * machine a node can be declared dead mid-copy, and the report should still
 * say how fast a rebalance that completes is, next to how often one did not.
 */
export async function measureRebalance(entries: number = REBALANCE.entries): Promise<RebalanceResult> {
  const failedAttempts: string[] = [];
  for (let attempt = 1; attempt <= REBALANCE.attempts; attempt++) {
    try {
      return { ...(await rebalanceOnce(entries)), failedAttempts };
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
      failedAttempts.push(reason);
      log(`rebalance attempt ${attempt}/${REBALANCE.attempts} failed:\n${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`every one of ${REBALANCE.attempts} rebalance attempts failed: ${failedAttempts.join(' | ')}`);
}

async function rebalanceOnce(entries: number): Promise<Omit<RebalanceResult, 'failedAttempts'>> {
  return withLocalCluster(REBALANCE.nodes, async (cluster) => {
    const grid = await Shoal.connect({ endpoints: cluster.endpoints(), clientName: 'shoal-bench-rebalance', requestTimeoutMs: 30_000 });
    try {
      await grid.createCache(CACHE, { backups: REBALANCE.backups });
      await waitForSettled(cluster, REBALANCE.nodes);
      const cache = grid.cache<string, string>(CACHE);
      const termBefore = await highestTerm(cluster);
      const loadSeconds = await load(cache, entries);
      const termLoaded = await highestTerm(cluster);
      log(`loaded ${entries.toLocaleString('en-US')} entries into ${REBALANCE.nodes} nodes in ${loadSeconds.toFixed(1)} s (${termLoaded - termBefore} election(s))`);
      const moved = await addNodeAndSettle(cluster);
      const electionsDuringRebalance = (await highestTerm(cluster)) - termLoaded;
      log(
        `rebalanced in ${moved.seconds.toFixed(1)} s: ${(moved.bytesMoved / 1e6).toFixed(1)} MB moved, ${(moved.newNodeBytes / 1e6).toFixed(1)} MB of it to ${moved.newNode}; ` +
          `${moved.copiesStarted} copies started, ${moved.copiesCompleted} completed; ${electionsDuringRebalance} election(s)`,
      );
      const sample = await checkSample(cache, cluster, moved.newNode, entries);
      return { entries, loadSeconds, ...moved, ...sample, electionsDuringLoad: termLoaded - termBefore, electionsDuringRebalance };
    } finally {
      await grid.close();
    }
  });
}

async function load(cache: Cache<string, string>, entries: number): Promise<number> {
  const started = performance.now();
  await withTimeout('load the rebalance entries', 900_000, () =>
    loadInBatches({
      total: entries,
      batchSize: REBALANCE.loadBatch,
      inFlight: REBALANCE.loadInFlight,
      makeBatch: (from, to) => Array.from({ length: to - from }, (_, k): [string, string] => [`r:${from + k}`, valueFor(from + k, REBALANCE.valueLength)]),
      write: (batch) => cache.putAll(batch),
    }),
  );
  return (performance.now() - started) / 1000;
}

type Moved = Pick<RebalanceResult, 'seconds' | 'bytesMoved' | 'bytesSent' | 'newNodeBytes' | 'copiesStarted' | 'copiesCompleted' | 'newNodeEntries' | 'copiesHeld'> & {
  readonly newNode: string;
};

/** Adds a node and waits until placement is reached; the counters are each node's growth (the new node starts at 0). */
async function addNodeAndSettle(cluster: LocalCluster): Promise<Moved> {
  const before = await statusesOf(cluster);
  const started = performance.now();
  const newNode = await cluster.addNode();
  const members = REBALANCE.nodes + 1;
  await cluster.waitForMembers(members, { timeoutMs: 60_000 });
  const settledAt = await waitForSettled(cluster, members, 600_000);
  const after = await statusesOf(cluster);
  const growth = (field: keyof Rebalancing, only?: string) => {
    let sum = 0;
    for (const [id, status] of after) {
      const was = before.get(id);
      if (only === undefined || id === only) sum += rebalancingOf(status)[field] - (was ? rebalancingOf(was)[field] : 0);
    }
    return sum;
  };
  return {
    newNode,
    seconds: (settledAt - started) / 1000,
    bytesMoved: growth('bytesReceived'),
    bytesSent: growth('bytesSent'),
    newNodeBytes: growth('bytesReceived', newNode),
    copiesStarted: growth('started'),
    copiesCompleted: growth('completed'),
    newNodeEntries: entriesOf(after.get(newNode)!, CACHE),
    copiesHeld: [...after.values()].reduce((sum, status) => sum + entriesOf(status, CACHE), 0),
  };
}

/** Reads random keys back through the SDK and compares each with what was loaded. */
async function checkSample(cache: Cache<string, string>, cluster: LocalCluster, newNode: string, entries: number) {
  const indexes = new Set<number>();
  while (indexes.size < Math.min(REBALANCE.sampleKeys, entries)) indexes.add(Math.floor(Math.random() * entries));
  const keys = [...indexes].map((i) => `r:${i}`);
  const found = await cache.getAll(keys);
  const sampleMismatches = [...indexes].filter((i) => found.get(`r:${i}`) !== valueFor(i, REBALANCE.valueLength)).length;
  const primaries = primariesOf(await fetchPartitionMap(cluster.node(newNode).address), CACHE);
  const sampledOnNewNode = keys.filter((key) => primaries[partitionOf(encodeKey(key), primaries.length)] === newNode).length;
  return { sampled: keys.length, sampleMismatches, sampledOnNewNode };
}
