/**
 * Timing of a Raft group, in milliseconds of the injected clock. The lease
 * must not exceed the minimum election timeout: a follower refuses to vote
 * for that long after hearing from the leader, and that refusal is what
 * makes the lease safe. Keep a margin for clock-rate drift in production.
 */
export interface RaftTiming {
  readonly heartbeatIntervalMs: number;
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  readonly leaseMs: number;
}

export const DEFAULT_RAFT_TIMING = {
  heartbeatIntervalMs: 100,
  electionTimeoutMinMs: 1_000,
  electionTimeoutMaxMs: 2_000,
  leaseMs: 900,
} as const satisfies RaftTiming;

export const DEFAULT_MAX_ENTRIES_PER_APPEND = 64;

export class InvalidRaftTimingError extends Error {
  readonly code = 'INVALID_RAFT_TIMING';

  override get name(): string {
    return this.constructor.name;
  }
}

export function checkRaftTiming(timing: RaftTiming): RaftTiming {
  const { heartbeatIntervalMs, electionTimeoutMinMs, electionTimeoutMaxMs, leaseMs } = timing;
  if (!(heartbeatIntervalMs > 0)) throw new InvalidRaftTimingError('heartbeatIntervalMs must be positive');
  if (!(electionTimeoutMinMs > heartbeatIntervalMs)) throw new InvalidRaftTimingError('electionTimeoutMinMs must exceed heartbeatIntervalMs');
  if (!(electionTimeoutMaxMs > electionTimeoutMinMs)) throw new InvalidRaftTimingError('electionTimeoutMaxMs must exceed electionTimeoutMinMs');
  if (!(leaseMs >= 0 && leaseMs <= electionTimeoutMinMs)) throw new InvalidRaftTimingError('leaseMs must be between 0 and electionTimeoutMinMs');
  return timing;
}
