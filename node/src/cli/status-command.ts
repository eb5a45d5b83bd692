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

interface NodeStatus {
  id: string;
  address: string;
  role: string;
  uptimeSeconds: number;
  connections: number;
  caches: CacheStatus[];
  memory: { rss: number; heapUsed: number };
}

/** `shoal status`: what a node reports about itself and its caches. */
export function statusCommand(): Command {
  return new Command('status')
    .description("show a node's members, caches and memory (GET /status)")
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

function formatStatus(status: NodeStatus): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const lines = [
    `node ${status.id} at ${status.address} (${status.role}), up ${status.uptimeSeconds} s, ${status.connections} client connection(s)`,
    `memory: rss ${mb(status.memory.rss)}, heap used ${mb(status.memory.heapUsed)}`,
    '',
  ];
  const rows = status.caches.map((c) => [c.name, c.mode, String(c.backups), String(c.partitions), String(c.entries), mb(c.bytes)]);
  lines.push(...table(['cache', 'mode', 'backups', 'partitions', 'entries', 'data'], rows));
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['no caches'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
