import { Command, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, nodeConfig } from '../config/node-config.js';
import { ShoalNode } from '../shoal-node.js';
import { type ClusterTiming, checkClusterTiming, DEFAULT_CLUSTER_TIMING } from '../cluster/cluster-timing.js';
import { nonEmpty, parseEndpoint, parseEndpointList, parseLogLevel, parsePort, positiveInteger } from './option-parsers.js';

interface NodeFlags {
  host: string;
  port: number;
  id?: string;
  authToken?: string;
  partitions: number;
  maxFrameBytes: number;
  logLevel: string;
  seeds?: string[];
  clusterSecret?: string;
  advertise?: string;
  heartbeatMs: number;
  failureTimeoutMs: number;
}

/** `shoal node`: runs one node until SIGTERM or SIGINT. */
export function nodeCommand(): Command {
  return new Command('node')
    .description('run a Shoal node (HTTP /healthz, /metrics, /status and client WebSockets on one port)')
    .option('--host <host>', 'address to listen on', nonEmpty, DEFAULT_HOST)
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--id <id>', 'node id (default: random)', nonEmpty)
    .addOption(new Option('--auth-token <token>', 'token clients must present').env('SHOAL_AUTH_TOKEN').argParser(nonEmpty))
    .option('--partitions <n>', 'partitions per cache', positiveInteger(65_536), 1024)
    .option('--max-frame-bytes <n>', 'largest frame accepted, in bytes', positiveInteger(1024 * 1024 * 1024), 64 * 1024 * 1024)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', parseLogLevel, 'info')
    .option('--seeds <endpoints>', 'members to join through, host:port[,host:port...] (none: found a new cluster)', parseEndpointList)
    .addOption(new Option('--cluster-secret <secret>', 'secret every member must share').env('SHOAL_CLUSTER_SECRET').argParser(nonEmpty))
    .option('--advertise <endpoint>', 'host:port peers and clients reach this node at (default: --host:--port)', parseEndpoint)
    .option('--heartbeat-ms <ms>', 'control-plane heartbeat interval', positiveInteger(10_000), DEFAULT_CLUSTER_TIMING.heartbeatMs)
    .option('--failure-timeout-ms <ms>', 'silence after which a member is declared dead', positiveInteger(600_000), DEFAULT_CLUSTER_TIMING.failureTimeoutMs)
    .action(async ({ id, authToken, seeds, clusterSecret, advertise, heartbeatMs, failureTimeoutMs, ...rest }: NodeFlags, command: Command) => {
      let timing: ClusterTiming;
      try {
        timing = timingFrom(heartbeatMs, failureTimeoutMs);
      } catch (err) {
        return command.error(`error: ${(err as Error).message}`, { exitCode: 2 });
      }
      const node = new ShoalNode(
        nodeConfig({
          ...rest,
          ...(id === undefined ? {} : { id }),
          authToken: authToken ?? null,
          seeds: seeds ?? [],
          clusterSecret: clusterSecret ?? null,
          advertise: advertise ?? null,
          timing,
        }),
      );
      await runUntilSignalled(node);
    });
}

/** The data lease sits two heartbeats under the failure timeout, at most two thirds of it. */
function timingFrom(heartbeatMs: number, failureTimeoutMs: number): ClusterTiming {
  const dataLeaseMs = Math.min(Math.round((failureTimeoutMs * 2) / 3), failureTimeoutMs - 2 * heartbeatMs);
  try {
    return checkClusterTiming({ heartbeatMs, failureTimeoutMs, dataLeaseMs });
  } catch (err) {
    throw new Error(`--heartbeat-ms ${heartbeatMs} and --failure-timeout-ms ${failureTimeoutMs} do not fit: ${(err as Error).message}`);
  }
}

async function runUntilSignalled(node: ShoalNode): Promise<void> {
  // Handlers go in first: a node joining a cluster may be told to stop before it is admitted.
  let stopping = false;
  let started: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.log.info({ signal }, 'shutting down');
    Promise.resolve(started)
      .catch(() => {})
      .then(() => node.stop())
      .then(
        () => process.exit(0),
        (err) => {
          node.log.error({ err }, 'unclean shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    started = node.start();
    await started;
  } catch (err) {
    node.log.fatal({ err }, `cannot listen on ${node.config.host}:${node.config.port}`);
    process.exit(1);
  }
}
