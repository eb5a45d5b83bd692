import { UnavailableError } from '@shoal/client/protocol';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import {
  type CommittedEntry,
  type MonotonicClock,
  MemoryRaftStorage,
  monotonicClock,
  RaftNode,
  type Rng,
  systemRng,
} from '../control-plane/index.js';
import { DataPlane } from '../replication/data-plane.js';
import type { CacheRegistry } from '../storage/cache-registry.js';
import type { ClusterCommand, CompletedCopy } from './cluster-commands.js';
import { ClusterState } from './cluster-state.js';
import { type ClusterTiming, raftTimingFor } from './cluster-timing.js';
import { Coordinator } from './coordinator.js';
import { isPeerMessage, type PeerMessage } from './peer-messages.js';
import { PeerNetwork } from './peer-network.js';

export interface ClusterNodeOptions {
  readonly id: string;
  /** Where peers and clients reach this node. */
  readonly address: string;
  /** Members to join through; none founds a new cluster. */
  readonly seeds: readonly string[];
  readonly clusterSecret: string | null;
  readonly timing: ClusterTiming;
  readonly partitions: number;
  readonly maxFrameBytes: number;
  readonly clock?: MonotonicClock;
  readonly rng?: Rng;
}

/** How often `catchUp` looks at the log again. */
const CATCH_UP_POLL_MS = 10;

type Command = ClusterCommand extends infer C ? (C extends unknown ? Omit<C, 'proposalId'> : never) : never;

const PROPOSAL_TIMEOUT_MS = 10_000;
const JOIN_RETRY_MS = 500;
const COPY_REPORT_DELAY_MS = 20;
const COPY_SWEEP_MS = 250;
/** A copy not answered this long after its end was sent lost a message on the way; it starts over. */
const STALLED_COPY_MS = 1_000;
/** Bounds an AppendEntries: a catching-up member gets the log in pieces it can digest between heartbeats. */
const MAX_ENTRIES_PER_APPEND = 16;

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * This node's membership of the cluster: the Raft member replicating the
 * cluster state, the peer links, the data plane following the partition map,
 * and (while leading) the coordinator. Raft is driven here by a timer; the
 * state machine, placement and replication know nothing of time.
 */
export class ClusterNode {
  readonly state: ClusterState;
  readonly raft: RaftNode<ClusterCommand>;
  readonly peers: PeerNetwork;
  readonly dataPlane: DataPlane;
  private readonly coordinator: Coordinator;
  private readonly clock: MonotonicClock;
  private readonly pending = new Map<string, Pending>();
  private tickTimer: NodeJS.Timeout | undefined;
  private joinTimer: NodeJS.Timeout | undefined;
  private nextProposal = 1;
  private lastCopySweep = 0;
  private leaseExpiresAt = -Infinity;
  private followed: { readonly id: string; readonly heardAt: number } | undefined;
  private completedCopies: CompletedCopy[] = [];
  private copyReportTimer: NodeJS.Timeout | undefined;
  private lastApplied = 0;

  constructor(
    readonly options: ClusterNodeOptions,
    private readonly caches: CacheRegistry,
    private readonly log: Logger,
  ) {
    const base = options.clock ?? monotonicClock;
    // A founder need not wait an election timeout to lead a cluster of one: its clock starts that far ahead.
    const founding = options.seeds.filter((seed) => seed !== options.address).length === 0;
    let leap = 0;
    this.clock = { now: () => base.now() + leap };
    this.state = new ClusterState(options.partitions);
    this.peers = new PeerNetwork({ id: options.id, address: options.address }, options.clusterSecret, options.maxFrameBytes, {
      onMessage: (from, message) => this.onPeerMessage(from, message),
      onLinkUp: (peer) => this.dataPlane.onLinkUp(peer),
    }, log);
    this.raft = new RaftNode<ClusterCommand>({
      id: options.id,
      clock: this.clock,
      rng: options.rng ?? systemRng,
      transport: { send: (message) => void this.peers.send(message.to, { kind: 'raft', message }) },
      storage: new MemoryRaftStorage(),
      stateMachine: { apply: (entry) => this.apply(entry) },
      timing: raftTimingFor(options.timing),
      maxEntriesPerAppend: MAX_ENTRIES_PER_APPEND,
      ...(founding ? { initialConfiguration: { voters: [options.id], learners: [] } } : {}),
      onStatusChange: (status) => this.log.info({ role: status.role, term: status.term, leader: status.leaderId }, 'control-plane status'),
    });
    if (founding) leap = raftTimingFor(options.timing).electionTimeoutMaxMs;
    this.dataPlane = new DataPlane(options.id, caches, {
      send: (node, message) => this.peers.send(node, message),
      bufferedBytes: (node) => this.peers.bufferedBytes(node),
      isConnected: (node) => this.peers.isConnected(node),
      mapTenure: (cache, partition) => this.state.assignment(cache, partition)?.tenure ?? 0,
      copyCompleted: (cache, partition, node, tenure) => this.reportCopy({ cache, partition, node, tenure }),
    }, log);
    this.coordinator = new Coordinator(options.id, options.address, {
      raft: this.raft,
      state: this.state,
      propose: (command) => this.raft.propose({ ...command, proposalId: this.newProposalId() } as ClusterCommand),
      lastApplied: () => this.lastApplied,
      previousLeader: () => this.followed,
    }, this.clock, options.timing, log);
  }

