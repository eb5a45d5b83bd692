import { seededRng } from '../../../src/control-plane/rng.js';
import type { CommittedEntry, LogEntry } from '../../../src/control-plane/raft/log-entry.js';
import { type Configuration, EMPTY_CONFIGURATION, type NodeId } from '../../../src/control-plane/raft/membership.js';
import { MemoryRaftStorage } from '../../../src/control-plane/raft/persistent-state.js';
import type { RaftMessage } from '../../../src/control-plane/raft/raft-messages.js';
import { RaftNode, type RaftNodeOptions } from '../../../src/control-plane/raft/raft-node.js';
import type { RaftStatus } from '../../../src/control-plane/raft/raft-status.js';
import type { RaftTiming } from '../../../src/control-plane/raft/raft-timing.js';

export const TEST_TIMING = {
  heartbeatIntervalMs: 10,
  electionTimeoutMinMs: 100,
  electionTimeoutMaxMs: 200,
  leaseMs: 90,
} as const satisfies RaftTiming;

export class ManualClock {
  time = 0;

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export interface ManualMember {
  node: RaftNode<string>;
  readonly storage: MemoryRaftStorage<string>;
  readonly applied: CommittedEntry<string>[];
  readonly statuses: RaftStatus[];
  up: boolean;
}

type MemberOptions = Partial<Omit<RaftNodeOptions<string>, 'id' | 'clock' | 'rng' | 'transport' | 'storage' | 'stateMachine'>> & {
  /** Persistent state to start from, as if the node had run before. */
  readonly term?: number;
  readonly votedFor?: NodeId;
  readonly log?: readonly LogEntry<string>[];
};

/**
 * Real RaftNodes whose messages wait in one outbox until the test delivers
 * or drops them, on a clock the test moves: for scenarios told step by step.
 */
export class ManualCluster {
  readonly clock = new ManualClock();
  readonly members = new Map<NodeId, ManualMember>();
  outbox: RaftMessage<string>[] = [];

  add(id: NodeId, initialConfiguration: Configuration = EMPTY_CONFIGURATION, options: MemberOptions = {}): ManualMember {
    const storage = new MemoryRaftStorage<string>();
    storage.writeHardState({ currentTerm: options.term ?? 0, votedFor: options.votedFor });
    storage.append(options.log ?? []);
    const member: ManualMember = { node: undefined as unknown as RaftNode<string>, storage, applied: [], statuses: [], up: true };
    member.node = this.boot(id, member, { timing: TEST_TIMING, preVote: false, initialConfiguration, ...options });
    this.members.set(id, member);
    return member;
  }

  member(id: NodeId): ManualMember {
    const member = this.members.get(id);
    if (member === undefined) throw new Error(`no member ${id}`);
    return member;
  }

  node(id: NodeId): RaftNode<string> {
    return this.member(id).node;
  }

  /** Replaces the node by a fresh one over the same storage: volatile state is lost. */
  restart(id: NodeId, options: MemberOptions = {}): RaftNode<string> {
    const member = this.member(id);
    member.applied.length = 0;
    member.up = true;
    member.node = this.boot(id, member, { timing: TEST_TIMING, preVote: false, ...options });
    return member.node;
  }

  /** Moves the clock to `id`'s next deadline and ticks it alone. */
  fire(id: NodeId): void {
    const node = this.node(id);
    this.clock.time = Math.max(this.clock.time, node.nextDeadline());
    node.tick();
  }

  /**
   * Delivers outbox messages, and the messages they cause, until none is
   * left; `drop` decides which are lost. Messages to a down member are lost.
   */
  flush(drop: (message: RaftMessage<string>) => boolean = () => false, maxRounds = 100): void {
    for (let round = 0; round < maxRounds && this.outbox.length > 0; round++) {
      const batch = this.outbox;
      this.outbox = [];
      for (const message of batch) {
        const target = this.members.get(message.to);
        if (drop(message) || target === undefined || !target.up) continue;
        target.node.receive(message);
      }
    }
  }

  /** Takes the pending messages matching `filter` out of the outbox. */
  take(filter: (message: RaftMessage<string>) => boolean): RaftMessage<string>[] {
    const taken = this.outbox.filter(filter);
    this.outbox = this.outbox.filter((message) => !filter(message));
    return taken;
  }

  private boot(id: NodeId, member: ManualMember, options: MemberOptions): RaftNode<string> {
    const { term: _term, votedFor: _votedFor, log: _log, ...nodeOptions } = options;
    return new RaftNode<string>({
      ...nodeOptions,
      id,
      clock: this.clock,
      rng: seededRng(id.charCodeAt(id.length - 1)),
      storage: member.storage,
      transport: { send: (message) => this.outbox.push(message) },
      stateMachine: { apply: (entry) => member.applied.push(entry) },
      onStatusChange: (status) => member.statuses.push(status),
    });
  }
}

export const entry = {
  noop: (term: number): LogEntry<string> => ({ kind: 'noop', term }),
  command: (term: number, command: string): LogEntry<string> => ({ kind: 'command', term, command }),
};

export const voters = (...ids: NodeId[]): Configuration => ({ voters: ids, learners: [] });
