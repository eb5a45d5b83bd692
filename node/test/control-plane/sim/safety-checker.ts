import type { CommittedEntry, LogEntry } from '../../../src/control-plane/raft/log-entry.js';
import { describeConfiguration, type NodeId } from '../../../src/control-plane/raft/membership.js';
import type { HardState } from '../../../src/control-plane/raft/persistent-state.js';
import type { MonotonicClock } from '../../../src/control-plane/clock.js';
import type { RaftNode } from '../../../src/control-plane/raft/raft-node.js';
import type { RaftStatus } from '../../../src/control-plane/raft/raft-status.js';
import type { RaftTiming } from '../../../src/control-plane/raft/raft-timing.js';
import type { RecordingStorage } from './recording-storage.js';

export class InvariantViolation extends Error {
  readonly code = 'INVARIANT_VIOLATION';

  override get name(): string {
    return this.constructor.name;
  }
}

/** What the checker sees of one simulated host. */
export interface CheckedHost<C> {
  readonly id: NodeId;
  readonly clock: MonotonicClock;
  readonly storage: RecordingStorage<C>;
  readonly node: RaftNode<C> | undefined;
}

interface CommittedRecord {
  readonly fingerprint: string;
  /** The lowest term of a node that applied it: the entry was committed in this term or earlier. */
  committedByTerm: number;
}

/**
 * Raft's safety properties, checked against the real nodes after every step:
 * election safety, log matching, leader completeness, state-machine safety,
 * persistent votes, and the exclusivity of the leader's lease.
 */
export class SafetyChecker<C> {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private maxElectedTerm = 0;
  private readonly committed = new Map<number, CommittedRecord>();
  private readonly entriesByPosition = new Map<string, { readonly fingerprint: string; readonly prevTerm: number; readonly node: NodeId }>();
  private readonly hardStates = new Map<NodeId, HardState>();

  constructor(private readonly timing: RaftTiming) {}

  /** State-machine safety: no two nodes ever apply different entries at one index. */
  onApply(node: NodeId, entry: CommittedEntry<C>, applierTerm: number): void {
    const fingerprint = fingerprintOf(entry);
    const known = this.committed.get(entry.index);
    if (known === undefined) {
      this.committed.set(entry.index, { fingerprint, committedByTerm: applierTerm });
    } else if (known.fingerprint !== fingerprint) {
      throw new InvariantViolation(`state-machine safety: ${node} applied ${fingerprint} at ${entry.index}, another node applied ${known.fingerprint}`);
    } else {
      known.committedByTerm = Math.min(known.committedByTerm, applierTerm);
    }
  }

  /** A committed entry is never removed from any log. */
  onTruncate(node: NodeId, from: number, removed: readonly LogEntry<C>[]): void {
    removed.forEach((entry, offset) => {
      const known = this.committed.get(from + offset);
      if (known?.fingerprint === fingerprintOf(entry)) {
        throw new InvariantViolation(`${node} truncated committed entry ${from + offset} (${known.fingerprint})`);
      }
    });
  }

  afterStep(hosts: Iterable<CheckedHost<C>>): void {
    const leasedLeaders: { id: NodeId; term: number }[] = [];
    for (const host of hosts) {
      this.checkHardState(host);
      this.checkLogMatching(host);
      if (host.node === undefined) continue;
      const status = host.node.status();
      if (status.role !== 'leader') continue;
      this.checkElectionSafety(host, status.term);
      this.checkQuorumStepDown(host, host.node, status);
      if (host.node.hasLease()) leasedLeaders.push({ id: host.id, term: status.term });
    }
    for (const leader of leasedLeaders) {
      if (this.maxElectedTerm > leader.term) {
        throw new InvariantViolation(`lease: ${leader.id} (term ${leader.term}) holds a lease after a leader of term ${this.maxElectedTerm} was elected`);
      }
    }
  }

