import type { MonotonicClock } from '../clock.js';
import { randomBetween, type Rng } from '../rng.js';
import { LeaderState, type PeerProgress } from './leader-state.js';
import type { LogEntry } from './log-entry.js';
import {
  applyMembershipChange,
  type Configuration,
  DEFAULT_MAX_VOTERS,
  EMPTY_CONFIGURATION,
  isVoter,
  type MembershipChange,
  type NodeId,
  peersOf,
} from './membership.js';
import type { RaftStorage } from './persistent-state.js';
import { LeaderNotReadyError, LearnerNotCaughtUpError, MembershipChangePendingError, NotLeaderError } from './raft-errors.js';
import { RaftLog } from './raft-log.js';
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  PreVoteRequest,
  PreVoteResponse,
  RaftMessage,
  RaftTransport,
  VoteRequest,
  VoteResponse,
} from './raft-messages.js';
import type { Proposal, RaftStateMachine, RaftStatus } from './raft-status.js';
import { checkRaftTiming, DEFAULT_MAX_ENTRIES_PER_APPEND, DEFAULT_RAFT_TIMING, type RaftTiming } from './raft-timing.js';
import { VoteTally } from './vote-tally.js';

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

type RoleState =
  | { readonly kind: 'follower'; readonly leaderId: NodeId | undefined }
  | { readonly kind: 'pre-candidate'; readonly votes: VoteTally }
  | { readonly kind: 'candidate'; readonly votes: VoteTally }
  | { readonly kind: 'leader'; readonly replication: LeaderState };

/**
 * One member of a Raft group (Ongaro & Ousterhout, with the dissertation's
 * single-server membership changes, learners, PreVote, and check-quorum with
 * leader stickiness). It never reads a real clock or sets a timer: the owner
 * calls `tick()` (at `nextDeadline()` or on a short interval), hands it every
 * message addressed to it with `receive()`, and proposes through `propose()`
 * and `changeMembership()`. Outbound messages go to the transport and
 * committed entries to the state machine, synchronously, before the call returns.
 */
export class RaftNode<C> {
  readonly id: NodeId;
  private readonly clock: MonotonicClock;
  private readonly rng: Rng;
  private readonly transport: RaftTransport<C>;
  private readonly storage: RaftStorage<C>;
  private readonly stateMachine: RaftStateMachine<C>;
  private readonly timing: RaftTiming;
  private readonly preVote: boolean;
  private readonly maxVoters: number;
  private readonly maxEntriesPerAppend: number;
  private readonly onStatusChange: ((status: RaftStatus) => void) | undefined;
  private readonly log: RaftLog<C>;

  private term: number;
  private votedFor: NodeId | undefined;
  private role: RoleState = { kind: 'follower', leaderId: undefined };
  private commitIndex = 0;
  private lastApplied = 0;
  private electionDeadline = 0;
  private heardFromLeaderAt: number;
  private notified = '';

  constructor(options: RaftNodeOptions<C>) {
    this.id = options.id;
    this.clock = options.clock;
    this.rng = options.rng;
    this.transport = options.transport;
    this.storage = options.storage;
    this.stateMachine = options.stateMachine;
    this.timing = checkRaftTiming(options.timing ?? DEFAULT_RAFT_TIMING);
    this.preVote = options.preVote ?? true;
    this.maxVoters = options.maxVoters ?? DEFAULT_MAX_VOTERS;
    this.maxEntriesPerAppend = options.maxEntriesPerAppend ?? DEFAULT_MAX_ENTRIES_PER_APPEND;
    this.onStatusChange = options.onStatusChange;
    this.log = new RaftLog(options.storage, options.initialConfiguration ?? EMPTY_CONFIGURATION);
    const hardState = options.storage.readHardState();
    this.term = hardState.currentTerm;
    this.votedFor = hardState.votedFor;
    const now = this.clock.now();
    // A restarted node forgot when it last heard from a leader; counting the
    // restart as such contact keeps it from voting within a lease it may have
    // helped grant before the crash.
    this.heardFromLeaderAt = now;
    this.resetElectionTimer(now);
    this.notified = this.statusKey();
  }

