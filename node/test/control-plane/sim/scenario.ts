import { chance, pick, randomBetween, randomInt, type Rng } from '../../../src/control-plane/rng.js';
import { type Configuration, EMPTY_CONFIGURATION, isMember, type MembershipChange, type NodeId } from '../../../src/control-plane/raft/membership.js';
import type { RaftTiming } from '../../../src/control-plane/raft/raft-timing.js';
import type { SimCluster, SimNodeSpec } from './sim-cluster.js';
import type { NetworkConditions } from './simulated-network.js';

/** A seed's cluster, network and fault mix, all drawn from the seed. */
export interface Scenario {
  readonly nodes: readonly SimNodeSpec[];
  readonly timing: RaftTiming;
  readonly preVote: boolean;
  readonly maxEntriesPerAppend: number;
  readonly network: NetworkConditions;
  /** Virtual time of faults before the network heals and every node restarts. */
  readonly chaosMs: number;
  /** Mean virtual time between two chaos actions. */
  readonly actionIntervalMs: number;
  /** Relative frequency of each chaos action. */
  readonly weights: Readonly<Record<ChaosAction, number>>;
  /** Largest drift of a node's clock rate from 1. */
  readonly maxDrift: number;
}

/** Short timeouts only to make events dense; virtual time costs nothing. */
const SIM_TIMING = {
  heartbeatIntervalMs: 50,
  electionTimeoutMinMs: 150,
  electionTimeoutMaxMs: 300,
  leaseMs: 150,
} as const satisfies RaftTiming;

export type ChaosAction =
  | 'propose'
  | 'crash'
  | 'crash-leader'
  | 'bounce'
  | 'restart'
  | 'partition'
  | 'isolate-leader'
  | 'heal'
  | 'membership'
  | 'idle';

const BASE_WEIGHTS: Readonly<Record<ChaosAction, number>> = {
  propose: 45,
  crash: 4,
  'crash-leader': 2,
  bounce: 3,
  restart: 8,
  partition: 4,
  'isolate-leader': 2,
  heal: 6,
  membership: 10,
  idle: 19,
};

/**
 * Swarm testing: each seed leaves some actions out and scales the others, so
 * that some seeds are all crashes and others all partitions, which finds
 * more than one average mix everywhere.
 */
function drawWeights(rng: Rng): Record<ChaosAction, number> {
  const weights = { ...BASE_WEIGHTS };
  for (const action of Object.keys(weights) as ChaosAction[]) {
    if (action === 'propose') continue;
    weights[action] = chance(rng, 0.25) ? 0 : weights[action] * randomBetween(rng, 0.3, 3);
  }
  return weights;
}

export function drawScenario(rng: Rng): Scenario {
  const voters = randomInt(rng, 1, 6);
  const learners = randomInt(rng, 0, 3);
  const spares = randomInt(rng, 0, 3);
  const ids = Array.from({ length: voters + learners + spares }, (_, i) => `n${i + 1}`);
  const founding: Configuration = { voters: ids.slice(0, voters), learners: ids.slice(voters, voters + learners) };
  const maxDrift = pick(rng, [0, 0.001, 0.05]);
  const nodes = ids.map((id) => ({
    id,
    initialConfiguration: isMember(founding, id) ? founding : EMPTY_CONFIGURATION,
    clockRate: 1 + randomBetween(rng, -maxDrift, maxDrift),
  }));
  const maxDelayMs = pick(rng, [5, 20, 60, 160]);
  const electionTimeoutMaxMs = pick(rng, [160, 300, 600]);
  return {
    nodes,
    // A narrow election window makes split votes common. The lease keeps the
    // margin drift requires: a follower's timeout, on a fast clock, against
    // the leader's lease, on a slow one.
    timing: { ...SIM_TIMING, electionTimeoutMaxMs, leaseMs: Math.floor((SIM_TIMING.electionTimeoutMinMs * (1 - maxDrift)) / (1 + maxDrift)) },
    preVote: chance(rng, 0.5),
    // Small batches make followers acknowledge part of what a leader holds, where Figure 8 lives.
    maxEntriesPerAppend: pick(rng, [1, 2, 64]),
    network: {
      dropRate: pick(rng, [0, 0.01, 0.05, 0.2]),
      duplicateRate: pick(rng, [0, 0.02, 0.1]),
      minDelayMs: randomBetween(rng, 0.5, Math.min(5, maxDelayMs)),
      maxDelayMs,
    },
    chaosMs: randomBetween(rng, 3_000, 8_000),
    actionIntervalMs: pick(rng, [10, 20, 50, 120]),
    weights: drawWeights(rng),
    maxDrift,
  };
}

/** Most clients find a leader; some still hit a follower, which must refuse. */
const PROPOSE_TO_LEADER = 0.85;
const MAX_BURST = 5;
const BOUNCE_MAX_DOWN_MS = 40;

/** Schedules seeded chaos actions from now until `until`; each picks its target from the state when it runs. */
export class ChaosDriver {
  private commands = 0;

  constructor(
    private readonly cluster: SimCluster,
    private readonly rng: Rng,
    private readonly scenario: Scenario,
  ) {}

  start(until: number): void {
    this.scheduleNext(until);
  }

  nextCommand(prefix: string): string {
    return `${prefix}${++this.commands}`;
  }

  private scheduleNext(until: number): void {
    const at = this.cluster.clock.now() + randomBetween(this.rng, 0, 2 * this.scenario.actionIntervalMs);
    if (at >= until) return;
    this.cluster.scheduleAt(at, () => {
      this.act(drawAction(this.rng, this.scenario.weights));
      this.scheduleNext(until);
    });
  }

