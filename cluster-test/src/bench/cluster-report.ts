import { type ClusterRunResult, type Outcome } from './cluster-run.js';
import { CLUSTER_BACKUPS, CLUSTER_NODES, type ClusterComparison } from './cluster-workloads.js';
import type { KillObservation } from './failover-writers.js';
import { FAILOVER, type FailoverResult } from './failover-workload.js';
import { REBALANCE, type RebalanceResult } from './rebalance-workload.js';
import { formatNumber, markdownGrid, textGrid } from './results-table.js';
import { median } from './run-workloads.js';

/** A table's header and rows as text cells, and how many trailing columns are target/verdict. */
interface Grid {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly centred: number;
  /** A sentence under the table. */
  readonly footnote?: string;
}

const MET = '✅ met';
const MISSED = '❌ missed';
const n = (x: number) => formatNumber(x);

function throughputGrid(comparisons: readonly ClusterComparison[]): Grid {
  return {
    title: `${CLUSTER_NODES}-node cluster throughput from one client (backups ${CLUSTER_BACKUPS}, writeSync full)`,
    header: ['metric', `${CLUSTER_NODES} nodes`, '1 node', `${CLUSTER_NODES} nodes/1 node`, 'target', 'verdict'],
    rows: comparisons.map((c) => [c.label, n(c.cluster), n(c.single), (c.cluster / c.single).toFixed(2), 'report only', '—']),
    centred: 2,
  };
}

type Measure = keyof Pick<KillObservation, 'victimKeyWriteMs' | 'allWritersMs'>;
const MEASURES: readonly { readonly key: Measure; readonly label: string }[] = [
  { key: 'victimKeyWriteMs', label: 'first successful write to a key the victim was primary of' },
  { key: 'allWritersMs', label: `every one of ${FAILOVER.writers} writers completed a write issued after the kill` },
];

/** Not seen within the observation window counts as that window, and reads as "> N". */
const msOf = (value: number | undefined) => value ?? Number.POSITIVE_INFINITY;
const showMs = (value: number) => (Number.isFinite(value) ? n(Math.round(value)) : `> ${n(FAILOVER.observeTimeoutMs)}`);

/** p50 of the first measure over the follower kills: the failover target. */
export function failoverP50(result: FailoverResult): number {
  return median(result.followerKills.map((k) => msOf(k.victimKeyWriteMs)));
}

function failoverGrid(result: FailoverResult): Grid {
  const kills = result.followerKills.length;
  const rows = MEASURES.map(({ key, label }, i) => {
    const values = result.followerKills.map((k) => msOf(k[key]));
    const p50 = median(values);
    const target = i === 0 ? `p50 < ${n(FAILOVER.target.p50Ms)}` : 'report only';
    const verdict = i === 0 ? (p50 < FAILOVER.target.p50Ms ? MET : MISSED) : '—';
    return [label, showMs(p50), showMs(Math.max(...values)), showMs(msOf(result.leaderKill[key])), target, verdict];
  });
  return {
    title: `Failover: ms from kill -9 (${FAILOVER.nodes} nodes, backups ${FAILOVER.backups}, ${FAILOVER.writers} writers over one key per partition)`,
    header: ['measure (ms after the kill)', `follower kills p50 (${kills})`, 'follower kills max', 'leader kill', 'target', 'verdict'],
    rows,
    centred: 2,
  };
}

function rebalanceGrid(r: RebalanceResult): Grid {
  const mb = r.bytesMoved / 1e6;
  return {
    title: `Rebalance: a third node joins ${REBALANCE.nodes} nodes holding ${n(r.entries)} entries (backups ${REBALANCE.backups})`,
    header: ['metric', 'value'],
    rows: [
      [`load ${n(r.entries)} entries of ${REBALANCE.valueLength} bytes (putAll of ${n(REBALANCE.loadBatch)}, ${REBALANCE.loadInFlight} in flight)`, `${r.loadSeconds.toFixed(1)} s (${n(Math.round(r.entries / r.loadSeconds))} entries/s)`],
      ['addNode() → rebalanced (s)', r.seconds.toFixed(1)],
      ['moved: Σ growth of bytesReceived over the nodes (MB)', `${mb.toFixed(1)} (to the new node: ${(r.newNodeBytes / 1e6).toFixed(1)}; Σ bytesSent: ${(r.bytesSent / 1e6).toFixed(1)})`],
      ['copies started / completed (Σ over the nodes)', `${n(r.copiesStarted)} / ${n(r.copiesCompleted)}`],
      ['rebalance throughput (MB/s)', (mb / r.seconds).toFixed(1)],
      ['entries on the new node', `${n(r.newNodeEntries)} (${((100 * r.newNodeEntries) / r.entries).toFixed(1)}% of the entries)`],
      [`copies held over all nodes (expected ${n(r.entries * (REBALANCE.backups + 1))})`, n(r.copiesHeld)],
      ['control-plane elections while loading / while rebalancing', `${r.electionsDuringLoad} / ${r.electionsDuringRebalance}`],
      ['random keys read back after', `${n(r.sampled - r.sampleMismatches)} of ${n(r.sampled)} correct (${n(r.sampledOnNewNode)} now primary on the new node)`],
    ],
    centred: 0,
    ...(r.failedAttempts.length === 0
      ? {}
      : { footnote: `${r.failedAttempts.length} attempt(s) before this one failed, each on a fresh cluster: ${r.failedAttempts.join('; ')}.` }),
  };
}

