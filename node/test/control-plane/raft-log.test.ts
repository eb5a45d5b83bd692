import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/control-plane/raft/log-entry.js';
import { type Configuration, EMPTY_CONFIGURATION } from '../../src/control-plane/raft/membership.js';
import { MemoryRaftStorage } from '../../src/control-plane/raft/persistent-state.js';
import { RaftLog } from '../../src/control-plane/raft/raft-log.js';
import { checkRaftTiming, DEFAULT_RAFT_TIMING } from '../../src/control-plane/raft/raft-timing.js';

const noop = (term: number): LogEntry<string> => ({ kind: 'noop', term });
const config = (term: number, configuration: Configuration): LogEntry<string> => ({ kind: 'configuration', term, configuration });
const initial: Configuration = { voters: ['a'], learners: [] };
const grown: Configuration = { voters: ['a'], learners: ['b'] };

function logOf(entries: LogEntry<string>[]): RaftLog<string> {
  const storage = new MemoryRaftStorage<string>();
  storage.append(entries);
  return new RaftLog(storage, initial);
}

describe('RaftLog', () => {
  it('knows the configuration in force at each index, and finds it again after a restart', () => {
    const log = logOf([noop(1), config(1, grown), noop(2)]);
    expect(log.configurationAt(1)).toBe(initial);
    expect(log.configurationAt(2)).toBe(grown);
    expect(log.latestConfiguration()).toBe(grown);
    expect(log.latestConfigurationIndex()).toBe(2);
  });

  it('falls back to the previous configuration when a conflict truncates the latest', () => {
    const log = logOf([noop(1), config(1, grown)]);
    log.mergeFromLeader(1, [noop(2)], 1);
    expect(log.latestConfiguration()).toBe(initial);
    expect(log.latestConfigurationIndex()).toBe(0);
    expect(log.lastTerm()).toBe(2);
  });

  it('refuses to replace a committed entry', () => {
    const log = logOf([noop(1), noop(1)]);
    expect(() => log.mergeFromLeader(1, [noop(2)], 2)).toThrow(expect.objectContaining({ code: 'COMMITTED_ENTRY_CONFLICT' }));
  });

  it('compares logs by last term, then length (§5.4.1)', () => {
    const log = logOf([noop(1), noop(3)]);
    expect(log.isCandidateUpToDate(3, 2)).toBe(true);
    expect(log.isCandidateUpToDate(3, 1)).toBe(false);
    expect(log.isCandidateUpToDate(4, 1)).toBe(true);
    expect(log.isCandidateUpToDate(2, 9)).toBe(false);
  });

  it('hints no lower than the entry after the commit index', () => {
    const log = logOf([noop(2), noop(2), noop(2), noop(2)]);
    expect(log.retryHint(4, 0)).toBe(1);
    expect(log.retryHint(4, 2)).toBe(3);
  });

  it('starts empty with an empty configuration', () => {
    const log = new RaftLog(new MemoryRaftStorage<string>(), EMPTY_CONFIGURATION);
    expect([log.lastIndex(), log.lastTerm(), log.termAt(0), log.termAt(1)]).toEqual([0, 0, 0, undefined]);
  });
});

describe('checkRaftTiming', () => {
  it('accepts the defaults and refuses a lease longer than the minimum election timeout', () => {
    expect(checkRaftTiming(DEFAULT_RAFT_TIMING)).toBe(DEFAULT_RAFT_TIMING);
    expect(() => checkRaftTiming({ ...DEFAULT_RAFT_TIMING, leaseMs: 1_001 })).toThrow(expect.objectContaining({ code: 'INVALID_RAFT_TIMING' }));
    expect(() => checkRaftTiming({ ...DEFAULT_RAFT_TIMING, electionTimeoutMaxMs: 1_000 })).toThrow(/electionTimeoutMaxMs/);
  });
});
