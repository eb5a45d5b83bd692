import { describe, expect, it } from 'vitest';
import { applyMembershipChange, type Configuration } from '../../src/control-plane/raft/membership.js';
import { seededRng } from '../../src/control-plane/rng.js';

const base: Configuration = { voters: ['a', 'b'], learners: ['c'] };

describe('applyMembershipChange', () => {
  it('changes the voter set by at most one server', () => {
    expect(applyMembershipChange(base, { kind: 'add-learner', node: 'd' })).toEqual({ voters: ['a', 'b'], learners: ['c', 'd'] });
    expect(applyMembershipChange(base, { kind: 'promote', node: 'c' })).toEqual({ voters: ['a', 'b', 'c'], learners: [] });
    expect(applyMembershipChange(base, { kind: 'demote', node: 'a' })).toEqual({ voters: ['b'], learners: ['c', 'a'] });
    expect(applyMembershipChange(base, { kind: 'remove', node: 'b' })).toEqual({ voters: ['a'], learners: ['c'] });
    expect(applyMembershipChange(base, { kind: 'remove', node: 'c' })).toEqual({ voters: ['a', 'b'], learners: [] });
  });

  it('never removes or demotes the last voter, nor exceeds the voter cap', () => {
    const single: Configuration = { voters: ['a'], learners: ['c'] };
    expect(() => applyMembershipChange(single, { kind: 'remove', node: 'a' })).toThrow(expect.objectContaining({ code: 'INVALID_MEMBERSHIP_CHANGE' }));
    expect(() => applyMembershipChange(single, { kind: 'demote', node: 'a' })).toThrow(/last voter/);
    expect(() => applyMembershipChange(base, { kind: 'promote', node: 'c' }, 2)).toThrow(/most allowed is 2/);
  });
});

describe('seededRng', () => {
  it('replays the same sequence for the same seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((rng) => () => rng.next())(seededRng(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