  /** Acts on elapsed time: campaigns after an election timeout, sends heartbeats, steps down without a quorum. */
  tick(): void {
    const now = this.clock.now();
    if (this.role.kind === 'leader') {
      this.tickLeader(now, this.role.replication);
    } else if (now >= this.electionDeadline) {
      this.resetElectionTimer(now);
      if (this.mayCampaign()) this.campaign(now);
    }
    this.notifyIfChanged();
  }

  /** The earliest clock time at which `tick()` has something to do. */
  nextDeadline(): number {
    if (this.role.kind !== 'leader') return this.electionDeadline;
    return Math.min(this.role.replication.heartbeatDueAt, this.checkQuorumDeadline(this.role.replication, this.clock.now()));
  }

  /** Handles one message from a peer. Messages for another node are ignored. */
  receive(message: RaftMessage<C>): void {
    if (message.to !== this.id || message.from === this.id) return;
    const now = this.clock.now();
    switch (message.kind) {
      case 'pre-vote-request':
        this.onPreVoteRequest(message, now);
        break;
      case 'pre-vote-response':
        this.onPreVoteResponse(message, now);
        break;
      case 'vote-request':
        this.onVoteRequest(message, now);
        break;
      case 'vote-response':
        this.onVoteResponse(message, now);
        break;
      case 'append-entries-request':
        this.onAppendEntries(message, now);
        break;
      case 'append-entries-response':
        this.onAppendEntriesResponse(message, now);
        break;
    }
    this.notifyIfChanged();
  }

  /** Appends `command` to the log; throws `NotLeaderError` unless leading. It may still be lost if leadership is. */
  propose(command: C): Proposal {
    const replication = this.requireLeader();
    const index = this.log.appendNew({ kind: 'command', term: this.term, command });
    this.replicateNew(index, replication, this.clock.now());
    return { index, term: this.term };
  }

  /**
   * Appends one single-server configuration change, in force from then on
   * (dissertation §4.1). Refused while the previous change is uncommitted,
   * and until this leader has committed an entry of its own term: without
   * that, a change could be decided by a majority of a configuration an
   * earlier leader was replacing (Ongaro's 2015 correction).
   */
  changeMembership(change: MembershipChange): Proposal {
    const replication = this.requireLeader();
    if (this.log.termAt(this.commitIndex) !== this.term) throw new LeaderNotReadyError();
    const pendingIndex = this.log.latestConfigurationIndex();
    if (pendingIndex > this.commitIndex) throw new MembershipChangePendingError(pendingIndex);
    const configuration = applyMembershipChange(this.log.latestConfiguration(), change, this.maxVoters);
    if (change.kind === 'promote') {
      const matchIndex = replication.progressOf(change.node)?.matchIndex ?? 0;
      if (matchIndex < this.commitIndex) throw new LearnerNotCaughtUpError(change.node, matchIndex, this.commitIndex);
    }
    const index = this.log.appendNew({ kind: 'configuration', term: this.term, configuration });
    replication.syncPeers(peersOf(configuration, this.id), index);
    this.replicateNew(index, replication, this.clock.now());
    this.notifyIfChanged();
    return { index, term: this.term };
  }

  status(): RaftStatus {
    const now = this.clock.now();
    const role = this.role;
    const configuration = this.log.latestConfiguration();
    const leaderId = role.kind === 'leader' ? this.id : role.kind === 'follower' ? role.leaderId : undefined;
    const contactAt = role.kind === 'leader' ? role.replication.quorumContactAt(configuration.voters, this.id, now) : -Infinity;
    return {
      id: this.id,
      role: role.kind,
      term: this.term,
      leaderId,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      lastLogIndex: this.log.lastIndex(),
      configuration,
      lastLeaderContactAt: role.kind === 'follower' && role.leaderId !== undefined ? this.heardFromLeaderAt : undefined,
      leaseExpiresAt: Number.isFinite(contactAt) ? contactAt + this.timing.leaseMs : undefined,
    };
  }

  /** True while this node leads under a valid lease (see `RaftStatus.leaseExpiresAt`). */
  hasLease(): boolean {
    const expiresAt = this.status().leaseExpiresAt;
    return expiresAt !== undefined && this.clock.now() < expiresAt;
  }

