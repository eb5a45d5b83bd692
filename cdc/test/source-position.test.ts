import { describe, expect, it } from 'vitest';
import {
  CdcDecodeError,
  compareSourcePositions,
  decodeRecord,
  formatSourcePosition,
  isStale,
  parseSourcePosition,
  type MySqlPosition,
  type PostgresPosition,
  type SourcePosition,
  type SqlServerPosition,
} from '../src/index.js';
import { expectKind } from './support/fixtures.js';
import { thrown } from './support/events.js';

const pg = (lsn: bigint, commitLsn: bigint | null, snapshot = false, server = 'db1'): PostgresPosition => ({ kind: 'postgres', server, lsn, commitLsn, snapshot });
const my = (file: string, pos: number, row = 0, gtid: string | null = null, snapshot = false): MySqlPosition => ({ kind: 'mysql', server: 'db1', file, pos, row, gtid, snapshot });
const ss = (commitLsn: string | null, changeLsn: string | null, eventSerialNo: number | null, snapshot = false): SqlServerPosition => ({
  kind: 'sqlserver',
  server: 'db1',
  commitLsn,
  changeLsn,
  eventSerialNo,
  snapshot,
});

describe('compareSourcePositions', () => {
  it('orders PostgreSQL changes by commit LSN, then LSN', () => {
    // A long transaction's change (low LSN) committed after a short one: commit order wins.
    expect(compareSourcePositions(pg(150n, 300n), pg(200n, 250n))).toBe('newer');
    expect(compareSourcePositions(pg(200n, 250n), pg(210n, 250n))).toBe('older');
    expect(compareSourcePositions(pg(200n, 250n), pg(200n, 250n))).toBe('equal');
  });

  it('orders PostgreSQL changes by LSN when either lacks the commit LSN', () => {
    expect(compareSourcePositions(pg(100n, null), pg(200n, 150n))).toBe('older');
    expect(compareSourcePositions(pg(2n ** 63n, null), pg(2n ** 63n - 1n, null))).toBe('newer');
  });

  it('puts a snapshot row before a streamed change at the same position, and snapshot rows level with each other', () => {
    expect(compareSourcePositions(pg(100n, null, true), pg(100n, null, false))).toBe('older');
    expect(compareSourcePositions(pg(100n, null, false), pg(100n, null, true))).toBe('newer');
    expect(compareSourcePositions(pg(100n, null, true), pg(100n, null, true))).toBe('equal');
    expect(isStale(pg(100n, null, true), pg(100n, null, true))).toBe(false);
  });

  it('orders MySQL by binlog file number, position and row', () => {
    expect(compareSourcePositions(my('mysql-bin.000009', 900), my('mysql-bin.000010', 4))).toBe('older');
    expect(compareSourcePositions(my('mysql-bin.999999', 900), my('mysql-bin.1000000', 4))).toBe('older');
    expect(compareSourcePositions(my('mysql-bin.000003', 797), my('mysql-bin.000003', 1041))).toBe('older');
    expect(compareSourcePositions(my('mysql-bin.000003', 797, 2), my('mysql-bin.000003', 797, 1))).toBe('newer');
    expect(compareSourcePositions(my('mysql-bin.000003', 797, 1), my('mysql-bin.000003', 797, 1))).toBe('equal');
  });

  it('does not compare binlogs of another file series', () => {
    expect(compareSourcePositions(my('mysql-bin.000003', 797), my('other-bin.000003', 5))).toBe('incomparable');
  });

  it('orders MySQL by GTID of one source server first, across binlogs (a failover)', () => {
    const uuid = '0e4d5dcd-a33b-11ea-80f1-02010a22a99e';
    expect(compareSourcePositions(my('a-bin.000009', 900, 0, `${uuid}:11`), my('b-bin.000001', 4, 0, `${uuid}:10`))).toBe('newer');
    expect(compareSourcePositions(my('a-bin.000001', 900, 0, `${uuid}:9`), my('a-bin.000001', 4, 0, `${uuid}:10`))).toBe('older');
    // GTIDs of different servers say nothing: the binlog decides.
    expect(compareSourcePositions(my('a-bin.000001', 900, 0, `${uuid}:9`), my('a-bin.000001', 4, 0, 'ffffffff-a33b-11ea-80f1-02010a22a99e:10'))).toBe('newer');
    // MariaDB: domain-server-seq, ordered within a domain.
    expect(compareSourcePositions(my('m.000001', 9, 0, '0-1-12'), my('n.000001', 4, 0, '0-2-11'))).toBe('newer');
  });

  it('orders SQL Server by commit LSN, change LSN, event serial number; a snapshot row (no change LSN) first', () => {
    const commit = '0000003a:00002f50:0005';
    expect(compareSourcePositions(ss(commit, '0000003a:00002f50:0002', 1), ss(commit, '0000003a:00002f50:0002', 2))).toBe('older');
    expect(compareSourcePositions(ss(commit, '0000003a:00002f50:0003', 1), ss(commit, '0000003a:00002f50:0002', 2))).toBe('newer');
    expect(compareSourcePositions(ss('0000003b:00000001:0001', '0000003a:00000001:0001', 1), ss(commit, '0000003a:00002f50:0004', 9))).toBe('newer');
    expect(compareSourcePositions(ss(commit, null, null, true), ss(commit, '0000003a:00002f50:0002', 1))).toBe('older');
  });

  it('orders other connectors by ts_ms', () => {
    const ts = (tsMs: number): SourcePosition => ({ kind: 'timestamp', server: 'db1', tsMs, snapshot: false });
    expect(compareSourcePositions(ts(1), ts(2))).toBe('older');
    expect(compareSourcePositions(ts(2), ts(2))).toBe('equal');
  });

  it('does not compare positions of different servers or kinds, or missing ones', () => {
    expect(compareSourcePositions(pg(1n, null, false, 'a'), pg(2n, null, false, 'b'))).toBe('incomparable');
    expect(compareSourcePositions(pg(1n, null), my('mysql-bin.000001', 4))).toBe('incomparable');
    expect(compareSourcePositions({ kind: 'none' }, { kind: 'none' })).toBe('incomparable');
    expect(isStale({ kind: 'none' }, pg(1n, null))).toBe(false);
  });
});

