import { forkRng, seededRng } from '../../../src/control-plane/rng.js';
import { describeConfiguration } from '../../../src/control-plane/raft/membership.js';
import type { Proposal } from '../../../src/control-plane/raft/raft-status.js';
import { ChaosDriver, describeScenario, drawScenario, type Scenario } from './scenario.js';
import { SimCluster, type SimHost } from './sim-cluster.js';
import { InvariantViolation } from './safety-checker.js';
import { CALM_NETWORK } from './simulated-network.js';

export interface SeedOutcome {
  readonly seed: number;
  readonly ok: boolean;
  /** The seed, scenario, failure, final state and trace; empty when ok. */
  readonly report: string;
  readonly events: number;
  readonly virtualMs: number;
  readonly stats: SimCluster['stats'];
}

export interface RunSeedOptions {
  readonly traceCapacity?: number;
  /** Report (scenario, final state, trace) even when the seed passes. */
  readonly reportOnSuccess?: boolean;
}

export class LivenessFailure extends Error {
  readonly code = 'LIVENESS_FAILURE';

  override get name(): string {
    return this.constructor.name;
  }
}

/** How long a healed cluster gets to elect a leader and commit a proposal on every member. */
const LIVENESS_BUDGET_ELECTION_TIMEOUTS = 40;
const LIVENESS_POLL_MS = 50;

/**
 * One seeded run: chaos (loss, duplication, reordering, partitions, crashes,
 * membership changes, proposals) with every invariant checked after every
 * step, then a healed network with every node restarted, where a leader must
 * be elected and a new proposal reach every member.
 */
export function runSeed(seed: number, options: RunSeedOptions = {}): SeedOutcome {
  const rng = seededRng(seed);
  const scenario = drawScenario(rng);
  const cluster = new SimCluster({
    rng: forkRng(rng),
    nodes: scenario.nodes,
    timing: scenario.timing,
    preVote: scenario.preVote,
    maxEntriesPerAppend: scenario.maxEntriesPerAppend,
    network: scenario.network,
    traceCapacity: options.traceCapacity ?? 400,
    maxEvents: 500_000,
  });
  const chaos = new ChaosDriver(cluster, forkRng(rng), scenario);
  let failure: unknown;
  try {
    chaos.start(scenario.chaosMs);
    cluster.runUntil(scenario.chaosMs);
    cluster.stepNow(() => healEverything(cluster));
    awaitLiveness(cluster, chaos, scenario);
  } catch (error) {
    failure = error;
  }
  const outcome = { seed, events: cluster.events, virtualMs: cluster.clock.now(), stats: cluster.stats };
  if (failure === undefined) return { ...outcome, ok: true, report: options.reportOnSuccess ? report(seed, scenario, cluster, undefined) : '' };
  return { ...outcome, ok: false, report: report(seed, scenario, cluster, failure) };
}

function healEverything(cluster: SimCluster): void {
  cluster.network.heal();
  cluster.network.conditions = CALM_NETWORK;
  for (const host of cluster.crashedHosts()) cluster.restart(host);
  cluster.trace.record(cluster.clock.now(), 'HEAL network, restart every node, calm network from now on');
}

function awaitLiveness(cluster: SimCluster, chaos: ChaosDriver, scenario: Scenario): void {
  // Plus time for the furthest-behind member to catch up, one batch per round trip.
  const longestLog = Math.max(...[...cluster.hosts.values()].map((host) => host.storage.lastIndex()));
  const catchUpMs = Math.ceil(longestLog / scenario.maxEntriesPerAppend) * 2 * CALM_NETWORK.maxDelayMs;
  const deadline = cluster.clock.now() + LIVENESS_BUDGET_ELECTION_TIMEOUTS * scenario.timing.electionTimeoutMaxMs + catchUpMs;
  let pending: (Proposal & { command: string }) | undefined;
  while (cluster.clock.now() < deadline) {
    cluster.runUntil(cluster.clock.now() + LIVENESS_POLL_MS);
    const leader = cluster.leaders()[0];
    if (leader === undefined) continue;
    if (pending !== undefined && isLost(cluster, leader.host, pending)) pending = undefined;
    if (pending === undefined) {
      const command = chaos.nextCommand('final');
      const proposal = cluster.propose(leader.host, command);
      if (proposal !== undefined) pending = { ...proposal, command };
      continue;
    }
    const { index, term } = pending;
    const { voters, learners } = leader.status.configuration;
    const members = [...voters, ...learners].map((id) => cluster.hosts.get(id));
    if (members.every((host) => host?.applied[index - 1]?.term === term)) return;
  }
  const leaders = cluster.leaders().map(({ status }) => `${status.id} (term ${status.term})`);
  throw new LivenessFailure(
    `no progress after healing: leaders now ${leaders.join(', ') || 'none'}, pending proposal ${pending ? `${pending.command} at ${pending.index} t${pending.term}` : 'none'}`,
  );
}

/**
 * The proposal can no longer commit: another entry was applied at its index,
 * or the current leader does not hold it (a committed entry would be in the
 * leader's log).
 */
function isLost(cluster: SimCluster, leader: SimHost, proposal: Proposal): boolean {
  if (leader.node?.entryAt(proposal.index)?.term !== proposal.term) return true;
  return [...cluster.hosts.values()].some((host) => {
    const applied = host.applied[proposal.index - 1];
    return applied !== undefined && applied.term !== proposal.term;
  });
}

function report(seed: number, scenario: Scenario, cluster: SimCluster, failure: unknown): string {
  const verdict = failure === undefined ? `Raft simulation passed for seed ${seed}` : `Raft simulation FAILED for seed ${seed}`;
  return [
    `${verdict} at ${cluster.clock.now().toFixed(1)}ms (virtual), after ${cluster.events} events`,
    `reproduce: SHOAL_SIM_SEED=${seed} npx vitest run node/test/control-plane/raft-simulation.test.ts`,
    `scenario: ${describeScenario(scenario)}`,
    `stats: ${JSON.stringify(cluster.stats)}`,
    ...(failure === undefined ? [] : [`failure: ${describeFailure(failure)}`]),
    'final state:',
    ...[...cluster.hosts.values()].map((host) => `  ${describeHost(host)}`),
    'last events:',
    cluster.trace.format(),
  ].join('\n');
}

/** Invariant and liveness failures speak for themselves; anything else is a crash of the code, so its stack matters. */
function describeFailure(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  if (failure instanceof InvariantViolation || failure instanceof LivenessFailure) return `${failure.code}: ${failure.message}`;
  return `${failure.name}: ${failure.message}\n${failure.stack ?? ''}`;
}

function describeHost(host: SimHost): string {
  const { currentTerm, votedFor } = host.storage.readHardState();
  const persisted = `term ${currentTerm} vote ${votedFor ?? '-'} log ${host.storage.lastIndex()}`;
  if (host.node === undefined) return `${host.id} DOWN (${persisted})`;
  const status = host.node.status();
  return `${host.id} ${status.role} (${persisted}) commit ${status.commitIndex} applied ${status.lastApplied} ${describeConfiguration(status.configuration)}`;
}
