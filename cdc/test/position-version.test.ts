import { compareVersions } from '@shoal/client/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSourcePositions, positionVersion, VersionTag, type SourcePosition } from '../src/index.js';
import { binlogFileNumber, gtidSequence } from '../src/apply/position-version.js';

/** How the grid orders two versions, as `compareSourcePositions` words it. */
function byteOrder(a: Uint8Array, b: Uint8Array): 'older' | 'newer' | 'equal' {
  const c = compareVersions(a, b);
  return c < 0 ? 'older' : c > 0 ? 'newer' : 'equal';
}

const server = fc.constantFrom('pg', 'dbserver1');
const snapshot = fc.boolean();
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const smallU = fc.integer({ min: 0, max: 5 });

const postgresNoCommit = fc.record({ kind: fc.constant('postgres' as const), server, snapshot, lsn: u64, commitLsn: fc.constant(null) });
const timestamp = fc.record({ kind: fc.constant('timestamp' as const), server, snapshot, tsMs: fc.integer({ min: -1e15, max: 1e15 }) });
const mysqlBinlog = fc.record({
  kind: fc.constant('mysql' as const),
  server,
  snapshot,
  file: fc.oneof(fc.integer({ min: 0, max: 999_999 }).map((n) => `mysql-bin.${String(n).padStart(6, '0')}`), fc.constantFrom('mysql-bin.000003', 'mysql-bin.000004')),
  pos: fc.oneof(fc.nat(), fc.constantFrom(0, 154, 1041)),
  row: smallU,
  gtid: fc.constant(null),
});
const lsnText = fc.tuple(fc.nat({ max: 0xff }), fc.nat({ max: 0xffff }), fc.nat({ max: 3 })).map(([a, b, c]) =>
  [a.toString(16).padStart(8, '0'), b.toString(16).padStart(8, '0'), c.toString(16).padStart(4, '0')].join(':'),
);
const sqlserver = fc.record({
  kind: fc.constant('sqlserver' as const),
  server,
  snapshot,
  commitLsn: fc.option(lsnText, { nil: null }),
  changeLsn: fc.option(lsnText, { nil: null }),
  eventSerialNo: fc.option(smallU, { nil: null }),
});

/** Asserts that for every pair `compareSourcePositions` can order, the bytes order it the same way. */
function agreesOnComparablePairs(arb: fc.Arbitrary<SourcePosition>): void {
  fc.assert(
    fc.property(arb, arb, (a, b) => {
      const expected = compareSourcePositions(a, b);
      fc.pre(expected !== 'incomparable');
      expect(byteOrder(positionVersion(a), positionVersion(b))).toBe(expected);
    }),
    { numRuns: 3_000 },
  );
}

describe('position versions sort as compareSourcePositions orders positions', () => {
  it('timestamps, negative ones included', () => agreesOnComparablePairs(timestamp));
  it('PostgreSQL LSNs (snapshot rows: no commit LSN)', () => agreesOnComparablePairs(postgresNoCommit));
  it('MySQL binlog coordinates', () => agreesOnComparablePairs(mysqlBinlog));
  it('SQL Server LSNs and serial numbers, nulls first', () => agreesOnComparablePairs(sqlserver));

  it('PostgreSQL with commit LSNs: agrees whenever commit order and LSN order agree (always so for two changes of one row)', () => {
    const streamed = fc.record({ kind: fc.constant('postgres' as const), server, snapshot, lsn: u64, commitLsn: fc.option(u64, { nil: null }) });
    fc.assert(
      fc.property(streamed, streamed, (a, b) => {
        const sign = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
        // Equal LSNs are one change, so one commit; otherwise both orders point the same way.
        const sameRowOrder = a.commitLsn === null || b.commitLsn === null || sign(a.commitLsn, b.commitLsn) === sign(a.lsn, b.lsn) || (a.commitLsn === b.commitLsn && a.lsn !== b.lsn);
        fc.pre(compareSourcePositions(a, b) !== 'incomparable' && sameRowOrder);
        expect(byteOrder(positionVersion(a), positionVersion(b))).toBe(compareSourcePositions(a, b));
      }),
      { numRuns: 3_000 },
    );
  });

  it('PostgreSQL: interleaved transactions order by commit in compareSourcePositions and by LSN in versions (different rows, never compared)', () => {
    // T1 writes row A at LSN 100; T2 writes row B at 110 and commits at 120; T1 commits at 130. Debezium emits T2 first.
    const t2RowB: SourcePosition = { kind: 'postgres', server: 'pg', snapshot: false, lsn: 110n, commitLsn: 50n };
    const t1RowA: SourcePosition = { kind: 'postgres', server: 'pg', snapshot: false, lsn: 100n, commitLsn: 120n };
    expect(compareSourcePositions(t2RowB, t1RowA)).toBe('older');
    expect(byteOrder(positionVersion(t2RowB), positionVersion(t1RowA))).toBe('newer');
  });

  it('a re-snapshot at a later LSN is newer than a streamed change, as compareSourcePositions says', () => {
    const streamed: SourcePosition = { kind: 'postgres', server: 'pg', snapshot: false, lsn: 500n, commitLsn: 480n };
    const resnapshot: SourcePosition = { kind: 'postgres', server: 'pg', snapshot: true, lsn: 900n, commitLsn: null };
    expect(compareSourcePositions(resnapshot, streamed)).toBe('newer');
    expect(byteOrder(positionVersion(resnapshot), positionVersion(streamed))).toBe('newer');
  });

  it('snapshot rows at one position have equal versions (they apply as upserts), and sort before a streamed change there', () => {
    const row = (s: boolean): SourcePosition => ({ kind: 'mysql', server: 'm', snapshot: s, file: 'mysql-bin.000003', pos: 154, row: 0, gtid: null });
    expect(compareVersions(positionVersion(row(true)), positionVersion(row(true)))).toBe(0);
    expect(compareVersions(positionVersion(row(true)), positionVersion(row(false)))).toBeLessThan(0);
  });

  it('MySQL GTID form: GTID sequence first, then binlog coordinates; positions without a GTID sort first', () => {
    const at = (gtid: string | null, file: string, pos: number): SourcePosition => ({ kind: 'mysql', server: 'm', snapshot: false, file, pos, row: 0, gtid });
    const gtid = (p: SourcePosition) => positionVersion(p, { mysql: 'gtid' });
    // After a failover the new server's binlog restarts at a low file number; the GTID sequence goes on.
    const before = at('0-1-41', 'mysql-bin.000120', 9_000);
    const after = at('0-2-42', 'mysql-bin.000001', 4);
    expect(compareSourcePositions(before, after)).toBe('older');
    expect(byteOrder(gtid(before), gtid(after))).toBe('older');
    expect(byteOrder(positionVersion(before), positionVersion(after))).toBe('newer'); // the binlog form cannot see it
    expect(byteOrder(gtid(at(null, 'mysql-bin.000200', 4)), gtid(before))).toBe('older');
    fc.assert(
      fc.property(fc.tuple(fc.nat(), fc.nat(), fc.nat()), fc.tuple(fc.nat(), fc.nat(), fc.nat()), ([s1, f1, p1], [s2, f2, p2]) => {
        const a = at(`3E11FA47-71CA-11E1-9E33-C80AA9429562:${s1}`, `bin.${f1}`, p1);
        const b = at(`3e11fa47-71ca-11e1-9e33-c80aa9429562:${s2}`, `bin.${f2}`, p2);
        expect(byteOrder(gtid(a), gtid(b))).toBe(compareSourcePositions(a, b));
      }),
    );
  });
});

