import type { CommittedEntry } from './log-entry.js';
import type { Configuration, NodeId } from './membership.js';

export const RaftRole = {
  Follower: 'follower',
  PreCandidate: 'pre-candidate',
  Candidate: 'candidate',
  Leader: 'leader',
} as const;
export type RaftRole = (typeof RaftRole)[keyof typeof RaftRole];

/** A node's view of the group at one moment, for the clustering code, `/status` and tests. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly role: RaftRole;
  readonly term: number;
  /** The leader of `term` as far as this node knows (itself when leading). */
  readonly leaderId: NodeId | undefined;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly lastLogIndex: number;
  /** The configuration in force: the latest in the log, committed or not. */
  readonly configuration: Configuration;
  /** A follower's last valid AppendEntries from the current leader, on its own clock. */
  readonly lastLeaderContactAt: number | undefined;
  /**
   * A leader's lease: until then no other node can have been elected, because
   * a quorum heard from this leader recently enough to refuse any vote.
   * Undefined when not leading or before a quorum has answered.
   */
  readonly leaseExpiresAt: number | undefined;
}

/** Where committed entries go, in log order, each exactly once per node lifetime. */
export interface RaftStateMachine<C> {
  apply(entry: CommittedEntry<C>): void;
}

/** Where a proposal landed; it took effect if the entry committed at `index` has this `term`. */
export interface Proposal {
  readonly index: number;
  readonly term: number;
}
