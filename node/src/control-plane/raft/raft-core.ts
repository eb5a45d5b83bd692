import type { MonotonicClock } from '../clock.js';
import { randomBetween, type Rng } from '../rng.js';
import type { LeaderState } from './leader-state.js';
import type { NodeId } from './membership.js';
import type { RaftStorage } from './persistent-state.js';
import type { RaftLog } from './raft-log.js';
import type { RaftMessage, RaftTransport } from './raft-messages.js';
import type { RaftTiming } from './raft-timing.js';
import type { VoteTally } from './vote-tally.js';

export type RoleState =
  | { readonly kind: 'follower'; readonly leaderId: NodeId | undefined }
  | { readonly kind: 'pre-candidate'; readonly votes: VoteTally }
  | { readonly kind: 'candidate'; readonly votes: VoteTally }
  | { readonly kind: 'leader'; readonly replication: LeaderState };

export interface RaftCoreOptions<C> {
  readonly id: NodeId;
  readonly clock: MonotonicClock;
  readonly rng: Rng;
  readonly transport: RaftTransport<C>;
  readonly storage: RaftStorage<C>;
  readonly log: RaftLog<C>;
  readonly timing: RaftTiming;
}

/**
 * The state of one node that elections and replication both read and change,
 * with the moves they share. Kept in one place so that neither half can
 * change the term, the vote or the role without the other seeing it at once.
 */
export class RaftCore<C> {
  readonly id: NodeId;
  readonly log: RaftLog<C>;
  readonly timing: RaftTiming;
  private readonly rng: Rng;
  private readonly transport: RaftTransport<C>;
  private readonly storage: RaftStorage<C>;

  term: number;
  votedFor: NodeId | undefined;
  role: RoleState = { kind: 'follower', leaderId: undefined };
  commitIndex = 0;
  lastApplied = 0;
  electionDeadline = 0;
  heardFromLeaderAt: number;

  constructor(options: RaftCoreOptions<C>) {
    this.id = options.id;
    this.log = options.log;
    this.timing = options.timing;
    this.rng = options.rng;
    this.transport = options.transport;
    this.storage = options.storage;
    const hardState = options.storage.readHardState();
    this.term = hardState.currentTerm;
    this.votedFor = hardState.votedFor;
    const now = options.clock.now();
    // A restarted node forgot when it last heard from a leader; counting the
    // restart as such contact keeps it from voting within a lease it may have
    // helped grant before the crash.
    this.heardFromLeaderAt = now;
    this.resetElectionTimer(now);
  }

  becomeFollower(now: number, term: number, leaderId: NodeId | undefined): void {
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

  stepDown(now: number): void {
    this.becomeFollower(now, this.term, undefined);
  }

  lastLogPosition(): { lastLogIndex: number; lastLogTerm: number } {
    return { lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
  }

  sendToVoters(build: (to: NodeId) => RaftMessage<C>): void {
    for (const voter of this.log.latestConfiguration().voters) if (voter !== this.id) this.send(build(voter));
  }

  send(message: RaftMessage<C>): void {
    this.transport.send(message);
  }

  persistHardState(): void {
    this.storage.writeHardState({ currentTerm: this.term, votedFor: this.votedFor });
  }

  resetElectionTimer(now: number): void {
    this.electionDeadline = now + randomBetween(this.rng, this.timing.electionTimeoutMinMs, this.timing.electionTimeoutMaxMs);
  }
}
