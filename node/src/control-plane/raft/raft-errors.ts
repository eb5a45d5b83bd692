import type { NodeId } from './membership.js';

/** Stable codes of the Raft core's refusals: callers branch on these, never on message text. */
export const RaftErrorCode = {
  /** Only the leader takes proposals; `leaderHint` names the leader this node believes in, if any. */
  NotLeader: 'NOT_LEADER',
  /** A new leader must commit an entry of its own term before changing membership (see `RaftNode.changeMembership`). */
  LeaderNotReady: 'LEADER_NOT_READY',
  /** The previous membership change is not committed yet; one change at a time. */
  MembershipChangePending: 'MEMBERSHIP_CHANGE_PENDING',
  /** The change does not apply to the current configuration (unknown node, last voter, too many voters...). */
  InvalidMembershipChange: 'INVALID_MEMBERSHIP_CHANGE',
  /** A learner is promoted only once its log holds everything committed, so it cannot stall commits. */
  LearnerNotCaughtUp: 'LEARNER_NOT_CAUGHT_UP',
} as const;
export type RaftErrorCode = (typeof RaftErrorCode)[keyof typeof RaftErrorCode];

/** Base of the Raft core's refusals; each carries a stable `code`. All are safe to retry later. */
export class RaftError extends Error {
  readonly code: RaftErrorCode;

  constructor(code: RaftErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

export class NotLeaderError extends RaftError {
  readonly leaderHint: NodeId | undefined;

  constructor(leaderHint: NodeId | undefined) {
    super(RaftErrorCode.NotLeader, leaderHint === undefined ? 'not the leader; no leader known' : `not the leader; try ${leaderHint}`);
    this.leaderHint = leaderHint;
  }
}

export class LeaderNotReadyError extends RaftError {
  constructor() {
    super(RaftErrorCode.LeaderNotReady, 'the leader has not yet committed an entry of its term');
  }
}

export class MembershipChangePendingError extends RaftError {
  constructor(pendingIndex: number) {
    super(RaftErrorCode.MembershipChangePending, `the membership change at index ${pendingIndex} is not committed yet`);
  }
}

export class InvalidMembershipChangeError extends RaftError {
  constructor(reason: string) {
    super(RaftErrorCode.InvalidMembershipChange, reason);
  }
}

export class LearnerNotCaughtUpError extends RaftError {
  constructor(learner: NodeId, matchIndex: number, commitIndex: number) {
    super(RaftErrorCode.LearnerNotCaughtUp, `learner ${learner} holds up to index ${matchIndex}, the commit index is ${commitIndex}`);
  }
}
