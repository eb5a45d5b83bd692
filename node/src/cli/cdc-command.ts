import {
  CdcConfigError,
  cacheNameProblem,
  parseCacheRules,
  parseKeyColumnRules,
  parseSourceSpec,
  sourceForms,
  startCdc,
  type CdcConfig,
  type CdcProcess,
  type DeadLetterSpec,
  type MySqlVersionForm,
  type SchemasMode,
  type SourceSpec,
} from '@shoal/cdc';
import type { CacheConfig } from '@shoal/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { nonEmpty, parseEndpoint, parseLogLevel, positiveInteger } from './option-parsers.js';

interface CdcFlags {
  source: SourceSpec;
  endpoints: string[];
  authToken?: string;
  map?: string[];
  key?: string[];
  deadLetter: DeadLetterSpec;
  metrics: { host: string; port: number } | null;
  batchSize: number;
  schemas: SchemasMode;
  unwrapPrefix: string;
  mysqlVersion: MySqlVersionForm;
  cacheConfig: CacheConfig;
  progressInterval: number;
  logLevel: string;
}

/** `shoal cdc`: applies Debezium change events from a source to the grid until the input ends or SIGTERM/SIGINT. */
export function cdcCommand(): Command {
  const command = new Command('cdc')
    .description('apply Debezium change events (file/stdin, HTTP, Kafka, NATS JetStream, Redis Streams) to the grid')
    .requiredOption('--source <spec>', `where events come from:\n${sourceForms.map((f) => `  ${f}`).join('\n')}`, configParser(parseSourceSpec))
    .addOption(new Option('--endpoints <host:port,...>', 'grid nodes to connect to').argParser(parseEndpoints).default(['127.0.0.1:7700'], '127.0.0.1:7700'))
    .addOption(new Option('--auth-token <token>', "the grid's auth token").env('SHOAL_AUTH_TOKEN').argParser(nonEmpty))
    .option('--map <topic=cache>', 'send a topic or table (db.schema.table, schema.table, table) to a cache; repeatable (default: the table name)', collect)
    .option('--key <table=col,col>', "take a table's key from these row columns (for transports without record keys: HTTP, NATS); repeatable (default: the record key)", collect)
    .addOption(
      new Option('--dead-letter <file:PATH|cache:NAME>', 'where undecodable events go, with their reason')
        .argParser(parseDeadLetter)
        .default({ kind: 'file', path: 'shoal-cdc-dead-letters.ndjson' }, 'file:shoal-cdc-dead-letters.ndjson'),
    )
    .addOption(new Option('--metrics <host:port|off>', 'serve /metrics and /healthz here').argParser(parseMetrics).default({ host: '127.0.0.1', port: 9470 }, '127.0.0.1:9470'))
    .option('--batch-size <n>', 'records applied (and committed) together', positiveInteger(100_000), 500)
    .addOption(new Option('--schemas <mode>', 'JSON converter schemas in keys and values').choices(['auto', 'enabled', 'disabled']).default('auto'))
    .option('--unwrap-prefix <prefix>', "ExtractNewRecordState's add.fields.prefix", '__')
    .addOption(
      new Option(
        '--mysql-version <form>',
        'order MySQL changes by binlog coordinates, or by GTID sequence first; gtid is right only while every transaction comes from one GTID source ' +
          "(one MySQL server uuid, or MariaDB's domain-wide sequence), never across a MySQL failover: a change from a new GTID source stops the ingester (exit 1)",
      )
        .choices(['binlog', 'gtid'])
        .default('binlog'),
    )
    .addOption(new Option('--cache-config <mode=partitioned,backups=1>', 'layout of the caches the ingester creates').argParser(parseCacheConfig).default({}, "the grid's defaults"))
    .option('--progress-interval <ms>', 'how often progress and lag are logged', positiveInteger(24 * 3_600_000), 10_000)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', parseLogLevel, 'info');
  return command.action(async (flags: CdcFlags) => {
    let rules: CdcConfig['rules'];
    try {
      rules = { caches: parseCacheRules(flags.map ?? []), keyColumns: parseKeyColumnRules(flags.key ?? []) };
    } catch (err) {
      if (!(err instanceof CdcConfigError)) throw err;
      return command.error(`error: ${err.message}`, { exitCode: 2, code: 'shoal.invalidRule' });
    }
    await run({
      source: flags.source,
      endpoints: flags.endpoints,
      authToken: flags.authToken ?? null,
      rules,
      deadLetter: flags.deadLetter,
      metrics: flags.metrics,
      batchSize: flags.batchSize,
      schemas: flags.schemas,
      unwrapFieldPrefix: flags.unwrapPrefix,
      mysqlVersion: flags.mysqlVersion,
      cacheConfig: flags.cacheConfig,
      progressIntervalMs: flags.progressInterval,
      logLevel: flags.logLevel,
    });
  });
}

/** Runs until the input ends (exit 0), the ingester fails (exit 1), or a signal stops it after committing what was applied (exit 0). */
async function run(config: CdcConfig): Promise<void> {
  const log = pino({ level: config.logLevel, base: { component: 'cdc' } });
  let cdc: CdcProcess;
  try {
    cdc = await startCdc(config, log);
  } catch (err) {
    log.fatal({ err }, 'cdc ingester could not start');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void cdc.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await cdc.finished;
    process.exit(0);
  } catch (err) {
    log.fatal({ err }, 'cdc ingester failed');
    process.exit(1);
  }
}

/** A commander argument parser over a parser that throws `CdcConfigError`. */
function configParser<T>(parse: (text: string) => T) {
  return (text: string): T => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof CdcConfigError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseEndpoints(text: string): string[] {
  const endpoints = text.split(',').map((e) => e.trim());
  return endpoints.map(parseEndpoint);
}

function parseDeadLetter(text: string): DeadLetterSpec {
  if (text.startsWith('file:') && text.length > 'file:'.length) return { kind: 'file', path: text.slice('file:'.length) };
  if (text.startsWith('cache:') && text.length > 'cache:'.length) {
    const cache = text.slice('cache:'.length);
    const problem = cacheNameProblem(cache);
    if (problem !== null) throw new InvalidArgumentError(problem);
    return { kind: 'cache', cache };
  }
  throw new InvalidArgumentError(`'${text}' is not file:PATH or cache:NAME`);
}

function parseMetrics(text: string): { host: string; port: number } | null {
  if (text === 'off') return null;
  parseEndpoint(text);
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(text.slice(at + 1)) };
}

/** The grid's bounds on a cache's layout (it refuses others). */
const MAX_BACKUPS = 6;
const MAX_PARTITIONS = 65_536;

function parseCacheConfig(text: string): CacheConfig {
  const config: { mode?: 'partitioned' | 'replicated'; backups?: number; partitions?: number } = {};
  for (const part of text.split(',')) {
    const [name, value = ''] = part.split('=').map((s) => s.trim());
    if (name === 'mode' && (value === 'partitioned' || value === 'replicated')) config.mode = value;
    else if (name === 'backups' && /^\d+$/.test(value) && Number(value) <= MAX_BACKUPS) config.backups = Number(value);
    else if (name === 'partitions' && /^[1-9]\d*$/.test(value) && Number(value) <= MAX_PARTITIONS) config.partitions = Number(value);
    else throw new InvalidArgumentError(`'${part}' is not mode=partitioned|replicated, backups=0..${MAX_BACKUPS} or partitions=1..${MAX_PARTITIONS}`);
  }
  return config;
}
