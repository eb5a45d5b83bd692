import type { MonotonicClock } from '../clock.js';
import type { Rng } from '../rng.js';
import { Elections } from './elections.js';
import type { LeaderState, PeerProgress } from './leader-state.js';
import type { LogEntry } from './log-entry.js';
import { LogReplication } from './log-replication.js';
import {
  applyMembershipChange,
  type Configuration,
  DEFAULT_MAX_VOTERS,
  EMPTY_CONFIGURATION,
  type MembershipChange,
  type NodeId,
  peersOf,
} from './membership.js';
import type { RaftStorage } from './persistent-state.js';
import { RaftCore } from './raft-core.js';
import { LeaderNotReadyError, LearnerNotCaughtUpError, MembershipChangePendingError, NotLeaderError } from './raft-errors.js';
import { RaftLog } from './raft-log.js';
import type { RaftMessage, RaftTransport } from './raft-messages.js';
import type { Proposal, RaftStateMachine, RaftStatus } from './raft-status.js';
import { checkRaftTiming, DEFAULT_MAX_ENTRIES_PER_APPEND, DEFAULT_RAFT_TIMING, type RaftTiming } from './raft-timing.js';

export interface RaftNodeOptions<C> {
  readonly id: NodeId;
  readonly clock: MonotonicClock;
  readonly rng: Rng;
  readonly transport: RaftTransport<C>;
  readonly storage: RaftStorage<C>;
  readonly stateMachine: RaftStateMachine<C>;
  /**
   * The configuration while the log holds none. Founding voters are all given
   * the same one; a node joining later gets none (the default) and waits for
   * a leader to add it as a learner.
   */
  readonly initialConfiguration?: Configuration;
  readonly timing?: RaftTiming;
  /** Ask before campaigning (dissertation §9.6). On by default. */
  readonly preVote?: boolean;
  readonly maxVoters?: number;
  /** Most entries in one AppendEntries: bounds a catching-up learner's messages. */
  readonly maxEntriesPerAppend?: number;
  /** Called after any input that changed the role, the term or the known leader. */
  readonly onStatusChange?: (status: RaftStatus) => void;
}

/**
 * One member of a Raft group (Ongaro & Ousterhout, with the dissertation's
 * single-server membership changes, learners, PreVote, and check-quorum with
 * leader stickiness). It never reads a real clock or sets a timer: the owner
 * calls `tick()` (at `nextDeadline()` or on a short interval), hands it every
 * message addressed to it with `receive()`, and proposes through `propose()`
 * and `changeMembership()`. Outbound messages go to the transport and
 * committed entries to the state machine, synchronously, before the call returns.
 *
 * Elections and log replication live in their own classes acting on a shared
 * `RaftCore`; this class is the owner's entry point and reports status changes.
 */
export class RaftNode<C> {
  readonly id: NodeId;
  private readonly clock: MonotonicClock;
  private readonly maxVoters: number;
  private readonly onStatusChange: ((status: RaftStatus) => void) | undefined;
  private readonly core: RaftCore<C>;
  private readonly logReplication: LogReplication<C>;
  private readonly elections: Elections<C>;
  private notified = '';

  constructor(options: RaftNodeOptions<C>) {
    this.id = options.id;
    this.clock = options.clock;
    this.maxVoters = options.maxVoters ?? DEFAULT_MAX_VOTERS;
    this.onStatusChange = options.onStatusChange;
    const timing = checkRaftTiming(options.timing ?? DEFAULT_RAFT_TIMING);
    const log = new RaftLog(options.storage, options.initialConfiguration ?? EMPTY_CONFIGURATION);
    const { id, clock, rng, transport, storage } = options;
    this.core = new RaftCore({ id, clock, rng, transport, storage, log, timing });
    this.logReplication = new LogReplication(this.core, options.stateMachine, options.maxEntriesPerAppend ?? DEFAULT_MAX_ENTRIES_PER_APPEND);
    this.elections = new Elections(this.core, options.preVote ?? true, this.logReplication);
    this.notified = this.statusKey();
  }

  /** Acts on elapsed time: campaigns after an election timeout, sends heartbeats, steps down without a quorum. */
  tick(): void {
    const now = this.clock.now();
    const role = this.core.role;
    if (role.kind === 'leader') {
      this.logReplication.tickLeader(now, role.replication);
    } else if (now >= this.core.electionDeadline) {
      this.elections.onElectionTimeout(now);
    }
    this.notifyIfChanged();
  }

  /** The earliest clock time at which `tick()` has something to do. */
  nextDeadline(): number {
    const role = this.core.role;
    if (role.kind !== 'leader') return this.core.electionDeadline;
    return Math.min(role.replication.heartbeatDueAt, this.logReplication.checkQuorumDeadline(role.replication, this.clock.now()));
  }