/** Each scenario's table, or a line saying why it has none. */
function grids(result: ClusterRunResult): (Grid | string)[] {
  const pick = <T>(outcome: Outcome<T>, what: string, grid: (value: T) => Grid): Grid | string =>
    outcome.ok ? grid(outcome.value) : `**${what}** did not complete: ${outcome.error}`;
  return [
    pick(result.throughput, `${CLUSTER_NODES}-node throughput`, throughputGrid),
    pick(result.failover, 'Failover', failoverGrid),
    pick(result.rebalance, 'Rebalance', rebalanceGrid),
  ];
}

/** One sentence per missed cluster target, and per scenario that did not complete. */
export function missedClusterTargets(result: ClusterRunResult): string[] {
  const missed: string[] = [];
  if (result.failover.ok) {
    const p50 = failoverP50(result.failover.value);
    if (!(p50 < FAILOVER.target.p50Ms)) missed.push(`failover p50 ${showMs(p50)} ms, target < ${n(FAILOVER.target.p50Ms)} ms`);
  }
  for (const [name, outcome] of [['3-node throughput', result.throughput], ['failover', result.failover], ['rebalance', result.rebalance]] as const) {
    if (!outcome.ok) missed.push(`${name} did not complete`);
  }
  return missed;
}

/** The errors writers saw during the kills (the SDK retries through failover, so this should be 0). */
function writerErrors(result: ClusterRunResult): string | undefined {
  if (!result.failover.ok) return undefined;
  const { followerKills, leaderKill } = result.failover.value;
  const kills = [...followerKills, leaderKill];
  const errors = kills.reduce((sum, k) => sum + k.errors, 0);
  return `Writers saw ${errors} error(s) over the ${kills.length} kills (victims: ${kills.map((k) => k.victim).join(', ')}).`;
}

/** The cluster tables for the terminal. */
export function clusterConsole(result: ClusterRunResult): string {
  const parts = grids(result).map((g) => (typeof g === 'string' ? g : [`${g.title}\n${textGrid(g.header, g.rows)}`, ...(g.footnote ? [g.footnote] : [])].join('\n')));
  const errors = writerErrors(result);
  return [...parts, ...(errors ? [errors] : [])].join('\n\n');
}

/** The cluster part of the BENCHMARKS.md section; it goes above the hand-written paragraph. */
export function clusterMarkdown(result: ClusterRunResult): string {
  const missed = missedClusterTargets(result);
  const intro =
    `**Cluster.** Real \`shoal node\` processes started by \`LocalCluster\` on 127.0.0.1 (default timing: heartbeat 100 ms, ` +
    `failure timeout 1.2 s), each scenario on a fresh cluster after the single node and Redis stopped, driven through the SDK from the ` +
    `same client process. Throughput: the same concurrent put and getAll(100) code as above against a cache with backups 1 and ` +
    `writeSync full, same keys, rounds and durations; the ratio is against the single node's median of this run. Failover: ` +
    `${FAILOVER.writers} writers put in a loop to one key per partition; a node that is not the control-plane leader is killed with ` +
    `SIGKILL ${FAILOVER.followerKills} times (a fresh node joins and the cluster settles between kills), then the leader once; the ` +
    `victim's partitions come from the partition map read right before the kill, and only writes issued after the kill count (an answer the victim sent just before it died can still be unread in the client). ` +
    `Rebalance: bytes are key and value bytes copied (\`/status\` \`rebalancing.bytesReceived\`), MB = 10⁶ bytes; "rebalanced" means every node ` +
    `agrees on the members and one epoch with nothing syncing, copying or lost, held for 0.6 s (timed to the first poll that saw it). ` +
    `1-minute load average at the start of the cluster scenarios: ${result.loadAverage.toFixed(2)}.`;
  const tables = grids(result).map((g) =>
    typeof g === 'string' ? g : [`*${g.title}*`, markdownGrid(g.header, g.rows, g.centred), ...(g.footnote ? [g.footnote] : [])].join('\n\n'),
  );
  const errors = writerErrors(result);
  const verdict = missed.length === 0 ? 'Every cluster target was met in this run.' : `Cluster targets missed in this run: ${missed.join('; ')}.`;
  return [intro, ...tables, ...(errors ? [errors] : []), verdict].join('\n\n');
}