  /** Resolves once this node is a member (a founder: once it leads its own cluster). */
  ready(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.isMember ? resolve() : void setTimeout(check, 5).unref());
      check();
    });
  }

  start(): void {
    this.tickTimer = setInterval(() => this.tick(), Math.max(5, Math.floor(this.options.timing.heartbeatMs / 4)));
    if (!this.isMember) this.askToJoin();
  }

  stop(): void {
    clearInterval(this.tickTimer);
    clearTimeout(this.joinTimer);
    clearTimeout(this.copyReportTimer);
    this.dataPlane.stop();
    this.peers.stop();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new UnavailableError('node stopping'));
      this.pending.delete(id);
    }
  }

  acceptPeer(socket: WebSocket): void {
    this.peers.accept(socket);
  }

  get isMember(): boolean {
    return this.state.members.has(this.options.id);
  }

  /** True while this node may take writes: it heard from the control-plane leader within the data lease. */
  hasWriteLease(): boolean {
    return this.writeRefusal() === undefined;
  }

  /**
   * The hot path's lease check: true while now is before the lease expiry
   * computed at the last tick. Contact times only move forward, so the cached
   * expiry is never later than the true one.
   */
  leaseHolds(): boolean {
    if (this.clock.now() < this.leaseExpiresAt) return true;
    this.refreshLease();
    return this.clock.now() < this.leaseExpiresAt;
  }

  private refreshLease(): void {
    if (!this.isMember) return void (this.leaseExpiresAt = -Infinity);
    const status = this.raft.status();
    if (status.role === 'follower' && status.leaderId !== undefined && status.lastLeaderContactAt !== undefined) {
      this.followed = { id: status.leaderId, heardAt: status.lastLeaderContactAt };
    }
    if (status.role === 'leader') this.leaseExpiresAt = status.leaseExpiresAt ?? -Infinity;
    else this.leaseExpiresAt = status.lastLeaderContactAt === undefined ? -Infinity : status.lastLeaderContactAt + this.options.timing.dataLeaseMs;
  }

  /** Why this node may not take writes now, or undefined when it may. */
  writeRefusal(): string | undefined {
    if (!this.isMember) return 'this node is not a member of the cluster (joining, or removed after being declared dead)';
    const status = this.raft.status();
    if (status.role === 'leader') return this.raft.hasLease() ? undefined : 'this node leads the control plane without a quorum lease';
    const contact = status.lastLeaderContactAt;
    if (contact !== undefined && this.clock.now() - contact < this.options.timing.dataLeaseMs) return undefined;
    return `this node has not heard from a control-plane leader for ${contact === undefined ? 'ever' : `${Math.round(this.clock.now() - contact)} ms`}`;
  }

  /**
   * Resolves once this node has applied what the control plane had committed
   * when asked, as the leader's next contact tells it (at most `limitMs`
   * later; never rejects). A node asked about a cache it does not know, by a
   * client that learned of it from a faster node, catches up this way before
   * answering that the cache does not exist.
   */
  catchUp(limitMs = 500): Promise<void> {
    const askedAt = this.clock.now();
    return new Promise((resolve) => {
      const check = (): void => {
        const status = this.raft.status();
        const heard = status.role === 'leader' || (status.lastLeaderContactAt ?? -Infinity) > askedAt;
        if ((heard && this.lastApplied >= status.commitIndex) || this.clock.now() - askedAt >= limitMs) return resolve();
        setTimeout(check, CATCH_UP_POLL_MS);
      };
      check();
    });
  }

  /** Puts `command` in the log (through the leader) and resolves with its outcome once applied here. */
  propose(command: Command): Promise<unknown> {
    const proposalId = this.newProposalId();
    const full = { ...command, proposalId } as ClusterCommand;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(proposalId);
        reject(new UnavailableError(`the control plane did not commit ${command.kind} within ${PROPOSAL_TIMEOUT_MS} ms (no leader?)`));
      }, PROPOSAL_TIMEOUT_MS);
      this.pending.set(proposalId, { resolve, reject, timer });
      this.submit(full);
    });
  }

  private submit(command: ClusterCommand): void {
    if (!this.pending.has(command.proposalId)) return;
    const status = this.raft.status();
    if (status.role === 'leader') {
      try {
        this.raft.propose(command);
        return;
      } catch {
        // Not ready yet: try again shortly.
      }
    } else if (status.leaderId !== undefined && this.peers.send(status.leaderId, { kind: 'propose', command })) {
      // A forwarded proposal may be lost with its link: ask again if it has not applied by then.
      setTimeout(() => this.submit(command), 2_000).unref();
      return;
    }
    setTimeout(() => this.submit(command), 100).unref();
  }

  private newProposalId(): string {
    return `${this.options.id}/${this.nextProposal++}`;
  }

  /** Completed copies go to the log in batches: one entry per copy would swamp it during a rebalance. */
  private reportCopy(copy: CompletedCopy): void {
    this.completedCopies.push(copy);
    this.copyReportTimer ??= setTimeout(() => {
      this.copyReportTimer = undefined;
      const copies = this.completedCopies.splice(0);
      this.propose({ kind: 'synced', copies }).catch((err) => this.log.warn({ err, copies: copies.length }, 'completed copies not recorded; the leader will copy again'));
    }, COPY_REPORT_DELAY_MS);
  }

  private tick(): void {
    this.raft.tick();
    this.coordinator.tick();
    this.refreshLease();
    const refusal = this.writeRefusal();
    // Without a lease nothing held here can be trusted to complete: the client retries on the new primary.
    if (refusal !== undefined && this.isMember) this.dataPlane.failHeld(new UnavailableError(refusal));
    const now = this.clock.now();
    if (now - this.lastCopySweep > COPY_SWEEP_MS) {
      this.lastCopySweep = now;
      this.dataPlane.restartStalledCopies(STALLED_COPY_MS);
    }
  }

  private askToJoin(): void {
    if (this.isMember) return;
    this.peers.keepLinksTo(this.options.seeds);
    this.peers.sendToAddresses({ kind: 'join', id: this.options.id, address: this.options.address } satisfies PeerMessage);
    this.joinTimer = setTimeout(() => this.askToJoin(), JOIN_RETRY_MS);
  }

  private onPeerMessage(from: string, message: unknown): void {
    if (!isPeerMessage(message)) return void this.log.warn({ from }, 'dropped a malformed peer message');
    try {
      switch (message.kind) {
        case 'raft':
          return this.raft.receive(message.message);
        case 'join':
          return this.onJoin(message.id, message.address);
        case 'propose':
          if (this.raft.status().role === 'leader') this.raft.propose(message.command);
          return;
        default:
          return this.dataPlane.onMessage(from, message);
      }
    } catch (err) {
      this.log.warn({ err, from, kind: message.kind }, 'peer message failed');
    }
  }

  private onJoin(id: string, address: string): void {
    const status = this.raft.status();
    if (status.role === 'leader') return this.coordinator.requestJoin(id, address);
    if (status.leaderId !== undefined) this.peers.send(status.leaderId, { kind: 'join', id, address });
  }

  private apply(entry: CommittedEntry<ClusterCommand>): void {
    this.lastApplied = entry.index;
    if (entry.kind !== 'command') return;
    const command = entry.command;
    const { outcome, deltas } = this.state.apply(command, entry.index);
    if (outcome.kind === 'ok') this.mirrorCaches(command, outcome.result);
    this.dataPlane.onAssignments(deltas);
    if (command.kind === 'create-cache') this.dataPlane.onCacheCreated(command.definition.name);
    if (command.kind === 'destroy-cache') this.dataPlane.onCacheDestroyed(command.name);
    if (command.kind === 'add-member' || command.kind === 'remove-member') this.onMembersChanged();
    const pending = this.pending.get(command.proposalId);
    if (pending) {
      this.pending.delete(command.proposalId);
      clearTimeout(pending.timer);
      if (outcome.kind === 'ok') pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    }
  }

  /** The registry holds the data; the state says which caches exist. */
  private mirrorCaches(command: ClusterCommand, result: unknown): void {
    if (command.kind === 'create-cache' && result === true) this.caches.create(command.definition);
    if (command.kind === 'destroy-cache' && result === true) this.caches.destroy(command.name);
    if ((command.kind === 'add-index' || command.kind === 'drop-index') && result === true) {
      for (const [name, layout] of this.state.caches) {
        const store = this.caches.find(name);
        if (store !== undefined && store.definition !== layout.definition) store.redefine(layout.definition);
      }
    }
  }

  private onMembersChanged(): void {
    const addresses = [...this.state.members.values()].map((member) => member.address);
    this.peers.keepLinksTo(this.isMember ? addresses : [...addresses, ...this.options.seeds]);
    if (this.isMember) clearTimeout(this.joinTimer);
    if (!this.isMember && this.state.members.size > 0 && this.lastApplied > 0 && this.wasMember) {
      this.log.error('this node was removed from the cluster (declared dead); restart it to rejoin with a new identity');
    }
    this.wasMember ||= this.isMember;
  }

  private wasMember = false;
}
