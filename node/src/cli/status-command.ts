import { Command } from 'commander';
import { parseEndpoint } from './option-parsers.js';

interface CacheStatus {
  name: string;
  mode: string;
  backups: number;
  partitions: number;
  entries: number;
  bytes: number;
}

interface PartitionCounts {
  primaries: number;
  backups: number;
  /** Partitions this node is still copying in (reported by newer nodes). */
  syncing?: number;
}

interface ClusterStatus {
  nodeId: string;
  leader: string | null;
  epoch: number;
  role: string;
  term: number;
  members: { id: string; address: string; voter: boolean }[];
  partitions: Record<string, PartitionCounts>;
  rebalancing: { syncing: number; completed: number; bytesSent: number; bytesReceived: number };
  /** Partitions that lost every copy (reported by newer nodes). */
  lostPartitions?: number;
}

interface NodeStatus {
  id: string;
  address: string;
  /** Before clustering a node reported 'standalone' here; a clustered one reports its role under `cluster`. */
  role?: string;
  uptimeSeconds: number;
  connections: number;
  caches: CacheStatus[];
  memory: { rss: number; heapUsed: number };
  /** Absent on nodes from before clustering. */
  cluster?: ClusterStatus;
}

/** `shoal status`: what a node reports about the cluster, itself and its caches. */
export function statusCommand(): Command {
  return new Command('status')
    .description("show the cluster's members, control-plane leader, partition counts and rebalancing, and a node's caches and memory (GET /status)")
    .option('--endpoint <host:port>', 'node to ask', parseEndpoint, '127.0.0.1:7700')
    .option('--json', 'print the raw JSON')
    .action(async (flags: { endpoint: string; json?: boolean }) => {
      let status: NodeStatus;
      try {
        const response = await fetch(`http://${flags.endpoint}/status`, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        status = (await response.json()) as NodeStatus;
      } catch (err) {
        process.stderr.write(`shoal status: cannot reach ${flags.endpoint}: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    });
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function formatStatus(status: NodeStatus): string {
  const role = status.cluster?.role ?? status.role;
  const lines = [
    `node ${status.id} at ${status.address}${role === undefined ? '' : ` (${role})`}, up ${status.uptimeSeconds} s, ${status.connections} client connection(s)`,
    `memory: rss ${mib(status.memory.rss)}, heap used ${mib(status.memory.heapUsed)}`,
    '',
  ];
  if (status.cluster) lines.push(...formatCluster(status.cluster), '');
  const rows = status.caches.map((c) => [c.name, c.mode, String(c.backups), String(c.partitions), String(c.entries), mib(c.bytes)]);
  lines.push(...table(['cache', 'mode', 'backups', 'partitions', 'entries', 'data'], rows, 'no caches'));
  return `${lines.join('\n')}\n`;
}

/** The cluster as this node sees it: leader and epoch, one row per member with its partitions, then rebalancing. */
function formatCluster(cluster: ClusterStatus): string[] {
  const leader = cluster.leader ?? 'none known';
  const lines = [`cluster: ${cluster.members.length} member(s), leader ${leader}, epoch ${cluster.epoch}, term ${cluster.term}`];
  const ids = new Set(cluster.members.map((m) => m.id));
  const rows = cluster.members.map((m) => memberRow(m.id, m.address, m.voter ? 'voter' : 'learner', cluster));
  // A node can still hold partitions after it left the membership (until the map moves them): show it rather than hide data.
  for (const id of Object.keys(cluster.partitions)) if (!ids.has(id)) rows.push(memberRow(id, '-', 'not a member', cluster));
  lines.push(...table(['member', 'address', 'vote', 'primaries', 'backups', 'syncing'], rows, 'no members'));
  lines.push(formatRebalancing(cluster));
  if (cluster.lostPartitions) lines.push(`lost partitions: ${cluster.lostPartitions} (every copy gone: operations on them fail with PARTITION_LOST)`);
  return lines;
}

function memberRow(id: string, address: string, vote: string, cluster: ClusterStatus): string[] {
  const marks = [id === cluster.leader ? 'leader' : '', id === cluster.nodeId ? 'this node' : ''].filter((m) => m !== '');
  const counts = cluster.partitions[id];
  return [
    marks.length > 0 ? `${id} (${marks.join(', ')})` : id,
    address,
    vote,
    String(counts?.primaries ?? 0),
    String(counts?.backups ?? 0),
    counts?.syncing === undefined ? '-' : String(counts.syncing),
  ];
}

function formatRebalancing(cluster: ClusterStatus): string {
  const { syncing, completed, bytesSent, bytesReceived } = cluster.rebalancing;
  const state = syncing > 0 ? `${syncing} partition copy(ies) in progress` : 'idle';
  return `rebalancing: ${state}; ${completed} copy(ies) completed, ${mib(bytesSent)} sent, ${mib(bytesReceived)} received`;
}

function table(header: string[], rows: string[][], empty: string): string[] {
  if (rows.length === 0) return [empty];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