describe('formatSourcePosition / parseSourcePosition', () => {
  const positions: SourcePosition[] = [
    pg(34466480n, 34442256n),
    pg(2n ** 64n - 1n, null, true, 'with "quotes" and : colons'),
    my('mysql-bin.000003', 797, 2, '0e4d5dcd-a33b-11ea-80f1-02010a22a99e:10', true),
    my('{context}-bin.000003', 570),
    ss('0000003a:00002f50:0005', '0000003a:00002f50:0002', 1),
    ss('0000003a:00002f50:0005', null, null, true),
    { kind: 'timestamp', server: 'oracle', tsMs: 1700000000000, snapshot: false },
    { kind: 'none' },
  ];

  it.each(positions.map((p) => [formatSourcePosition(p), p] as const))('%s round-trips', (text, position) => {
    expect(parseSourcePosition(text)).toEqual(position);
    expect(compareSourcePositions(parseSourcePosition(text), position)).toBe(position.kind === 'none' ? 'incomparable' : 'equal');
  });

  it('is compact JSON with bigints as decimal strings', () => {
    expect(formatSourcePosition(pg(34466480n, 34442256n))).toBe('["postgres","db1","34466480","34442256",0]');
  });

  it.each(['', 'nope', '{}', '[]', '["postgres","db1","12",null]', '["postgres","db1","-1",null,0]', '["mysql","db1","f",-1,0,null,0]', '["sqlserver","db1","xyz",null,null,0]', '["martian","db1",0]'])(
    'refuses %j',
    (text) => {
      const error = thrown(() => parseSourcePosition(text));
      expect(error).toBeInstanceOf(CdcDecodeError);
      expect(error).toMatchObject({ code: 'INVALID_POSITION' });
    },
  );
});

describe('positions read from events', () => {
  const pgEvent = (source: string) =>
    `{"before":null,"after":{"id":1},"source":{"version":"2.5.0.Final","connector":"postgresql","name":"pg","ts_ms":1,"snapshot":"false","db":"d","schema":"s","table":"t",${source}},"op":"c","ts_ms":2}`;

  it('keep a PostgreSQL LSN past 2^53 exact', () => {
    const event = expectKind(decodeRecord({ value: pgEvent('"lsn":18446744073709551615,"sequence":"[\\"18446744073709551614\\",\\"18446744073709551615\\"]"') }), 'upsert');
    expect(event.position).toEqual({ kind: 'postgres', server: 'pg', lsn: 2n ** 64n - 1n, commitLsn: 2n ** 64n - 2n, snapshot: false });
  });

  it('take a null commit LSN in sequence as absent', () => {
    expect(expectKind(decodeRecord({ value: pgEvent('"lsn":5,"sequence":"[null,\\"5\\"]"') }), 'upsert').position).toMatchObject({ lsn: 5n, commitLsn: null });
  });

  it('fall back to ts_ms when the connector left its coordinates out', () => {
    expect(expectKind(decodeRecord({ value: pgEvent('"lsn":null') }), 'upsert').position).toEqual({ kind: 'timestamp', server: 'pg', tsMs: 1, snapshot: false });
  });

  it('refuse a malformed sequence or SQL Server LSN', () => {
    expect(thrown(() => decodeRecord({ value: pgEvent('"lsn":5,"sequence":"[5"') }))).toMatchObject({ code: 'UNDECODABLE_EVENT', path: 'source.sequence' });
    const sqlServer = '{"before":{"id":1},"after":null,"source":{"connector":"sqlserver","name":"s","db":"d","schema":"dbo","table":"t","commit_lsn":"nope"},"op":"d"}';
    expect(thrown(() => decodeRecord({ value: sqlServer }))).toMatchObject({ code: 'UNDECODABLE_EVENT', path: 'source.commit_lsn' });
  });
});
