import type { MySqlPosition, PostgresPosition, SourcePosition, SqlServerPosition, TimestampPosition } from '../decode/index.js';
import { CdcEventError, CdcEventErrorCode } from '../errors.js';

/**
 * A source position as the version bytes the grid keeps with each row. The
 * grid compares versions as unsigned bytes, lexicographically, and applies a
 * change when its version is >= the stored one; so the bytes must sort as
 * `compareSourcePositions` orders positions of one row.
 *
 * Layout: one tag byte for the kind of position, then fixed-width big-endian
 * unsigned fields, then one byte that is 0 for a snapshot read and 1 for a
 * streamed change (at equal coordinates a snapshot row sorts first, as
 * `compareSourcePositions` says).
 *
 * | kind | fields after the tag |
 * | --- | --- |
 * | `none` | nothing: the version is the single byte 0x00 |
 * | `timestamp` | ts_ms as a 64-bit integer with its sign bit flipped |
 * | `postgres` | LSN (u64) |
 * | `mysql` (binlog form) | binlog file number, pos, row (u64 each) |
 * | `mysql` (GTID form) | GTID sequence (u64, 0 without a GTID), then the binlog form's fields |
 * | `sqlserver` | commit_lsn, change_lsn (0x00 when null, else 0x01 and the LSN's 10 bytes), event_serial_no (0x00, or 0x01 and u64) |
 *
 * Rules where positions are not comparable (`compareSourcePositions` says
 * `incomparable`), since bytes always compare:
 *
 * - **Kinds.** Tags order kinds: none (0x00) < timestamp (0x10) < postgres
 *   (0x20) < mysql (0x30, 0x31) < sqlserver (0x40). A position with exact
 *   coordinates beats one that knows only a time, which beats none. A row
 *   written at a position never goes back to one without.
 * - **No position.** Rows from a stream that says nothing (an unwrapped row
 *   without added fields) all get the version 0x00: each applies over the
 *   last (arrival order), and never over a row that has a real position.
 * - **Servers.** The logical server name (`source.name`, the topic prefix) is
 *   not in the bytes: a connector renamed over the same database keeps
 *   ordering its rows by the database's own coordinates.
 * - **Binlog series.** The binlog file's base name is not in the bytes, only
 *   its number: after a switch of series (e.g. `mysql-bin` to `binlog`) rows
 *   compare by file number.
 * - **GTID form.** It orders by the GTID's sequence number first, which is
 *   right only while every transaction comes from one GTID source: MariaDB's
 *   domain-wide sequence (`domain-server-seq`, which goes on across a
 *   failover within the domain), or one MySQL source uuid (`uuid[:tag]:N`).
 *   A MySQL failover starts new transactions at the new server's own, low N,
 *   so every later change to an older row would look stale: it is no answer
 *   to failover. The mapper's `GtidSourceGuard` refuses such a change
 *   (`GtidSourceChangedError`, which fails the process) instead of letting it
 *   be skipped. Rows without a GTID (a snapshot taken without GTIDs) sort
 *   before every row with one.
 *
 * PostgreSQL's version is the change LSN alone. `compareSourcePositions`
 * orders by commit LSN first when both sides have one, which orders changes
 * of different transactions in commit order; for two changes of one row the
 * LSN gives the same order, since the second transaction can only write the
 * row after the first committed. Versions are only ever compared per row, and
 * the LSN alone also orders a snapshot row (no commit LSN) against a streamed
 * one the way `compareSourcePositions` does.
 */
export function positionVersion(position: SourcePosition, options: VersionOptions = {}): Uint8Array {
  switch (position.kind) {
    case 'none':
      return Uint8Array.of(VersionTag.None);
    case 'timestamp':
      return timestampVersion(position);
    case 'postgres':
      return postgresVersion(position);
    case 'mysql':
      return (options.mysql ?? 'binlog') === 'gtid' ? mysqlGtidVersion(position) : mysqlBinlogVersion(position);
    case 'sqlserver':
      return sqlServerVersion(position);
  }
}

/** How MySQL positions become versions: by binlog coordinates (default) or by GTID first. */
export type MySqlVersionForm = 'binlog' | 'gtid';

export interface VersionOptions {
  readonly mysql?: MySqlVersionForm;
}

/** The first byte of a version. */
export const VersionTag = {
  None: 0x00,
  Timestamp: 0x10,
  Postgres: 0x20,
  MySqlBinlog: 0x30,
  MySqlGtid: 0x31,
  SqlServer: 0x40,
} as const;

const MAX_U64 = (1n << 64n) - 1n;

/** Appends fixed-width big-endian fields. */
class VersionWriter {
  private readonly bytes: number[] = [];

  constructor(tag: number) {
    this.bytes.push(tag);
  }

  u8(value: number): this {
    this.bytes.push(value & 0xff);
    return this;
  }

  u64(value: bigint | number, field: string): this {
    // As two 32-bit halves: a byte at a time in bigint made sixteen bigints per version.
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return this.u32(Math.floor(value / 2 ** 32)).u32(value % 2 ** 32);
    const n = BigInt(value);
    if (n < 0n || n > MAX_U64) throw new CdcEventError(CdcEventErrorCode.UnversionablePosition, `${field} ${n} is outside 0..2^64-1`);
    return this.u32(Number(n >> 32n)).u32(Number(n & 0xffffffffn));
  }