  private act(action: ChaosAction): void {
    const live = this.cluster.liveHosts();
    const crashed = this.cluster.crashedHosts();
    switch (action) {
      case 'propose':
        return this.propose();
      case 'crash':
        if (live.length > 0) this.cluster.crash(pick(this.rng, live));
        return;
      case 'crash-leader': {
        const leader = this.cluster.leaders()[0];
        if (leader !== undefined) this.cluster.crash(leader.host);
        return;
      }
      case 'isolate-leader': {
        const leader = this.cluster.leaders()[0];
        if (leader !== undefined) this.isolate(leader.host.id);
        return;
      }
      case 'bounce':
        return this.bounce();
      case 'restart':
        if (crashed.length > 0) this.cluster.restart(pick(this.rng, crashed));
        return;
      case 'partition':
        return this.partition();
      case 'heal':
        this.cluster.network.heal();
        this.cluster.trace.record(this.cluster.clock.now(), 'HEAL network');
        return;
      case 'membership':
        return this.changeMembership();
      case 'idle':
        return;
    }
  }

  private propose(): void {
    const live = this.cluster.liveHosts();
    // Any leader, deposed ones included: their doomed entries are what conflicts are made of.
    const leaders = this.cluster.leaders().map(({ host }) => host);
    const candidates = chance(this.rng, PROPOSE_TO_LEADER) ? leaders : live;
    const target = candidates.length > 0 ? pick(this.rng, candidates) : undefined;
    if (target === undefined) return;
    const burst = randomInt(this.rng, 1, MAX_BURST + 1);
    for (let i = 0; i < burst; i++) this.cluster.propose(target, this.nextCommand('c'));
  }

  /** A crash and a quick restart, while the messages it answered or sent are still in flight. */
  private bounce(): void {
    const live = this.cluster.liveHosts();
    if (live.length === 0) return;
    const host = pick(this.rng, live);
    this.cluster.crash(host);
    const incarnation = host.incarnation;
    this.cluster.scheduleAt(this.cluster.clock.now() + randomBetween(this.rng, 0, BOUNCE_MAX_DOWN_MS), () => {
      if (host.incarnation === incarnation) this.cluster.restart(host);
    });
  }

  private isolate(node: NodeId): void {
    const ids = [...this.cluster.hosts.keys()];
    this.cluster.network.partition([node], ids.filter((id) => id !== node));
    this.cluster.trace.record(this.cluster.clock.now(), () => `PARTITION ${node} isolated`);
  }

  private partition(): void {
    const ids = [...this.cluster.hosts.keys()];
    const network = this.cluster.network;
    const shape = randomInt(this.rng, 0, 3);
    if (shape === 0) {
      this.isolate(pick(this.rng, ids));
      return;
    } else if (shape === 1) {
      const side = ids.filter(() => chance(this.rng, 0.5));
      network.partition(side, ids.filter((id) => !side.includes(id)));
    } else {
      network.cutLink(pick(this.rng, ids), pick(this.rng, ids));
    }
    this.cluster.trace.record(this.cluster.clock.now(), () => `PARTITION cut links: ${network.describeCuts()}`);
  }

  private changeMembership(): void {
    const leader = this.cluster.leaders()[0];
    if (leader === undefined) return;
    const change = drawMembershipChange(this.rng, leader.status.configuration, [...this.cluster.hosts.keys()]);
    if (change !== undefined) this.cluster.changeMembership(leader.host, change);
  }
}

function drawAction(rng: Rng, weights: Readonly<Record<ChaosAction, number>>): ChaosAction {
  const entries = Object.entries(weights) as [ChaosAction, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = randomBetween(rng, 0, total);
  for (const [action, weight] of entries) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return 'idle';
}

/** A change that applies to `configuration`, mostly growing it, so that promotions and removals all get exercised. */
function drawMembershipChange(rng: Rng, configuration: Configuration, ids: readonly NodeId[]): MembershipChange | undefined {
  const outsiders = ids.filter((id) => !isMember(configuration, id));
  const { voters, learners } = configuration;
  const options: MembershipChange[] = [
    ...outsiders.map((node) => ({ kind: 'add-learner', node }) as const),
    ...learners.map((node) => ({ kind: 'promote', node }) as const),
    ...learners.map((node) => ({ kind: 'remove', node }) as const),
    ...(voters.length > 1 ? voters.map((node) => ({ kind: 'demote', node }) as const) : []),
    ...(voters.length > 1 ? voters.map((node) => ({ kind: 'remove', node }) as const) : []),
  ];
  return options.length > 0 ? pick(rng, options) : undefined;
}

export function describeScenario(scenario: Scenario): string {
  const founding = scenario.nodes.find((node) => node.initialConfiguration.voters.length > 0)?.initialConfiguration;
  const { dropRate, duplicateRate, minDelayMs, maxDelayMs } = scenario.network;
  return [
    `nodes=${scenario.nodes.map((node) => node.id).join(',')}`,
    `founding voters=${founding?.voters.join(',')} learners=${founding?.learners.join(',') || '-'}`,
    `preVote=${scenario.preVote} batch=${scenario.maxEntriesPerAppend} drift=${scenario.maxDrift} lease=${scenario.timing.leaseMs}ms election=${scenario.timing.electionTimeoutMinMs}..${scenario.timing.electionTimeoutMaxMs}ms`,
    `drop=${dropRate} dup=${duplicateRate} delay=${minDelayMs.toFixed(1)}..${maxDelayMs}ms`,
    `chaos=${scenario.chaosMs.toFixed(0)}ms every~${scenario.actionIntervalMs}ms`,
    `weights=${Object.entries(scenario.weights).map(([action, weight]) => `${action}:${weight.toFixed(1)}`).join(',')}`,
  ].join(' ');
}
