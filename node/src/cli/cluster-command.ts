import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT } from '../config/node-config.js';
import { nonEmpty, parseLogLevel, positiveInteger } from './option-parsers.js';

/** This CLI's entry point, which each child runs as `shoal node`. */
const MAIN_PATH = fileURLToPath(new URL('./main.js', import.meta.url));
/** Enough to try placement and learners (5 voters at most); more is a job for real machines. */
const MAX_NODES = 64;
const START_TIMEOUT_MS = 15_000;
/** After a stop signal, children still running this long later are killed. */
const STOP_TIMEOUT_MS = 10_000;

interface ClusterFlags {
  nodes: number;
  host: string;
  basePort: number;
  clusterSecret?: string;
  logLevel: string;
}

interface Child {
  readonly id: string;
  readonly address: string;
  readonly process: ChildProcess;
  exited: boolean;
}

/** `shoal cluster`: N `shoal node` children on consecutive ports, the first founding, the others joining through it. */
export function clusterCommand(): Command {
  const command = new Command('cluster')
    .description('run a local cluster of N shoal node child processes on consecutive ports, for trying things')
    .requiredOption('--nodes <n>', `how many nodes (1-${MAX_NODES})`, positiveInteger(MAX_NODES))
    .option('--host <host>', 'address the nodes listen on', nonEmpty, DEFAULT_HOST)
    .option('--base-port <port>', "the first node's port; node i takes base-port + i - 1", positiveInteger(65_535), DEFAULT_PORT)
    .addOption(new Option('--cluster-secret <secret>', 'secret the nodes present to each other').env('SHOAL_CLUSTER_SECRET').argParser(nonEmpty))
    .option('--log-level <level>', "the nodes' log level: fatal, error, warn, info, debug, trace or silent", parseLogLevel, 'warn');
  return command.action(async (flags: ClusterFlags) => {
    const lastPort = flags.basePort + flags.nodes - 1;
    if (lastPort > 65_535) {
      return command.error(`error: ${flags.nodes} nodes from port ${flags.basePort} would need port ${lastPort} (over 65535)`, { exitCode: 2, code: 'shoal.portRange' });
    }
    process.exit(await runCluster(flags));
  });
}

/** Starts the children one by one, then waits until every one has exited; the exit code for this process. */
async function runCluster(flags: ClusterFlags): Promise<number> {
  const children: Child[] = [];
  let stopping = false;
  let failed = false;
  let allExited: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allExited = resolve));
  const onExit = (child: Child, code: number | null, signal: NodeJS.Signals | null) => {
    child.exited = true;
    if (!stopping || code !== 0) failed = true;
    // A child dying on its own is news (it may be what the user is trying); one we stopped is not.
    if (!stopping) process.stderr.write(`shoal cluster: ${child.id} at ${child.address} exited (${signal ?? `code ${code}`})\n`);
    if (children.every((c) => c.exited)) allExited();
  };
  const stop = (signal: NodeJS.Signals) => {
    // A second signal, or a child that ignores the first, gets SIGKILL.
    const force = stopping;
    stopping = true;
    for (const child of children) if (!child.exited) child.process.kill(force ? 'SIGKILL' : signal);
    if (!force) setTimeout(() => stop('SIGKILL'), STOP_TIMEOUT_MS).unref();
    if (children.every((c) => c.exited)) allExited();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  for (let i = 0; i < flags.nodes && !stopping; i++) {
    const child = startChild(flags, i, children[0]?.address);
    children.push(child);
    child.process.once('exit', (code, signal) => onExit(child, code, signal));
    const problem = await waitHealthy(child);
    if (problem !== undefined && !stopping) {
      failed = true;
      process.stderr.write(`shoal cluster: ${child.id} did not start: ${problem}; stopping the others\n`);
      stop('SIGTERM');
    }
  }
  if (!stopping) process.stdout.write(summary(children));
  // Children that die on their own leave the rest running: a signal, or the last child's exit, ends the cluster.
  await finished;
  return failed ? 1 : 0;
}

function startChild(flags: ClusterFlags, index: number, seed: string | undefined): Child {
  const id = `node-${index + 1}`;
  const port = flags.basePort + index;
  const args = [
    MAIN_PATH,
    'node',
    ...['--host', flags.host, '--port', String(port), '--id', id, '--log-level', flags.logLevel],
    ...(seed === undefined ? [] : ['--seeds', seed]),
  ];
  // The secret goes by environment, not argv, where anyone on the machine could read it in `ps`.
  const env = flags.clusterSecret === undefined ? process.env : { ...process.env, SHOAL_CLUSTER_SECRET: flags.clusterSecret };
  // The children share this terminal: their logs (pino JSON, tagged with the node id) appear as they come.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  return { id, address: `${hostForUrl(flags.host)}:${port}`, process: child, exited: false };
}

/** Polls `/healthz` until it answers; undefined when it did, otherwise what went wrong. */
async function waitHealthy(child: Child): Promise<string | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exited) return `it exited (${child.process.signalCode ?? `code ${child.process.exitCode}`})`;
    // A ref'd timer, not AbortSignal.timeout(): once a child has died nothing else may keep this process alive
    // while a fetch hangs, and Node would end it mid-await (exit 13).
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(), 1_000);
    try {
      const response = await fetch(`http://${child.address}/healthz`, { signal: attempt.signal });
      await response.body?.cancel();
      if (response.ok) return undefined;
    } catch {
      // not listening yet
    } finally {
      clearTimeout(timer);
    }
    await sleep(100);
  }
  return `/healthz did not answer within ${START_TIMEOUT_MS / 1000} s`;
}

function summary(children: readonly Child[]): string {
  const width = Math.max(...children.map((c) => c.address.length));
  const lines = [
    `shoal cluster: ${children.length} node(s)`,
    ...children.map((c, i) => `  ${c.id}  ${c.address.padEnd(width)}  pid ${c.process.pid}${i === 0 ? '  (founder)' : ''}`),
    `client endpoints: ${children.map((c) => c.address).join(',')}`,
    `status: shoal status --endpoint ${children[0]!.address}`,
    'Ctrl-C (SIGINT) or SIGTERM stops every node.',
  ];
  return `${lines.join('\n')}\n`;
}

/** An IPv6 listen address needs brackets in host:port. */
function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