describe('position versions where positions are incomparable', () => {
  const pg: SourcePosition = { kind: 'postgres', server: 'pg', snapshot: false, lsn: 1n, commitLsn: null };
  const ts: SourcePosition = { kind: 'timestamp', server: 'x', snapshot: false, tsMs: 2e12 };
  const none: SourcePosition = { kind: 'none' };

  it('no position is the single byte 0x00: it sorts before every real position and equals itself', () => {
    expect([...positionVersion(none)]).toEqual([VersionTag.None]);
    expect(compareVersions(positionVersion(none), positionVersion(none))).toBe(0);
    for (const p of [pg, ts]) expect(compareVersions(positionVersion(none), positionVersion(p))).toBeLessThan(0);
  });

  it('exact coordinates beat a timestamp whatever the numbers', () => {
    expect(compareSourcePositions(ts, pg)).toBe('incomparable');
    expect(compareVersions(positionVersion(ts), positionVersion(pg))).toBeLessThan(0);
  });

  it('the logical server name is not part of the version: a renamed connector keeps ordering by coordinates', () => {
    const renamed: SourcePosition = { ...pg, server: 'pg-new', lsn: 2n } as SourcePosition;
    expect(compareSourcePositions(renamed, pg)).toBe('incomparable');
    expect(compareVersions(positionVersion(renamed), positionVersion(pg))).toBeGreaterThan(0);
  });

  it('every version fits the grid: 1 to 1024 bytes', () => {
    const all = fc.oneof(postgresNoCommit as fc.Arbitrary<SourcePosition>, timestamp, mysqlBinlog, sqlserver, fc.constant(none));
    fc.assert(
      fc.property(all, (p) => {
        const v = positionVersion(p);
        expect(v.length).toBeGreaterThanOrEqual(1);
        expect(v.length).toBeLessThanOrEqual(1024);
      }),
    );
  });

  it('coordinates past 64 bits are an UNVERSIONABLE_POSITION error', () => {
    const huge: SourcePosition = { ...pg, lsn: 1n << 64n } as SourcePosition;
    expect(() => positionVersion(huge)).toThrow(expect.objectContaining({ code: 'UNVERSIONABLE_POSITION' }));
  });

  it('reads binlog file numbers and GTID sequences', () => {
    expect(binlogFileNumber('mysql-bin.000003')).toBe(3n);
    expect(binlogFileNumber('binlog')).toBe(0n);
    expect(gtidSequence('0-1-42')).toBe(42n);
    expect(gtidSequence('3e11fa47-71ca-11e1-9e33-c80aa9429562:23')).toBe(23n);
    expect(gtidSequence('3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:7')).toBe(7n);
    expect(gtidSequence(null)).toBe(0n);
  });
});