  /** The leader's view of each peer's replication and liveness; empty unless leading. */
  peerProgress(): PeerProgress[] {
    return this.role.kind === 'leader' ? this.role.replication.snapshot() : [];
  }

  /** The entry at `index`, for inspection; the state machine receives committed ones anyway. */
  entryAt(index: number): LogEntry<C> | undefined {
    return this.log.entryAt(index);
  }

  // --- elections -----------------------------------------------------------

  /**
   * A voter campaigns; so does a node the latest change removed or demoted
   * while it may be uncommitted, since the configuration being left may still
   * need it to elect anyone (§4.2.2). After a restart the commit index is
   * unknown, so the previous configuration counts until a leader says more.
   */
  private mayCampaign(): boolean {
    if (isVoter(this.log.latestConfiguration(), this.id)) return true;
    const latestIndex = this.log.latestConfigurationIndex();
    return latestIndex > this.commitIndex && isVoter(this.log.configurationAt(latestIndex - 1), this.id);
  }

  private campaign(now: number): void {
    if (this.preVote) this.startPreVote(now);
    else this.startElection(now);
  }

  private startPreVote(now: number): void {
    const votes = new VoteTally(this.log.latestConfiguration().voters);
    votes.grant(this.id);
    this.role = { kind: 'pre-candidate', votes };
    if (votes.won()) return this.startElection(now);
    this.sendToVoters((to) => ({ kind: 'pre-vote-request', from: this.id, to, term: this.term + 1, ...this.lastLogPosition() }));
  }

  private startElection(now: number): void {
    this.term += 1;
    this.votedFor = this.id;
    this.persistHardState();
    this.resetElectionTimer(now);
    const votes = new VoteTally(this.log.latestConfiguration().voters);
    votes.grant(this.id);
    this.role = { kind: 'candidate', votes };
    if (votes.won()) return this.becomeLeader(now);
    this.sendToVoters((to) => ({ kind: 'vote-request', from: this.id, to, term: this.term, ...this.lastLogPosition() }));
  }

  /**
   * Leader stickiness (§4.2.3): while a leader is alive, a request to elect
   * another is ignored outright, term included. This is also what makes the
   * leader's lease sound.
   */
  private hearsFromLeader(now: number): boolean {
    return this.role.kind === 'leader' || now < this.heardFromLeaderAt + this.timing.electionTimeoutMinMs;
  }

  private onPreVoteRequest(request: PreVoteRequest, now: number): void {
    const granted =
      request.term > this.term && !this.hearsFromLeader(now) && this.log.isCandidateUpToDate(request.lastLogTerm, request.lastLogIndex);
    // A grant answers in the asked-for term so the pre-candidate can tell it from a stale one; nothing here changes our state.
    this.send({ kind: 'pre-vote-response', from: this.id, to: request.from, term: granted ? request.term : this.term, granted });
  }

  private onPreVoteResponse(response: PreVoteResponse, now: number): void {
    if (!response.granted) {
      if (response.term > this.term) this.becomeFollower(now, response.term, undefined);
      return;
    }
    if (this.role.kind !== 'pre-candidate' || response.term !== this.term + 1) return;
    this.role.votes.grant(response.from);
    if (this.role.votes.won()) this.startElection(now);
  }

  private onVoteRequest(request: VoteRequest, now: number): void {
    if (request.term > this.term && this.hearsFromLeader(now)) return;
    if (request.term > this.term) this.becomeFollower(now, request.term, undefined);
    const granted =
      request.term === this.term &&
      (this.votedFor === undefined || this.votedFor === request.from) &&
      this.log.isCandidateUpToDate(request.lastLogTerm, request.lastLogIndex);
    if (granted) {
      this.votedFor = request.from;
      this.persistHardState();
      this.resetElectionTimer(now);
    }
    this.send({ kind: 'vote-response', from: this.id, to: request.from, term: this.term, granted });
  }

  private onVoteResponse(response: VoteResponse, now: number): void {
    if (response.term > this.term) return this.becomeFollower(now, response.term, undefined);
    if (this.role.kind !== 'candidate' || response.term !== this.term || !response.granted) return;
    this.role.votes.grant(response.from);
    if (this.role.votes.won()) this.becomeLeader(now);
  }