  /** Handles one message from a peer. Messages for another node are ignored. */
  receive(message: RaftMessage<C>): void {
    if (message.to !== this.id || message.from === this.id) return;
    const now = this.clock.now();
    switch (message.kind) {
      case 'pre-vote-request':
        this.elections.onPreVoteRequest(message, now);
        break;
      case 'pre-vote-response':
        this.elections.onPreVoteResponse(message, now);
        break;
      case 'vote-request':
        this.elections.onVoteRequest(message, now);
        break;
      case 'vote-response':
        this.elections.onVoteResponse(message, now);
        break;
      case 'append-entries-request':
        this.logReplication.onAppendEntries(message, now);
        break;
      case 'append-entries-response':
        this.logReplication.onAppendEntriesResponse(message, now);
        break;
    }
    this.notifyIfChanged();
  }

  /** Appends `command` to the log; throws `NotLeaderError` unless leading. It may still be lost if leadership is. */
  propose(command: C): Proposal {
    const leader = this.requireLeader();
    const index = this.core.log.appendNew({ kind: 'command', term: this.core.term, command });
    this.logReplication.replicateNew(index, leader, this.clock.now());
    return { index, term: this.core.term };
  }

  /**
   * Appends one single-server configuration change, in force from then on
   * (dissertation §4.1). Refused while the previous change is uncommitted,
   * and until this leader has committed an entry of its own term: without
   * that, a change could be decided by a majority of a configuration an
   * earlier leader was replacing (Ongaro's 2015 correction).
   */
  changeMembership(change: MembershipChange): Proposal {
    const leader = this.requireLeader();
    const core = this.core;
    if (core.log.termAt(core.commitIndex) !== core.term) throw new LeaderNotReadyError();
    const pendingIndex = core.log.latestConfigurationIndex();
    if (pendingIndex > core.commitIndex) throw new MembershipChangePendingError(pendingIndex);
    const configuration = applyMembershipChange(core.log.latestConfiguration(), change, this.maxVoters);
    if (change.kind === 'promote') {
      const matchIndex = leader.progressOf(change.node)?.matchIndex ?? 0;
      if (matchIndex < core.commitIndex) throw new LearnerNotCaughtUpError(change.node, matchIndex, core.commitIndex);
    }
    const index = core.log.appendNew({ kind: 'configuration', term: core.term, configuration });
    leader.syncPeers(peersOf(configuration, this.id), index);
    this.logReplication.replicateNew(index, leader, this.clock.now());
    this.notifyIfChanged();
    return { index, term: core.term };
  }

  status(): RaftStatus {
    const now = this.clock.now();
    const { role, log } = this.core;
    const configuration = log.latestConfiguration();
    const leaderId = role.kind === 'leader' ? this.id : role.kind === 'follower' ? role.leaderId : undefined;
    const contactAt = role.kind === 'leader' ? role.replication.quorumContactAt(configuration.voters, this.id, now) : -Infinity;
    return {
      id: this.id,
      role: role.kind,
      term: this.core.term,
      leaderId,
      commitIndex: this.core.commitIndex,
      lastApplied: this.core.lastApplied,
      lastLogIndex: log.lastIndex(),
      configuration,
      lastLeaderContactAt: role.kind === 'follower' && role.leaderId !== undefined ? this.core.heardFromLeaderAt : undefined,
      leaseExpiresAt: Number.isFinite(contactAt) ? contactAt + this.core.timing.leaseMs : undefined,
    };
  }

  /** True while this node leads under a valid lease (see `RaftStatus.leaseExpiresAt`). */
  hasLease(): boolean {
    const expiresAt = this.status().leaseExpiresAt;
    return expiresAt !== undefined && this.clock.now() < expiresAt;
  }

  /** The leader's view of each peer's replication and liveness; empty unless leading. */
  peerProgress(): PeerProgress[] {
    const role = this.core.role;
    return role.kind === 'leader' ? role.replication.snapshot() : [];
  }

  /** The entry at `index`, for inspection; the state machine receives committed ones anyway. */
  entryAt(index: number): LogEntry<C> | undefined {
    return this.core.log.entryAt(index);
  }

  private requireLeader(): LeaderState {
    const role = this.core.role;
    if (role.kind === 'leader') return role.replication;
    throw new NotLeaderError(role.kind === 'follower' ? role.leaderId : undefined);
  }

  private statusKey(): string {
    const { role, term } = this.core;
    return `${role.kind}|${term}|${role.kind === 'follower' ? (role.leaderId ?? '') : ''}`;
  }

  private notifyIfChanged(): void {
    const key = this.statusKey();
    if (key === this.notified) return;
    this.notified = key;
    this.onStatusChange?.(this.status());
  }
}
