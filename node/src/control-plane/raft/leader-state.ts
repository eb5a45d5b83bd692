import { type NodeId, quorumSize } from './membership.js';

/** What the leader knows of one peer's log and liveness. */
export interface PeerProgress {
  readonly node: NodeId;
  /** Next entry to send. */
  readonly nextIndex: number;
  /** Highest entry known to be replicated on the peer in this term. */
  readonly matchIndex: number;
  /** Leader-clock send time of the latest message the peer answered; -Infinity before its first answer. */
  readonly lastAckedSentAt: number;
}

type MutableProgress = { -readonly [K in keyof PeerProgress]: PeerProgress[K] };

/** A leader's volatile state, created on election and dropped when it steps down. */
export class LeaderState {
  heartbeatDueAt: number;
  private readonly progress = new Map<NodeId, MutableProgress>();

  constructor(
    readonly electedAt: number,
    peers: readonly NodeId[],
    nextIndex: number,
  ) {
    this.heartbeatDueAt = electedAt;
    this.syncPeers(peers, nextIndex);
  }

  progressOf(node: NodeId): MutableProgress | undefined {
    return this.progress.get(node);
  }

  peers(): NodeId[] {
    return [...this.progress.keys()];
  }

  /** Follows a configuration change: new peers start probing at `nextIndex`, removed ones are forgotten. */
  syncPeers(peers: readonly NodeId[], nextIndex: number): void {
    for (const node of this.progress.keys()) if (!peers.includes(node)) this.progress.delete(node);
    for (const node of peers) {
      if (!this.progress.has(node)) this.progress.set(node, { node, nextIndex, matchIndex: 0, lastAckedSentAt: -Infinity });
    }
  }

  /** Highest index held by a quorum of `voters`; the leader counts with its own last index only if it is a voter. */
  quorumMatchIndex(voters: readonly NodeId[], self: NodeId, selfLastIndex: number): number {
    return quorumValue(voters.map((node) => (node === self ? selfLastIndex : (this.progress.get(node)?.matchIndex ?? 0))));
  }

  /** Latest leader-clock time at which a quorum of `voters` had heard from this leader; -Infinity if never. */
  quorumContactAt(voters: readonly NodeId[], self: NodeId, now: number): number {
    return quorumValue(voters.map((node) => (node === self ? now : (this.progress.get(node)?.lastAckedSentAt ?? -Infinity))));
  }

  snapshot(): PeerProgress[] {
    return [...this.progress.values()].map((progress) => ({ ...progress }));
  }
}

/** The value a quorum has reached: the quorum-th largest. */
function quorumValue(values: number[]): number {
  values.sort((a, b) => b - a);
  return values[quorumSize(values.length) - 1] ?? -Infinity;
}