  private becomeLeader(now: number): void {
    const replication = new LeaderState(now, peersOf(this.log.latestConfiguration(), this.id), this.log.lastIndex() + 1);
    this.role = { kind: 'leader', replication };
    this.log.appendNew({ kind: 'noop', term: this.term });
    if (!this.advanceCommit(replication, now)) this.broadcastAppend(replication, now);
  }

  private becomeFollower(now: number, term: number, leaderId: NodeId | undefined): void {
    if (term > this.term) {
      this.term = term;
      this.votedFor = undefined;
      this.persistHardState();
    }
    // Only a deposed leader needs a fresh timer; resetting on every higher
    // term would let a hopeless candidate keep everyone else from campaigning.
    if (this.role.kind === 'leader') this.resetElectionTimer(now);
    this.role = { kind: 'follower', leaderId };
  }

  // --- replication, follower side -------------------------------------------

  private onAppendEntries(request: AppendEntriesRequest<C>, now: number): void {
    if (request.term < this.term) return this.answerAppend(request, false, 0, 0);
    // Another leader of our own term cannot exist; if a broken peer claims to be one, it is not followed.
    if (this.role.kind === 'leader' && request.term === this.term) return;
    if (request.term > this.term || this.role.kind !== 'follower' || this.role.leaderId !== request.from) {
      this.becomeFollower(now, request.term, request.from);
    }
    this.heardFromLeaderAt = now;
    this.resetElectionTimer(now);
    if (!this.log.matches(request.prevLogIndex, request.prevLogTerm)) {
      return this.answerAppend(request, false, 0, this.log.retryHint(request.prevLogIndex, this.commitIndex));
    }
    const lastNewIndex = this.log.mergeFromLeader(request.prevLogIndex, request.entries, this.commitIndex);
    // Only up to what this request vouched for: entries past it may be a deposed leader's leftovers.
    const commitIndex = Math.min(request.leaderCommit, lastNewIndex);
    if (commitIndex > this.commitIndex) this.commitUpTo(commitIndex);
    this.answerAppend(request, true, lastNewIndex, 0);
  }

  private answerAppend(request: AppendEntriesRequest<C>, success: boolean, matchIndex: number, retryIndex: number): void {
    this.send({
      kind: 'append-entries-response',
      from: this.id,
      to: request.from,
      term: this.term,
      success,
      prevLogIndex: request.prevLogIndex,
      matchIndex,
      retryIndex,
      sentAt: request.sentAt,
    });
  }

  // --- replication, leader side ---------------------------------------------

  private tickLeader(now: number, replication: LeaderState): void {
    if (now >= this.checkQuorumDeadline(replication, now)) return this.stepDown(now);
    if (now >= replication.heartbeatDueAt) this.broadcastAppend(replication, now);
  }

  /** Check-quorum: a leader no quorum has answered for an election timeout steps down, as its followers may be electing another. */
  private checkQuorumDeadline(replication: LeaderState, now: number): number {
    const contactAt = replication.quorumContactAt(this.log.latestConfiguration().voters, this.id, now);
    return Math.max(replication.electedAt, contactAt) + this.timing.electionTimeoutMinMs;
  }

  private onAppendEntriesResponse(response: AppendEntriesResponse, now: number): void {
    if (response.term > this.term) return this.becomeFollower(now, response.term, undefined);
    if (this.role.kind !== 'leader' || response.term !== this.term) return;
    const replication = this.role.replication;
    const progress = replication.progressOf(response.from);
    if (progress === undefined) return;
    progress.lastAckedSentAt = Math.max(progress.lastAckedSentAt, response.sentAt);
    if (response.success) {
      if (response.matchIndex <= progress.matchIndex) return;
      progress.matchIndex = response.matchIndex;
      progress.nextIndex = Math.max(progress.nextIndex, response.matchIndex + 1);
      const broadcast = this.advanceCommit(replication, now);
      if (!broadcast && progress.nextIndex <= this.log.lastIndex()) this.sendAppend(response.from, replication, now);
    } else if (response.prevLogIndex === progress.nextIndex - 1) {
      // Answers to older probes are ignored, or a duplicated rejection would send nextIndex back twice.
      progress.nextIndex = Math.max(progress.matchIndex + 1, Math.min(response.retryIndex, response.prevLogIndex));
      this.sendAppend(response.from, replication, now);
    }
  }

