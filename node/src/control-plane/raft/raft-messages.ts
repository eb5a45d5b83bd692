import type { LogEntry } from './log-entry.js';
import type { NodeId } from './membership.js';

/** Fields every Raft message has: the sender's term is how stale leaders and candidates find out. */
interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

/**
 * PreVote (dissertation §9.6): "would you vote for me in `term`?", asked
 * before incrementing our own term, so a node cut off from the cluster does
 * not come back with a higher term and depose a healthy leader.
 */
export interface PreVoteRequest extends Envelope {
  readonly kind: 'pre-vote-request';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

export interface PreVoteResponse extends Envelope {
  readonly kind: 'pre-vote-response';
  readonly granted: boolean;
}

export interface VoteRequest extends Envelope {
  readonly kind: 'vote-request';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

export interface VoteResponse extends Envelope {
  readonly kind: 'vote-response';
  readonly granted: boolean;
}

/**
 * Replication and heartbeat. `sentAt` is the leader's own clock, echoed in
 * the response: the leader's lease starts from when it sent a message a
 * quorum answered, which needs no trust in anyone else's clock.
 */
export interface AppendEntriesRequest<C> extends Envelope {
  readonly kind: 'append-entries-request';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry<C>[];
  readonly leaderCommit: number;
  readonly sentAt: number;
}

/**
 * On success `matchIndex` is the last index the request vouched for; on
 * failure `retryIndex` is where the leader should resume. `prevLogIndex`
 * echoes the request's, so a late answer to an old probe is recognised.
 */
export interface AppendEntriesResponse extends Envelope {
  readonly kind: 'append-entries-response';
  readonly success: boolean;
  readonly prevLogIndex: number;
  readonly matchIndex: number;
  readonly retryIndex: number;
  readonly sentAt: number;
}

export type RaftMessage<C> =
  | PreVoteRequest
  | PreVoteResponse
  | VoteRequest
  | VoteResponse
  | AppendEntriesRequest<C>
  | AppendEntriesResponse;

/** Where a node's outbound messages go. Delivery may be late, lost, duplicated or reordered: Raft copes. */
export interface RaftTransport<C> {
  send(message: RaftMessage<C>): void;
}

/** One line per message, for logs and simulation traces. */
export function describeRaftMessage<C>(message: RaftMessage<C>): string {
  const head = `${message.from}->${message.to} ${message.kind} t${message.term}`;
  switch (message.kind) {
    case 'pre-vote-request':
    case 'vote-request':
      return `${head} last=${message.lastLogIndex}/t${message.lastLogTerm}`;
    case 'pre-vote-response':
    case 'vote-response':
      return `${head} ${message.granted ? 'granted' : 'refused'}`;
    case 'append-entries-request': {
      const terms = message.entries.map((entry) => entry.term).join(',');
      return `${head} prev=${message.prevLogIndex}/t${message.prevLogTerm} entries=[${terms}] commit=${message.leaderCommit}`;
    }
    case 'append-entries-response':
      return message.success
        ? `${head} ok match=${message.matchIndex}`
        : `${head} rejected prev=${message.prevLogIndex} retry=${message.retryIndex}`;
  }
}
