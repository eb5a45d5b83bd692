import { CdcDecodeError, CdcErrorCode } from './decode-error.js';

/**
 * Where in its source's log a change was made, kept with each applied row so
 * that a replayed or late change older than what the grid holds is skipped.
 *
 * Positions compare per row, never as one global high-water mark: snapshot
 * rows all carry the position the snapshot started at (one LSN, one binlog
 * file/pos, one commit LSN), so the position alone does not order snapshot
 * rows among themselves. Two snapshot rows at one position compare `equal`,
 * and `equal` is applied (a replay of the same change is a no-op), so
 * snapshot rows go in as upserts.
 */
export type SourcePosition = PostgresPosition | MySqlPosition | SqlServerPosition | TimestampPosition | NoPosition;

interface PositionCommon {
  /** The logical server name (`source.name`, the connector's topic prefix); positions of different servers do not compare. */
  readonly server: string;
  /** Read by a snapshot: it shows the state as of its position, so it sorts before a streamed change at the same position. */
  readonly snapshot: boolean;
}

/** `lsn` of the change; `commitLsn` is the first element of `source.sequence` when the connector sends it. */
export interface PostgresPosition extends PositionCommon {
  readonly kind: 'postgres';
  readonly lsn: bigint;
  readonly commitLsn: bigint | null;
}

/** Binlog coordinates; `gtid` when the server has GTIDs on. */
export interface MySqlPosition extends PositionCommon {
  readonly kind: 'mysql';
  readonly file: string;
  readonly pos: number;
  readonly row: number;
  readonly gtid: string | null;
}

/** LSNs as SQL Server writes them, lowercased: `0000003a:00002f50:0005` (fixed width, so text order is numeric order). */
export interface SqlServerPosition extends PositionCommon {
  readonly kind: 'sqlserver';
  readonly commitLsn: string | null;
  readonly changeLsn: string | null;
  readonly eventSerialNo: number | null;
}

/** Any other connector: `source.ts_ms` (or the envelope's `ts_ms`). Only millisecond order. */
export interface TimestampPosition extends PositionCommon {
  readonly kind: 'timestamp';
  readonly tsMs: number;
}

/** The record said nothing about where it came from (an unwrapped row without added fields). */
export interface NoPosition {
  readonly kind: 'none';
}

/** How `a` stands against `b`. */
export type PositionOrder = 'older' | 'newer' | 'equal' | 'incomparable';

/**
 * Orders two positions of one source. Different kinds or servers, a MySQL
 * binlog of another file series, or a missing position are `incomparable`:
 * the caller then has only arrival order to go by.
 */
export function compareSourcePositions(a: SourcePosition, b: SourcePosition): PositionOrder {
  if (a.kind === 'none' || b.kind === 'none' || a.server !== b.server) return 'incomparable';
  const order = compareCoordinates(a, b);
  if (order === undefined) return 'incomparable';
  if (order !== 0) return order < 0 ? 'older' : 'newer';
  if (a.snapshot === b.snapshot) return 'equal';
  return a.snapshot ? 'older' : 'newer';
}

/** True when a change at `incoming` must not overwrite a row written at `stored`. */
export function isStale(incoming: SourcePosition, stored: SourcePosition): boolean {
  return compareSourcePositions(incoming, stored) === 'older';
}

type Sign = -1 | 0 | 1;

function compareCoordinates(a: Exclude<SourcePosition, NoPosition>, b: Exclude<SourcePosition, NoPosition>): Sign | undefined {
  if (a.kind === 'postgres' && b.kind === 'postgres') return comparePostgres(a, b);
  if (a.kind === 'mysql' && b.kind === 'mysql') return compareMySql(a, b);
  if (a.kind === 'sqlserver' && b.kind === 'sqlserver') {
    return cmpNullsFirst(a.commitLsn, b.commitLsn) || cmpNullsFirst(a.changeLsn, b.changeLsn) || cmpNullsFirst(a.eventSerialNo, b.eventSerialNo);
  }
  if (a.kind === 'timestamp' && b.kind === 'timestamp') return cmp(a.tsMs, b.tsMs);
  return undefined;
}

/**
 * Changes stream in commit order, and `sequence` = [last commit LSN, LSN]
 * orders them globally; without it (older connectors, snapshot rows) the
 * change LSN still orders changes to one row, since row locks keep two
 * open transactions from both writing it.
 */
function comparePostgres(a: PostgresPosition, b: PostgresPosition): Sign {
  if (a.commitLsn !== null && b.commitLsn !== null) return cmp(a.commitLsn, b.commitLsn) || cmp(a.lsn, b.lsn);
  return cmp(a.lsn, b.lsn);
}

/** A GTID orders within its source server (or MariaDB domain); binlog coordinates order within one file series. */
function compareMySql(a: MySqlPosition, b: MySqlPosition): Sign | undefined {
  const byGtid = compareGtids(a.gtid, b.gtid);
  if (byGtid !== undefined && byGtid !== 0) return byGtid;
  const fa = splitBinlogFile(a.file);
  const fb = splitBinlogFile(b.file);
  if (fa.series !== fb.series) return undefined;
  return cmp(fa.index, fb.index) || cmp(a.pos, b.pos) || cmp(a.row, b.row);
}