  private u32(value: number): this {
    this.bytes.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  raw(values: Iterable<number>): this {
    for (const v of values) this.bytes.push(v);
    return this;
  }

  /** 0 for a snapshot read, 1 for a streamed change: the last byte of every version but none's. */
  snapshot(isSnapshot: boolean): Uint8Array {
    this.bytes.push(isSnapshot ? 0 : 1);
    return Uint8Array.from(this.bytes);
  }
}

function timestampVersion(p: TimestampPosition): Uint8Array {
  // Two's complement with the sign bit flipped sorts signed integers as unsigned bytes.
  const flipped = BigInt.asUintN(64, BigInt(p.tsMs)) ^ (1n << 63n);
  return new VersionWriter(VersionTag.Timestamp).u64(flipped, 'ts_ms').snapshot(p.snapshot);
}

function postgresVersion(p: PostgresPosition): Uint8Array {
  return new VersionWriter(VersionTag.Postgres).u64(p.lsn, 'lsn').snapshot(p.snapshot);
}

function mysqlBinlogVersion(p: MySqlPosition): Uint8Array {
  return binlogFields(new VersionWriter(VersionTag.MySqlBinlog), p).snapshot(p.snapshot);
}

function mysqlGtidVersion(p: MySqlPosition): Uint8Array {
  const writer = new VersionWriter(VersionTag.MySqlGtid).u64(gtidSequence(p.gtid), 'gtid sequence');
  return binlogFields(writer, p).snapshot(p.snapshot);
}

function binlogFields(writer: VersionWriter, p: MySqlPosition): VersionWriter {
  return writer.u64(binlogFileNumber(p.file), 'binlog file number').u64(p.pos, 'pos').u64(p.row, 'row');
}

/** `mysql-bin.000003` → 3; a file name without a numeric suffix is number 0 (as `compareSourcePositions` reads it). */
export function binlogFileNumber(file: string): bigint {
  const match = /\.(\d+)$/.exec(file);
  return match === null ? 0n : BigInt(match[1] ?? '0');
}

/** The sequence number of a MySQL `uuid[:tag]:N` or MariaDB `domain-server-seq` GTID; 0 without one or for a GTID set. */
export function gtidSequence(gtid: string | null): bigint {
  if (gtid === null) return 0n;
  const match = /^\d+-\d+-(\d+)$/.exec(gtid) ?? /^[^,]+:(\d+)$/.exec(gtid);
  return match === null ? 0n : BigInt(match[1] ?? '0');
}

function sqlServerVersion(p: SqlServerPosition): Uint8Array {
  const writer = new VersionWriter(VersionTag.SqlServer);
  for (const lsn of [p.commitLsn, p.changeLsn]) {
    if (lsn === null) writer.u8(0);
    else writer.u8(1).raw(sqlServerLsnBytes(lsn));
  }
  if (p.eventSerialNo === null) writer.u8(0);
  else writer.u8(1).u64(p.eventSerialNo, 'event_serial_no');
  return writer.snapshot(p.snapshot);
}

/** `0000003a:00002f50:0005` → its 10 bytes (the text is fixed-width hex, so byte order is its numeric order). */
function sqlServerLsnBytes(lsn: string): Uint8Array {
  return Buffer.from(lsn.replaceAll(':', ''), 'hex');
}

/**
 * What a GTID's sequence counts within: MariaDB's domain (`domain-server-seq`
 * → `mariadb domain 0`; its server may change), MySQL's source uuid and tag
 * (`uuid[:tag]:N` → `mysql 3e11…:tag`, lower case); null without a GTID or
 * for a form the GTID version does not read (a set).
 */
export function gtidSource(gtid: string | null): string | null {
  if (gtid === null) return null;
  const mariadb = /^(\d+)-\d+-\d+$/.exec(gtid);
  if (mariadb !== null) return `mariadb domain ${mariadb[1]}`;
  const mysql = /^([^,]+):\d+$/.exec(gtid);
  return mysql === null ? null : `mysql ${mysql[1]!.toLowerCase()}`;
}

/** A change whose GTID comes from another source than the ones before it: the GTID version cannot order it. */
export class GtidSourceChangedError extends Error {
  constructor(
    readonly previous: string,
    readonly current: string,
    gtid: string,
  ) {
    super(
      `the GTID source changed from ${previous} to ${current} (GTID ${gtid}; a failover?): --mysql-version gtid orders changes by a ` +
        'sequence number that is only comparable within one GTID source, so later changes would be skipped as stale. Nothing from this batch ' +
        'was committed. Restart with --mysql-version binlog, or clear the caches and re-snapshot.',
    );
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * Remembers the GTID source of the first change with a GTID and throws
 * `GtidSourceChangedError` for a change from another one. It knows what this
 * process saw only: a process started after the switch cannot tell.
 */
export class GtidSourceGuard {
  private seen: string | null = null;

  check(position: SourcePosition): void {
    if (position.kind !== 'mysql') return;
    const source = gtidSource(position.gtid);
    if (source === null) return;
    if (this.seen === null) this.seen = source;
    else if (source !== this.seen) throw new GtidSourceChangedError(this.seen, source, position.gtid!);
  }
}
