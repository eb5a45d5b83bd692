import { describe, expect, it } from 'vitest';
import { movedPrimaryShare, placePartitions } from '../../src/cluster/placement.js';

const members = (n: number) => Array.from({ length: n }, (_, i) => `node-${i + 1}`);

describe('placePartitions', () => {
  it('gives each partition a primary and distinct backups, the same for any member order', () => {
    const placements = placePartitions(members(5), 1024, 2);
    for (const { primary, backups } of placements) {
      expect(new Set([primary, ...backups]).size).toBe(3);
    }
    expect(placePartitions([...members(5)].reverse(), 1024, 2)).toEqual(placements);
  });

  it('spreads primaries evenly enough', () => {
    const counts = new Map<string, number>();
    for (const { primary } of placePartitions(members(4), 1024, 1)) counts.set(primary, (counts.get(primary) ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThan(1024 / 4 / 2);
  });

  it('uses every member when there are fewer members than copies', () => {
    expect(placePartitions(['a'], 4, 2)).toEqual(Array(4).fill({ primary: 'a', backups: [] }));
    for (const { primary, backups } of placePartitions(['a', 'b'], 16, 3)) expect([primary, ...backups].sort()).toEqual(['a', 'b']);
  });

  it.each([1, 2, 3, 4, 7])('moves about 1/(N+1) of the primaries when one member joins %i', (n) => {
    const share = movedPrimaryShare(placePartitions(members(n), 1024, 1), placePartitions(members(n + 1), 1024, 1));
    const ideal = 1 / (n + 1);
    expect(share).toBeGreaterThan(ideal * 0.5);
    expect(share).toBeLessThan(ideal * 1.6);
  });

  it('moves only the primaries of a member that leaves', () => {
    const before = placePartitions(members(5), 1024, 1);
    const after = placePartitions(members(5).filter((m) => m !== 'node-3'), 1024, 1);
    before.forEach((placement, i) => {
      if (placement.primary !== 'node-3') expect(after[i]!.primary).toBe(placement.primary);
    });
  });
});
