import { forkRng, type Rng } from '../../../src/control-plane/rng.js';
import type { CommittedEntry } from '../../../src/control-plane/raft/log-entry.js';
import { type Configuration, describeConfiguration, type MembershipChange, type NodeId } from '../../../src/control-plane/raft/membership.js';
import { RaftError } from '../../../src/control-plane/raft/raft-errors.js';
import type { RaftMessage } from '../../../src/control-plane/raft/raft-messages.js';
import { RaftNode } from '../../../src/control-plane/raft/raft-node.js';
import type { Proposal, RaftStatus } from '../../../src/control-plane/raft/raft-status.js';
import type { RaftTiming } from '../../../src/control-plane/raft/raft-timing.js';
import { DriftingClock } from './drifting-clock.js';
import { EventQueue } from './event-queue.js';
import { RecordingStorage } from './recording-storage.js';
import { SafetyChecker } from './safety-checker.js';
import { type NetworkConditions, SimulatedNetwork } from './simulated-network.js';
import { SimTrace } from './sim-trace.js';
import { VirtualClock } from './virtual-clock.js';

/** Commands in the simulation are unique strings, so any mix-up shows. */
export type SimCommand = string;

export interface SimNodeSpec {
  readonly id: NodeId;
  readonly initialConfiguration: Configuration;
  /** How fast this node's clock runs against virtual time. */
  readonly clockRate: number;
}

export interface SimClusterOptions {
  readonly rng: Rng;
  readonly nodes: readonly SimNodeSpec[];
  readonly timing: RaftTiming;
  readonly preVote: boolean;
  readonly maxEntriesPerAppend: number;
  readonly network: NetworkConditions;
  readonly traceCapacity: number;
  /** A run that takes more events than this is stuck in a loop. */
  readonly maxEvents: number;
}

/** One simulated machine: its storage outlives crashes, its RaftNode does not. */
export class SimHost {
  node: RaftNode<SimCommand> | undefined;
  incarnation = 0;
  /** Entries applied by the current incarnation's state machine. */
  readonly applied: CommittedEntry<SimCommand>[] = [];
  timerGeneration = 0;
  scheduledDeadline = Number.NaN;

  constructor(
    readonly id: NodeId,
    readonly initialConfiguration: Configuration,
    readonly clock: DriftingClock,
    readonly storage: RecordingStorage<SimCommand>,
    readonly rng: Rng,
  ) {}
}

/**
 * Real RaftNodes on virtual time and a seeded network. Every event (a
 * delivery, a timer, a crash, a client call) is one step, and the safety
 * checker runs after each.
 */
export class SimCluster {
  readonly clock = new VirtualClock();
  readonly queue = new EventQueue();
  readonly trace: SimTrace;
  readonly network: SimulatedNetwork<SimCommand>;
  readonly checker: SafetyChecker<SimCommand>;
  readonly hosts = new Map<NodeId, SimHost>();
  events = 0;
  readonly stats = { elections: 0, commits: 0, configurationCommits: 0, truncations: 0, crashes: 0 };

  constructor(private readonly options: SimClusterOptions) {
    this.trace = new SimTrace(options.traceCapacity);
    this.checker = new SafetyChecker(options.timing);
    this.network = new SimulatedNetwork(forkRng(options.rng), this.queue, this.clock, this.trace, options.network, (message) =>
      this.deliver(message),
    );
    for (const { id, initialConfiguration, clockRate } of options.nodes) {
      const storage = new RecordingStorage<SimCommand>((from, removed) => {
        this.stats.truncations += 1;
        this.trace.record(this.clock.now(), `${id} truncates its log from ${from} (${removed.length} entries)`);
        this.checker.onTruncate(id, from, removed);
      });
      const host = new SimHost(id, initialConfiguration, new DriftingClock(this.clock, clockRate), storage, forkRng(options.rng));
      this.hosts.set(id, host);
      this.boot(host);
    }
    this.afterStep();
  }

  /** Runs `action` as one step at `at` (virtual ms). */
  scheduleAt(at: number, action: () => void): void {
    this.queue.schedule(at, () => action());
  }

  /** Runs `action` as one step now, outside the queue: the checker runs and timers follow, as for any event. */
  stepNow(action: () => void): void {
    action();
    this.afterStep();
  }

  /** Processes events up to and including time `until`, or until `stop()` holds after a step. */
  runUntil(until: number, stop: () => boolean = () => false): void {
    for (;;) {
      const next = this.queue.peekTime();
      if (next === undefined || next > until) break;
      const event = this.queue.pop();
      if (event === undefined) break;
      this.clock.advanceTo(event.at);
      if (++this.events > this.options.maxEvents) throw new Error(`more than ${this.options.maxEvents} events: the simulation is looping`);
      event.run();
      this.afterStep();
      if (stop()) return;
    }
    if (this.clock.now() < until) this.clock.advanceTo(until);
  }

  liveHosts(): SimHost[] {
    return [...this.hosts.values()].filter((host) => host.node !== undefined);
  }

  crashedHosts(): SimHost[] {
    return [...this.hosts.values()].filter((host) => host.node === undefined);
  }

