import { LeaderState } from './leader-state.js';
import { isVoter, type NodeId, peersOf } from './membership.js';
import type { RaftCore } from './raft-core.js';
import type { AppendEntriesRequest, AppendEntriesResponse } from './raft-messages.js';
import type { RaftStateMachine } from './raft-status.js';

/**
 * AppendEntries on both sides: a leader sending entries and heartbeats and
 * advancing the commit index, a follower merging what it is sent; and
 * committed entries going to the state machine on either.
 */
export class LogReplication<C> {
  constructor(
    private readonly core: RaftCore<C>,
    private readonly stateMachine: RaftStateMachine<C>,
    private readonly maxEntriesPerAppend: number,
  ) {}

  /** A just-elected leader appends a noop of its term: committing it commits everything before it (§5.4.2). */
  startLeading(now: number): void {
    const core = this.core;
    const replication = new LeaderState(now, peersOf(core.log.latestConfiguration(), core.id), core.log.lastIndex() + 1);
    core.role = { kind: 'leader', replication };
    core.log.appendNew({ kind: 'noop', term: core.term });
    if (!this.advanceCommit(replication, now)) this.broadcastAppend(replication, now);
  }

  // --- follower side ---------------------------------------------------------

  onAppendEntries(request: AppendEntriesRequest<C>, now: number): void {
    const core = this.core;
    if (request.term < core.term) return this.answerAppend(request, false, 0, 0);
    // Another leader of our own term cannot exist; if a broken peer claims to be one, it is not followed.
    if (core.role.kind === 'leader' && request.term === core.term) return;
    if (request.term > core.term || core.role.kind !== 'follower' || core.role.leaderId !== request.from) {
      core.becomeFollower(now, request.term, request.from);
    }
    core.heardFromLeaderAt = now;
    core.resetElectionTimer(now);
    if (!core.log.matches(request.prevLogIndex, request.prevLogTerm)) {
      return this.answerAppend(request, false, 0, core.log.retryHint(request.prevLogIndex, core.commitIndex));
    }
    const lastNewIndex = core.log.mergeFromLeader(request.prevLogIndex, request.entries, core.commitIndex);
    // Only up to what this request vouched for: entries past it may be a deposed leader's leftovers.
    const commitIndex = Math.min(request.leaderCommit, lastNewIndex);
    if (commitIndex > core.commitIndex) this.commitUpTo(commitIndex);
    this.answerAppend(request, true, lastNewIndex, 0);
  }

  private answerAppend(request: AppendEntriesRequest<C>, success: boolean, matchIndex: number, retryIndex: number): void {
    this.core.send({
      kind: 'append-entries-response',
      from: this.core.id,
      to: request.from,
      term: this.core.term,
      success,
      prevLogIndex: request.prevLogIndex,
      matchIndex,
      retryIndex,
      sentAt: request.sentAt,
    });
  }

  // --- leader side -----------------------------------------------------------

  tickLeader(now: number, replication: LeaderState): void {
    if (now >= this.checkQuorumDeadline(replication, now)) return this.core.stepDown(now);
    if (now >= replication.heartbeatDueAt) this.broadcastAppend(replication, now);
  }

  /** Check-quorum: a leader no quorum has answered for an election timeout steps down, as its followers may be electing another. */
  checkQuorumDeadline(replication: LeaderState, now: number): number {
    const contactAt = replication.quorumContactAt(this.core.log.latestConfiguration().voters, this.core.id, now);
    return Math.max(replication.electedAt, contactAt) + this.core.timing.electionTimeoutMinMs;
  }

  onAppendEntriesResponse(response: AppendEntriesResponse, now: number): void {
    const core = this.core;
    if (response.term > core.term) return core.becomeFollower(now, response.term, undefined);
    if (core.role.kind !== 'leader' || response.term !== core.term) return;
    const replication = core.role.replication;
    const progress = replication.progressOf(response.from);
    if (progress === undefined) return;
    progress.lastAckedSentAt = Math.max(progress.lastAckedSentAt, response.sentAt);
    if (response.success) {
      if (response.matchIndex <= progress.matchIndex) return;
      progress.matchIndex = response.matchIndex;
      progress.nextIndex = Math.max(progress.nextIndex, response.matchIndex + 1);
      const broadcast = this.advanceCommit(replication, now);
      if (!broadcast && progress.nextIndex <= core.log.lastIndex()) this.sendAppend(response.from, replication, now);
    } else if (response.prevLogIndex === progress.nextIndex - 1) {
      // Answers to older probes are ignored, or a duplicated rejection would send nextIndex back twice.
      progress.nextIndex = Math.max(progress.matchIndex + 1, Math.min(response.retryIndex, response.prevLogIndex));
      this.sendAppend(response.from, replication, now);
    }
  }

  /** Sends a just-appended entry to the peers that hold everything before it; the rest get it as they catch up. */
  replicateNew(index: number, replication: LeaderState, now: number): void {
    if (this.advanceCommit(replication, now)) return;
    for (const peer of replication.peers()) {
      if (replication.progressOf(peer)?.nextIndex === index) this.sendAppend(peer, replication, now);
    }
  }

  private broadcastAppend(replication: LeaderState, now: number): void {
    for (const peer of replication.peers()) this.sendAppend(peer, replication, now);
    replication.heartbeatDueAt = now + this.core.timing.heartbeatIntervalMs;
  }

  private sendAppend(peer: NodeId, replication: LeaderState, now: number): void {
    const core = this.core;
    const progress = replication.progressOf(peer);
    if (progress === undefined) return;
    const prevLogIndex = progress.nextIndex - 1;
    const prevLogTerm = core.log.termAt(prevLogIndex);
    if (prevLogTerm === undefined) throw new Error(`nextIndex ${progress.nextIndex} of ${peer} is past the log's end ${core.log.lastIndex()}`);
    core.send({
      kind: 'append-entries-request',
      from: core.id,
      to: peer,
      term: core.term,
      prevLogIndex,
      prevLogTerm,
      entries: core.log.slice(progress.nextIndex, this.maxEntriesPerAppend),
      leaderCommit: core.commitIndex,
      sentAt: now,
    });
  }

  /**
   * Commits the highest index a quorum holds, but only if it is of this term
   * (§5.4.2, Figure 8): an older entry on a majority can still be overwritten,
   * and is committed indirectly by the entry of this term that follows it.
   */
  private advanceCommit(replication: LeaderState, now: number): boolean {
    const core = this.core;
    const voters = core.log.latestConfiguration().voters;
    const quorumIndex = replication.quorumMatchIndex(voters, core.id, core.log.lastIndex());
    if (quorumIndex <= core.commitIndex || core.log.termAt(quorumIndex) !== core.term) return false;
    this.commitUpTo(quorumIndex);
    // Tells followers at once rather than at the next heartbeat: they apply partition maps too.
    this.broadcastAppend(replication, now);
    // A leader that committed its own removal or demotion hands over (§4.2.2), once followers have heard of the commit.
    if (!isVoter(core.log.configurationAt(core.commitIndex), core.id)) core.stepDown(now);
    return true;
  }

  private commitUpTo(index: number): void {
    const core = this.core;
    core.commitIndex = index;
    while (core.lastApplied < core.commitIndex) {
      const entry = core.log.entryAt(core.lastApplied + 1);
      if (entry === undefined) throw new Error(`committed entry ${core.lastApplied + 1} is missing`);
      core.lastApplied += 1;
      this.stateMachine.apply({ ...entry, index: core.lastApplied });
    }
  }
}
