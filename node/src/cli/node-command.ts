import { Command, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, nodeConfig } from '../config/node-config.js';
import { ShoalNode } from '../shoal-node.js';
import { nonEmpty, parseLogLevel, parsePort, positiveInteger } from './option-parsers.js';

interface NodeFlags {
  host: string;
  port: number;
  id?: string;
  authToken?: string;
  partitions: number;
  maxFrameBytes: number;
  logLevel: string;
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
    .action(async ({ id, authToken, ...rest }: NodeFlags) => {
      const node = new ShoalNode(nodeConfig({ ...rest, ...(id === undefined ? {} : { id }), authToken: authToken ?? null }));
      await runUntilSignalled(node);
    });
}

async function runUntilSignalled(node: ShoalNode): Promise<void> {
  try {
    await node.start();
  } catch (err) {
    node.log.fatal({ err }, `cannot listen on ${node.config.host}:${node.config.port}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.log.info({ signal }, 'shutting down');
    node.stop().then(
      () => process.exit(0),
      (err) => {
        node.log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
