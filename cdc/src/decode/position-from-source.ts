import { undecodable } from './decode-error.js';
import { child, optionalInteger, optionalSafeInteger, optionalString, type JsonObject } from './raw-access.js';
import { sqlServerLsnPattern, type SourcePosition } from './source-position.js';

/** What the position needs from outside the source block. */
export interface PositionContext {
  /** The envelope's `ts_ms`, used when the source block has none. */
  readonly envelopeTsMs: number | null;
  readonly snapshot: boolean;
}

type Connector = 'postgres' | 'mysql' | 'sqlserver' | 'other';

const connectorNames: ReadonlyMap<string, Connector> = new Map([
  ['postgresql', 'postgres'],
  ['mysql', 'mysql'],
  ['mariadb', 'mysql'],
  ['sqlserver', 'sqlserver'],
]);

/**
 * The position of a change from its `source` block: PostgreSQL lsn (+ the
 * commit LSN of `sequence`), MySQL binlog file/pos/row (+ gtid), SQL Server
 * commit_lsn/change_lsn/event_serial_no, else `ts_ms`. A connector that left
 * its coordinates out (e.g. a PostgreSQL message outside a transaction) falls
 * back to `ts_ms` too.
 */
export function positionFromSource(source: JsonObject, context: PositionContext, path: string): SourcePosition {
  const common = { server: optionalString(source['name'], child(path, 'name')) ?? '', snapshot: context.snapshot };
  const exact = exactPosition(connectorOf(source), source, common, path);
  if (exact !== null) return exact;
  const tsMs = optionalSafeInteger(source['ts_ms'], child(path, 'ts_ms')) ?? context.envelopeTsMs;
  return tsMs === null ? { kind: 'none' } : { kind: 'timestamp', server: common.server, snapshot: common.snapshot, tsMs };
}

function connectorOf(source: JsonObject): Connector {
  const name = source['connector'];
  if (typeof name === 'string') return connectorNames.get(name) ?? 'other';
  // Unwrapped rows carry only the fields `add.fields` named: go by which ones are there.
  if ('lsn' in source) return 'postgres';
  if ('file' in source && 'pos' in source) return 'mysql';
  if ('commit_lsn' in source || 'change_lsn' in source) return 'sqlserver';
  return 'other';
}

type Common = { readonly server: string; readonly snapshot: boolean };

function exactPosition(connector: Connector, source: JsonObject, common: Common, path: string): SourcePosition | null {
  switch (connector) {
    case 'postgres':
      return postgresPosition(source, common, path);
    case 'mysql':
      return mysqlPosition(source, common, path);
    case 'sqlserver':
      return sqlServerPosition(source, common, path);
    case 'other':
      return null;
  }
}

function postgresPosition(source: JsonObject, common: Common, path: string): SourcePosition | null {
  const lsn = optionalInteger(source['lsn'], child(path, 'lsn'));
  if (lsn === null) return null;
  if (lsn < 0) return undecodable(child(path, 'lsn'), `a negative LSN: ${lsn}`);
  return { kind: 'postgres', server: common.server, snapshot: common.snapshot, lsn: BigInt(lsn), commitLsn: commitLsnOf(source['sequence'], child(path, 'sequence')) };
}

const compactSequence = /^\[(?:null|"(\d+)"),(?:null|"\d+")\]$/;

/** `sequence` is a JSON array in a string: `["<last commit LSN>","<LSN>"]`, either may be null. */
function commitLsnOf(value: unknown, path: string): bigint | null {
  const text = optionalString(value, path);
  if (text === null) return null;
  // Debezium writes it compact; that form is read without JSON.parse, anything else the long way.
  const compact = compactSequence.exec(text);
  if (compact !== null) return compact[1] === undefined ? null : BigInt(compact[1]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return undecodable(path, `sequence is not a JSON array: ${JSON.stringify(text.slice(0, 60))}`, error);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((e) => e === null || (typeof e === 'string' && /^\d+$/.test(e)))) {
    return undecodable(path, `sequence is not ["<commit LSN>","<LSN>"]: ${JSON.stringify(text.slice(0, 60))}`);
  }
  const commit: unknown = parsed[0];
  return typeof commit === 'string' ? BigInt(commit) : null;
}

function mysqlPosition(source: JsonObject, common: Common, path: string): SourcePosition | null {
  const file = optionalString(source['file'], child(path, 'file'));
  const pos = optionalSafeInteger(source['pos'], child(path, 'pos'));
  if (file === null || file === '' || pos === null) return null;
  return {
    kind: 'mysql',
    server: common.server,
    snapshot: common.snapshot,
    file,
    pos,
    row: optionalSafeInteger(source['row'], child(path, 'row')) ?? 0,
    gtid: optionalString(source['gtid'], child(path, 'gtid')),
  };
}

function sqlServerPosition(source: JsonObject, common: Common, path: string): SourcePosition | null {
  const commitLsn = sqlServerLsn(source['commit_lsn'], child(path, 'commit_lsn'));
  const changeLsn = sqlServerLsn(source['change_lsn'], child(path, 'change_lsn'));
  if (commitLsn === null && changeLsn === null) return null;
  const eventSerialNo = optionalSafeInteger(source['event_serial_no'], child(path, 'event_serial_no'));
  return { kind: 'sqlserver', server: common.server, snapshot: common.snapshot, commitLsn, changeLsn, eventSerialNo };
}

function sqlServerLsn(value: unknown, path: string): string | null {
  const text = optionalString(value, path)?.toLowerCase() ?? null;
  if (text === null || sqlServerLsnPattern.test(text)) return text;
  return undecodable(path, `not a SQL Server LSN: ${JSON.stringify(text.slice(0, 40))}`);
}