function splitBinlogFile(file: string): { readonly series: string; readonly index: bigint } {
  const match = /^(.*)\.(\d+)$/.exec(file);
  return match === null ? { series: file, index: 0n } : { series: match[1] ?? '', index: BigInt(match[2] ?? '0') };
}

function compareGtids(a: string | null, b: string | null): Sign | undefined {
  const ga = a === null ? null : parseGtid(a);
  const gb = b === null ? null : parseGtid(b);
  if (ga === null || gb === null || ga.source !== gb.source) return undefined;
  return cmp(ga.sequence, gb.sequence);
}

/** MySQL `uuid[:tag]:N` or MariaDB `domain-server-seq` (ordered within a domain). */
function parseGtid(gtid: string): { readonly source: string; readonly sequence: bigint } | null {
  const mariadb = /^(\d+)-\d+-(\d+)$/.exec(gtid);
  if (mariadb !== null) return { source: `domain ${mariadb[1] ?? ''}`, sequence: BigInt(mariadb[2] ?? '0') };
  const mysql = /^(.+):(\d+)$/.exec(gtid);
  if (mysql !== null) return { source: (mysql[1] ?? '').toLowerCase(), sequence: BigInt(mysql[2] ?? '0') };
  return null;
}

function cmp<T extends number | bigint | string>(a: T, b: T): Sign {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpNullsFirst<T extends number | string>(a: T | null, b: T | null): Sign {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return cmp(a, b);
}

/**
 * A compact JSON text for storing a position next to a row, e.g.
 * `["postgres","dbserver1","34466480","34442256",0]`. Bigints travel as
 * decimal strings so that any JSON or msgpack reader keeps every digit.
 */
export function formatSourcePosition(position: SourcePosition): string {
  return JSON.stringify(toTuple(position));
}

function toTuple(p: SourcePosition): readonly unknown[] {
  switch (p.kind) {
    case 'postgres':
      return [p.kind, p.server, p.lsn.toString(), p.commitLsn === null ? null : p.commitLsn.toString(), flag(p.snapshot)];
    case 'mysql':
      return [p.kind, p.server, p.file, p.pos, p.row, p.gtid, flag(p.snapshot)];
    case 'sqlserver':
      return [p.kind, p.server, p.commitLsn, p.changeLsn, p.eventSerialNo, flag(p.snapshot)];
    case 'timestamp':
      return [p.kind, p.server, p.tsMs, flag(p.snapshot)];
    case 'none':
      return [p.kind];
  }
}

const flag = (b: boolean): 0 | 1 => (b ? 1 : 0);

/** Reads what `formatSourcePosition` wrote; anything else is an `INVALID_POSITION` error. */
export function parseSourcePosition(text: string): SourcePosition {
  let tuple: unknown;
  try {
    tuple = JSON.parse(text);
  } catch (error) {
    throw invalid(text, 'not JSON', error);
  }
  const position = Array.isArray(tuple) ? fromTuple(tuple) : undefined;
  if (position === undefined) throw invalid(text, 'not a source position');
  return position;
}

function fromTuple(t: readonly unknown[]): SourcePosition | undefined {
  const [kind, server, ...rest] = t;
  if (kind === 'none' && t.length === 1) return { kind };
  if (typeof server !== 'string') return undefined;
  const snapshot = rest.at(-1);
  if (snapshot !== 0 && snapshot !== 1) return undefined;
  const common = { server, snapshot: snapshot === 1 };
  const [c0, c1, c2, c3] = rest;
  switch (kind) {
    case 'postgres':
      return rest.length === 3 && isDigits(c0) && (c1 === null || isDigits(c1))
        ? { kind, ...common, lsn: BigInt(c0), commitLsn: c1 === null ? null : BigInt(c1) }
        : undefined;
    case 'mysql':
      return rest.length === 5 && typeof c0 === 'string' && isCount(c1) && isCount(c2) && (c3 === null || typeof c3 === 'string')
        ? { kind, ...common, file: c0, pos: c1, row: c2, gtid: c3 }
        : undefined;
    case 'sqlserver':
      return rest.length === 4 && isLsnOrNull(c0) && isLsnOrNull(c1) && (c2 === null || isCount(c2))
        ? { kind, ...common, commitLsn: c0, changeLsn: c1, eventSerialNo: c2 }
        : undefined;
    case 'timestamp':
      return rest.length === 2 && typeof c0 === 'number' && Number.isSafeInteger(c0) ? { kind, ...common, tsMs: c0 } : undefined;
    default:
      return undefined;
  }
}

const isDigits = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** SQL Server's `VLF:block:slot` LSN text, as `positionFromSource` normalises it. */
export const sqlServerLsnPattern = /^[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}$/;
const isLsnOrNull = (v: unknown): v is string | null => v === null || (typeof v === 'string' && sqlServerLsnPattern.test(v));

function invalid(text: string, reason: string, cause?: unknown): CdcDecodeError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new CdcDecodeError(CdcErrorCode.InvalidPosition, `${reason}: ${shown}`, {}, cause === undefined ? undefined : { cause });
}