  /** Sends a just-appended entry to the peers that hold everything before it; the rest get it as they catch up. */
  private replicateNew(index: number, replication: LeaderState, now: number): void {
    if (this.advanceCommit(replication, now)) return;
    for (const peer of replication.peers()) {
      if (replication.progressOf(peer)?.nextIndex === index) this.sendAppend(peer, replication, now);
    }
  }

  private broadcastAppend(replication: LeaderState, now: number): void {
    for (const peer of replication.peers()) this.sendAppend(peer, replication, now);
    replication.heartbeatDueAt = now + this.timing.heartbeatIntervalMs;
  }

  private sendAppend(peer: NodeId, replication: LeaderState, now: number): void {
    const progress = replication.progressOf(peer);
    if (progress === undefined) return;
    const prevLogIndex = progress.nextIndex - 1;
    const prevLogTerm = this.log.termAt(prevLogIndex);
    if (prevLogTerm === undefined) throw new Error(`nextIndex ${progress.nextIndex} of ${peer} is past the log's end ${this.log.lastIndex()}`);
    this.send({
      kind: 'append-entries-request',
      from: this.id,
      to: peer,
      term: this.term,
      prevLogIndex,
      prevLogTerm,
      entries: this.log.slice(progress.nextIndex, this.maxEntriesPerAppend),
      leaderCommit: this.commitIndex,
      sentAt: now,
    });
  }

  /**
   * Commits the highest index a quorum holds, but only if it is of this term
   * (§5.4.2, Figure 8): an older entry on a majority can still be overwritten,
   * and is committed indirectly by the entry of this term that follows it.
   */
  private advanceCommit(replication: LeaderState, now: number): boolean {
    const voters = this.log.latestConfiguration().voters;
    const quorumIndex = replication.quorumMatchIndex(voters, this.id, this.log.lastIndex());
    if (quorumIndex <= this.commitIndex || this.log.termAt(quorumIndex) !== this.term) return false;
    this.commitUpTo(quorumIndex);
    // Tells followers at once rather than at the next heartbeat: they apply partition maps too.
    this.broadcastAppend(replication, now);
    // A leader that committed its own removal or demotion hands over (§4.2.2), once followers have heard of the commit.
    if (!isVoter(this.log.configurationAt(this.commitIndex), this.id)) this.stepDown(now);
    return true;
  }

  private commitUpTo(index: number): void {
    this.commitIndex = index;
    while (this.lastApplied < this.commitIndex) {
      const entry = this.log.entryAt(this.lastApplied + 1);
      if (entry === undefined) throw new Error(`committed entry ${this.lastApplied + 1} is missing`);
      this.lastApplied += 1;
      this.stateMachine.apply({ ...entry, index: this.lastApplied });
    }
  }

  private stepDown(now: number): void {
    this.becomeFollower(now, this.term, undefined);
  }

  // --- plumbing -------------------------------------------------------------

  private requireLeader(): LeaderState {
    if (this.role.kind === 'leader') return this.role.replication;
    throw new NotLeaderError(this.role.kind === 'follower' ? this.role.leaderId : undefined);
  }

  private lastLogPosition(): { lastLogIndex: number; lastLogTerm: number } {
    return { lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
  }

  private sendToVoters(build: (to: NodeId) => RaftMessage<C>): void {
    for (const voter of this.log.latestConfiguration().voters) if (voter !== this.id) this.send(build(voter));
  }

  private send(message: RaftMessage<C>): void {
    this.transport.send(message);
  }

  private persistHardState(): void {
    this.storage.writeHardState({ currentTerm: this.term, votedFor: this.votedFor });
  }

  private resetElectionTimer(now: number): void {
    this.electionDeadline = now + randomBetween(this.rng, this.timing.electionTimeoutMinMs, this.timing.electionTimeoutMaxMs);
  }

  private statusKey(): string {
    const role = this.role;
    return `${role.kind}|${this.term}|${role.kind === 'follower' ? (role.leaderId ?? '') : ''}`;
  }

  private notifyIfChanged(): void {
    const key = this.statusKey();
    if (key === this.notified) return;
    this.notified = key;
    this.onStatusChange?.(this.status());
  }
}
