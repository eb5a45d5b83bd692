import type { LogReplication } from './log-replication.js';
import { isVoter } from './membership.js';
import type { RaftCore } from './raft-core.js';
import type { PreVoteRequest, PreVoteResponse, VoteRequest, VoteResponse } from './raft-messages.js';
import { VoteTally } from './vote-tally.js';

/** Campaigning on an election timeout, PreVote and RequestVote on both sides, and winning. */
export class Elections<C> {
  constructor(
    private readonly core: RaftCore<C>,
    private readonly preVote: boolean,
    private readonly logReplication: LogReplication<C>,
  ) {}

  /** Called when a node that is not leading reaches its election deadline. */
  onElectionTimeout(now: number): void {
    this.core.resetElectionTimer(now);
    if (this.mayCampaign()) this.campaign(now);
  }

  /**
   * A voter campaigns; so does a node the latest change removed or demoted
   * while it may be uncommitted, since the configuration being left may still
   * need it to elect anyone (§4.2.2). After a restart the commit index is
   * unknown, so the previous configuration counts until a leader says more.
   */
  private mayCampaign(): boolean {
    const { log, id, commitIndex } = this.core;
    if (isVoter(log.latestConfiguration(), id)) return true;
    const latestIndex = log.latestConfigurationIndex();
    return latestIndex > commitIndex && isVoter(log.configurationAt(latestIndex - 1), id);
  }

  private campaign(now: number): void {
    if (this.preVote) this.startPreVote(now);
    else this.startElection(now);
  }

  private startPreVote(now: number): void {
    const core = this.core;
    const votes = new VoteTally(core.log.latestConfiguration().voters);
    votes.grant(core.id);
    core.role = { kind: 'pre-candidate', votes };
    if (votes.won()) return this.startElection(now);
    core.sendToVoters((to) => ({ kind: 'pre-vote-request', from: core.id, to, term: core.term + 1, ...core.lastLogPosition() }));
  }

  private startElection(now: number): void {
    const core = this.core;
    core.term += 1;
    core.votedFor = core.id;
    core.persistHardState();
    core.resetElectionTimer(now);
    const votes = new VoteTally(core.log.latestConfiguration().voters);
    votes.grant(core.id);
    core.role = { kind: 'candidate', votes };
    if (votes.won()) return this.logReplication.startLeading(now);
    core.sendToVoters((to) => ({ kind: 'vote-request', from: core.id, to, term: core.term, ...core.lastLogPosition() }));
  }

  /**
   * Leader stickiness (§4.2.3): while a leader is alive, a request to elect
   * another is ignored outright, term included. This is also what makes the
   * leader's lease sound.
   */
  private hearsFromLeader(now: number): boolean {
    return this.core.role.kind === 'leader' || now < this.core.heardFromLeaderAt + this.core.timing.electionTimeoutMinMs;
  }

  onPreVoteRequest(request: PreVoteRequest, now: number): void {
    const core = this.core;
    const granted =
      request.term > core.term && !this.hearsFromLeader(now) && core.log.isCandidateUpToDate(request.lastLogTerm, request.lastLogIndex);
    // A grant answers in the asked-for term so the pre-candidate can tell it from a stale one; nothing here changes our state.
    core.send({ kind: 'pre-vote-response', from: core.id, to: request.from, term: granted ? request.term : core.term, granted });
  }

  onPreVoteResponse(response: PreVoteResponse, now: number): void {
    const core = this.core;
    if (!response.granted) {
      if (response.term > core.term) core.becomeFollower(now, response.term, undefined);
      return;
    }
    if (core.role.kind !== 'pre-candidate' || response.term !== core.term + 1) return;
    core.role.votes.grant(response.from);
    if (core.role.votes.won()) this.startElection(now);
  }

  onVoteRequest(request: VoteRequest, now: number): void {
    const core = this.core;
    if (request.term > core.term && this.hearsFromLeader(now)) return;
    if (request.term > core.term) core.becomeFollower(now, request.term, undefined);
    const granted =
      request.term === core.term &&
      (core.votedFor === undefined || core.votedFor === request.from) &&
      core.log.isCandidateUpToDate(request.lastLogTerm, request.lastLogIndex);
    if (granted) {
      core.votedFor = request.from;
      core.persistHardState();
      core.resetElectionTimer(now);
    }
    core.send({ kind: 'vote-response', from: core.id, to: request.from, term: core.term, granted });
  }

  onVoteResponse(response: VoteResponse, now: number): void {
    const core = this.core;
    if (response.term > core.term) return core.becomeFollower(now, response.term, undefined);
    if (core.role.kind !== 'candidate' || response.term !== core.term || !response.granted) return;
    core.role.votes.grant(response.from);
    if (core.role.votes.won()) this.logReplication.startLeading(now);
  }
}