  /**
   * Check-quorum, which the data plane's fencing relies on: no one leads an
   * election timeout past its last quorum contact. A configuration change can
   * move that moment into the past; the step-down is then a tick due now.
   */
  private checkQuorumStepDown(host: CheckedHost<C>, node: RaftNode<C>, status: RaftStatus): void {
    if (status.leaseExpiresAt === undefined) return;
    const quorumContactAt = status.leaseExpiresAt - this.timing.leaseMs;
    const now = host.clock.now();
    if (now > quorumContactAt + this.timing.electionTimeoutMinMs && node.nextDeadline() > now) {
      throw new InvariantViolation(`check-quorum: ${host.id} still leads at ${now.toFixed(1)}, last heard from a quorum at ${quorumContactAt.toFixed(1)}`);
    }
  }

  private checkElectionSafety(host: CheckedHost<C>, term: number): void {
    const known = this.leaderOfTerm.get(term);
    if (known === host.id) return;
    if (known !== undefined) throw new InvariantViolation(`election safety: ${known} and ${host.id} are both leaders of term ${term}`);
    this.leaderOfTerm.set(term, host.id);
    this.maxElectedTerm = Math.max(this.maxElectedTerm, term);
    this.checkLeaderCompleteness(host, term);
  }

  /** A new leader of term T holds every entry committed in a term before T. */
  private checkLeaderCompleteness(host: CheckedHost<C>, term: number): void {
    for (const [index, record] of this.committed) {
      if (record.committedByTerm >= term) continue;
      const entry = host.storage.entryAt(index);
      if (entry === undefined || fingerprintOf(entry) !== record.fingerprint) {
        const held = entry === undefined ? 'nothing' : fingerprintOf(entry);
        throw new InvariantViolation(`leader completeness: ${host.id}, leader of term ${term}, holds ${held} at ${index}, committed was ${record.fingerprint}`);
      }
    }
  }

  /** Terms never go back and a node never changes its vote within a term, across crashes included. */
  private checkHardState(host: CheckedHost<C>): void {
    const state = host.storage.readHardState();
    const previous = this.hardStates.get(host.id);
    if (previous === state) return;
    if (previous !== undefined) {
      if (state.currentTerm < previous.currentTerm) {
        throw new InvariantViolation(`${host.id}'s term went back from ${previous.currentTerm} to ${state.currentTerm}`);
      }
      if (state.currentTerm === previous.currentTerm && previous.votedFor !== undefined && state.votedFor !== previous.votedFor) {
        throw new InvariantViolation(`${host.id} voted for ${previous.votedFor} and then ${String(state.votedFor)} in term ${state.currentTerm}`);
      }
    }
    this.hardStates.set(host.id, state);
  }

  /**
   * Log matching, incrementally: every (index, term) ever seen must hold the
   * same entry after the same previous term. By induction on the index, two
   * logs sharing an (index, term) are then identical up to it.
   */
  private checkLogMatching(host: CheckedHost<C>): void {
    const { storage } = host;
    const from = storage.takeDirtyFrom();
    for (let index = from; index <= storage.lastIndex(); index++) {
      const entry = storage.entryAt(index);
      if (entry === undefined) continue;
      const prevTerm = index === 1 ? 0 : (storage.entryAt(index - 1)?.term ?? -1);
      const key = `${index}:${entry.term}`;
      const fingerprint = fingerprintOf(entry);
      const known = this.entriesByPosition.get(key);
      if (known === undefined) {
        this.entriesByPosition.set(key, { fingerprint, prevTerm, node: host.id });
      } else if (known.fingerprint !== fingerprint || known.prevTerm !== prevTerm) {
        throw new InvariantViolation(
          `log matching: ${host.id} holds ${fingerprint} after term ${prevTerm} at ${index}, ${known.node} holds ${known.fingerprint} after term ${known.prevTerm}`,
        );
      }
    }
  }
}

export function fingerprintOf<C>(entry: LogEntry<C>): string {
  switch (entry.kind) {
    case 'noop':
      return `t${entry.term} noop`;
    case 'command':
      return `t${entry.term} ${JSON.stringify(entry.command)}`;
    case 'configuration':
      return `t${entry.term} config(${describeConfiguration(entry.configuration)})`;
  }
}
