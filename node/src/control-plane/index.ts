export { type MonotonicClock, monotonicClock } from './clock.js';
export { type Rng, systemRng, seededRng } from './rng.js';
export type { LogEntry, CommittedEntry } from './raft/log-entry.js';
export {
  type Configuration,
  type MembershipChange,
  type NodeId,
  EMPTY_CONFIGURATION,
  DEFAULT_MAX_VOTERS,
  applyMembershipChange,
  describeConfiguration,
  isLearner,
  isMember,
  isVoter,
} from './raft/membership.js';
export { type HardState, type RaftStorage, MemoryRaftStorage } from './raft/persistent-state.js';
export {
  RaftError,
  RaftErrorCode,
  NotLeaderError,
  LeaderNotReadyError,
  MembershipChangePendingError,
  InvalidMembershipChangeError,
  LearnerNotCaughtUpError,
} from './raft/raft-errors.js';
export { type RaftMessage, type RaftTransport, describeRaftMessage } from './raft/raft-messages.js';
export { RaftNode, type RaftNodeOptions } from './raft/raft-node.js';
export { RaftRole, type RaftStatus, type RaftStateMachine, type Proposal } from './raft/raft-status.js';
export { type RaftTiming, DEFAULT_RAFT_TIMING } from './raft/raft-timing.js';
export type { PeerProgress } from './raft/leader-state.js';
