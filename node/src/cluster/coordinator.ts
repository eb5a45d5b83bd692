import type { Logger } from 'pino';
import type { MonotonicClock } from '../control-plane/index.js';
import { isMember, isLearner, type RaftNode } from '../control-plane/index.js';
import type { ClusterCommand } from './cluster-commands.js';
import type { ClusterState } from './cluster-state.js';
import type { ClusterTiming } from './cluster-timing.js';
import { planRebalance, type RebalanceLimits } from './rebalance-plan.js';

type Command = DistributiveOmit<ClusterCommand, 'proposalId'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface CoordinatorPorts {
  readonly raft: RaftNode<ClusterCommand>;
  readonly state: ClusterState;
  propose(command: Command): void;
  /** Index of the last entry this node applied. */
  lastApplied(): number;
  /** The leader this node last followed, and when it last heard from it (this node's clock). */
  previousLeader(): { readonly id: string; readonly heardAt: number } | undefined;
}

const REBALANCE_LIMITS: RebalanceLimits = { maxSyncing: 64, maxChanges: 512 };

/**
 * What the control-plane leader does besides Raft: admits joining nodes,
 * declares silent members dead (the state machine then promotes their
 * backups), keeps up to five voters, and steps partitions towards their
 * placement. It only acts under a lease, and waits for each of its proposals
 * to apply before planning the next, so it never plans on a stale state.
 */
export class Coordinator {
  private readonly joins = new Map<string, string>();
  private lastSeen = new Map<string, number>();
  private leadingSince: number | undefined;
  private awaitedIndex = 0;
  /** The applied index at which planning last found the placement reached. */
  private settledAt = -1;

  constructor(
    private readonly selfId: string,
    private readonly selfAddress: string,
    private readonly ports: CoordinatorPorts,
    private readonly clock: MonotonicClock,
    private readonly timing: ClusterTiming,
    private readonly log: Logger,
  ) {}

  requestJoin(id: string, address: string): void {
    if (!this.ports.state.members.has(id)) this.joins.set(id, address);
  }

  tick(): void {
    const { raft, state } = this.ports;
    if (!raft.hasLease()) {
      this.leadingSince = undefined;
      return;
    }
    const now = this.clock.now();
    if (this.leadingSince === undefined) this.startLeading(now);
    if (this.ports.lastApplied() < this.awaitedIndex) return;
    if (!state.members.has(this.selfId)) return this.propose({ kind: 'add-member', id: this.selfId, address: this.selfAddress });
    this.detectFailures(now);
    this.admitJoins();
    // A learner waiting to vote goes first: new entries would keep it from ever catching up.
    if (!this.adjustVoters()) return;
    // Planning hashes every partition: only worth it when the state moved since the last plan found nothing to do.
    const applied = this.ports.lastApplied();
    if (applied === this.settledAt) return;
    const changes = planRebalance(state, REBALANCE_LIMITS);
    if (changes.length > 0) this.propose({ kind: 'assign', changes });
    else this.settledAt = applied;
  }

  private propose(command: Command): void {
    try {
      this.ports.propose(command);
      this.awaitedIndex = this.ports.raft.status().lastLogIndex;
    } catch (err) {
      this.log.debug({ err, command: command.kind }, 'coordinator proposal refused');
    }
  }

  /**
   * A new leader knows nobody's silence but its predecessor's: it counts the
   * others from its election, and the old leader from when it last heard from
   * it. The old leader's lease ended before anyone could vote for this one,
   * so declaring it dead at once promotes nothing it may still write to.
   */
  private startLeading(now: number): void {
    this.leadingSince = now;
    this.lastSeen = new Map();
    const previous = this.ports.previousLeader();
    if (previous && previous.id !== this.selfId) this.lastSeen.set(previous.id, previous.heardAt);
  }

  private detectFailures(now: number): void {
    // Give a predecessor that is alive (a pause, not a death) a few heartbeats to answer.
    if (now - this.leadingSince! < 3 * this.timing.heartbeatMs) return;
    const progress = new Map(this.ports.raft.peerProgress().map((p) => [p.node, p.lastAckedSentAt]));
    for (const id of this.ports.state.members.keys()) {
      if (id === this.selfId) continue;
      const floor = this.lastSeen.has(id) ? -Infinity : this.leadingSince!;
      const seen = Math.max(progress.get(id) ?? -Infinity, this.lastSeen.get(id) ?? -Infinity, floor);
      this.lastSeen.set(id, seen);
      if (now - seen <= this.timing.failureTimeoutMs) continue;
      this.log.warn({ member: id, silentMs: Math.round(now - seen) }, 'member silent past the failure timeout: removing it');
      this.lastSeen.delete(id);
      this.propose({ kind: 'remove-member', id });
    }
  }

  private admitJoins(): void {
    const { raft, state } = this.ports;
    for (const [id, address] of this.joins) {
      if (state.members.has(id)) {
        this.joins.delete(id);
        continue;
      }
      if (!isMember(raft.status().configuration, id)) {
        this.changeMembership({ kind: 'add-learner', node: id });
        return;
      }
      // Stays in `joins` until the add applies, so the learner is not mistaken for a leftover meanwhile.
      this.log.info({ member: id, address }, 'admitting a new member');
      this.lastSeen.set(id, this.clock.now());
      this.propose({ kind: 'add-member', id, address });
      return;
    }
  }

  /**
   * Raft's configuration follows the members: dead ones leave it, learners
   * become voters up to five. False while a learner is still catching up.
   */
  private adjustVoters(): boolean {
    const { raft, state } = this.ports;
    const configuration = raft.status().configuration;
    for (const node of [...configuration.voters, ...configuration.learners]) {
      if (!state.members.has(node) && !this.joins.has(node) && node !== this.selfId) return this.changeMembership({ kind: 'remove', node });
    }
    if (configuration.voters.length >= 5) return true;
    const learner = configuration.learners.find((node) => state.members.has(node) && isLearner(configuration, node));
    if (!learner) return true;
    this.changeMembership({ kind: 'promote', node: learner });
    return false;
  }

  private changeMembership(change: Parameters<RaftNode<ClusterCommand>['changeMembership']>[0]): boolean {
    try {
      this.ports.raft.changeMembership(change);
      this.awaitedIndex = this.ports.raft.status().lastLogIndex;
      return true;
    } catch (err) {
      this.log.debug({ err, change }, 'membership change deferred');
      return false;
    }
  }
}