  /** Live leaders, the one of the highest term first. */
  leaders(): { host: SimHost; status: RaftStatus }[] {
    return this.liveHosts()
      .map((host) => ({ host, status: (host.node as RaftNode<SimCommand>).status() }))
      .filter(({ status }) => status.role === 'leader')
      .sort((a, b) => b.status.term - a.status.term);
  }

  crash(host: SimHost): void {
    if (host.node === undefined) return;
    host.node = undefined;
    this.stats.crashes += 1;
    host.timerGeneration += 1;
    host.scheduledDeadline = Number.NaN;
    this.trace.record(this.clock.now(), `CRASH ${host.id}`);
  }

  restart(host: SimHost): void {
    if (host.node !== undefined) return;
    host.incarnation += 1;
    host.applied.length = 0;
    this.boot(host);
    const { currentTerm, votedFor } = host.storage.readHardState();
    this.trace.record(this.clock.now(), `RESTART ${host.id} with term ${currentTerm}, vote ${votedFor ?? '-'}, log ${host.storage.lastIndex()}`);
  }

  /** Proposes through `host` if it leads; refusals are expected and only traced. */
  propose(host: SimHost, command: SimCommand): Proposal | undefined {
    return this.tryClientCall(host, `propose ${JSON.stringify(command)}`, (node) => node.propose(command));
  }

  changeMembership(host: SimHost, change: MembershipChange): Proposal | undefined {
    return this.tryClientCall(host, `${change.kind} ${change.node}`, (node) => node.changeMembership(change));
  }

  private tryClientCall(host: SimHost, what: string, call: (node: RaftNode<SimCommand>) => Proposal): Proposal | undefined {
    const node = host.node;
    if (node === undefined) return undefined;
    try {
      const proposal = call(node);
      this.trace.record(this.clock.now(), `${host.id} accepts ${what} at ${proposal.index} t${proposal.term}`);
      return proposal;
    } catch (error) {
      if (!(error instanceof RaftError)) throw error;
      this.trace.record(this.clock.now(), `${host.id} refuses ${what}: ${error.code}`);
      return undefined;
    }
  }

  private boot(host: SimHost): void {
    const node: RaftNode<SimCommand> = new RaftNode<SimCommand>({
      id: host.id,
      clock: host.clock,
      rng: host.rng,
      transport: { send: (message) => this.network.send(message) },
      storage: host.storage,
      initialConfiguration: host.initialConfiguration,
      timing: this.options.timing,
      preVote: this.options.preVote,
      maxEntriesPerAppend: this.options.maxEntriesPerAppend,
      stateMachine: { apply: (entry) => this.onApply(host, node, entry) },
      onStatusChange: (status) => this.onStatusChange(status),
    });
    host.node = node;
  }

  private onApply(host: SimHost, node: RaftNode<SimCommand>, entry: CommittedEntry<SimCommand>): void {
    const expected = host.applied.length + 1;
    if (entry.index !== expected) throw new Error(`${host.id} applied ${entry.index} when ${expected} was next`);
    host.applied.push(entry);
    if (entry.index > this.stats.commits) {
      this.stats.commits = entry.index;
      if (entry.kind === 'configuration') this.stats.configurationCommits += 1;
    }
    const term = node.status().term;
    this.trace.record(this.clock.now(), () => `${host.id} applies ${entry.index}: ${describeEntry(entry)}`);
    this.checker.onApply(host.id, entry, term);
  }

  private onStatusChange(status: RaftStatus): void {
    if (status.role === 'leader') this.stats.elections += 1;
    const leader = status.role === 'follower' && status.leaderId !== undefined ? ` of ${status.leaderId}` : '';
    this.trace.record(this.clock.now(), `${status.id} is ${status.role}${leader} in term ${status.term}`);
  }

  private deliver(message: RaftMessage<SimCommand>): void {
    const node = this.hosts.get(message.to)?.node;
    if (node === undefined) {
      this.trace.record(this.clock.now(), `drop (${message.to} is down) ${message.kind} from ${message.from}`);
      return;
    }
    node.receive(message);
  }

  private afterStep(): void {
    this.checker.afterStep(this.hosts.values());
    for (const host of this.hosts.values()) this.scheduleTimer(host);
  }

  /** Keeps one pending tick per live node, at its next deadline; superseded ticks are skipped by generation. */
  private scheduleTimer(host: SimHost): void {
    const node = host.node;
    if (node === undefined) return;
    const deadline = node.nextDeadline();
    if (deadline === host.scheduledDeadline) return;
    host.scheduledDeadline = deadline;
    const generation = ++host.timerGeneration;
    this.queue.schedule(Math.max(host.clock.virtualTimeOf(deadline), this.clock.now()), () => {
      if (host.timerGeneration !== generation || host.node === undefined) return;
      host.scheduledDeadline = Number.NaN;
      host.node.tick();
    });
  }
}

export function describeEntry(entry: CommittedEntry<SimCommand>): string {
  switch (entry.kind) {
    case 'noop':
      return `t${entry.term} noop`;
    case 'command':
      return `t${entry.term} ${entry.command}`;
    case 'configuration':
      return `t${entry.term} ${describeConfiguration(entry.configuration)}`;
  }
}
