import { InvalidMembershipChangeError } from './raft-errors.js';

export type NodeId = string;

/**
 * Who takes part in the log. Voters elect the leader and count towards
 * commits; learners receive every entry but are invisible to quorums, so a
 * slow or far learner never holds the cluster back.
 */
export interface Configuration {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/**
 * One single-server step (dissertation §4.1). Each changes the voter set by at
 * most one, which is what lets the old and new majorities overlap without
 * joint consensus.
 */
export type MembershipChange =
  | { readonly kind: 'add-learner'; readonly node: NodeId }
  | { readonly kind: 'promote'; readonly node: NodeId }
  | { readonly kind: 'demote'; readonly node: NodeId }
  | { readonly kind: 'remove'; readonly node: NodeId };

export const EMPTY_CONFIGURATION: Configuration = { voters: [], learners: [] };

/** The design's cap: beyond five, more voters only slow commits down. */
export const DEFAULT_MAX_VOTERS = 5;

export function isVoter(configuration: Configuration, node: NodeId): boolean {
  return configuration.voters.includes(node);
}

export function isLearner(configuration: Configuration, node: NodeId): boolean {
  return configuration.learners.includes(node);
}

export function isMember(configuration: Configuration, node: NodeId): boolean {
  return isVoter(configuration, node) || isLearner(configuration, node);
}

/** Every member but `self`: whom a leader replicates to. */
export function peersOf(configuration: Configuration, self: NodeId): NodeId[] {
  return [...configuration.voters, ...configuration.learners].filter((node) => node !== self);
}

/** Votes (or replicas) needed out of `voterCount`. */
export function quorumSize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/** The configuration after `change`; throws `InvalidMembershipChangeError` when it does not apply. */
export function applyMembershipChange(configuration: Configuration, change: MembershipChange, maxVoters = DEFAULT_MAX_VOTERS): Configuration {
  const { voters, learners } = configuration;
  const { node } = change;
  switch (change.kind) {
    case 'add-learner':
      if (isMember(configuration, node)) throw new InvalidMembershipChangeError(`${node} is already a member`);
      return { voters, learners: [...learners, node] };
    case 'promote':
      if (!isLearner(configuration, node)) throw new InvalidMembershipChangeError(`${node} is not a learner`);
      if (voters.length >= maxVoters) throw new InvalidMembershipChangeError(`already ${voters.length} voters, the most allowed is ${maxVoters}`);
      return { voters: [...voters, node], learners: without(learners, node) };
    case 'demote':
      if (!isVoter(configuration, node)) throw new InvalidMembershipChangeError(`${node} is not a voter`);
      if (voters.length === 1) throw new InvalidMembershipChangeError(`${node} is the last voter`);
      return { voters: without(voters, node), learners: [...learners, node] };
    case 'remove':
      if (!isMember(configuration, node)) throw new InvalidMembershipChangeError(`${node} is not a member`);
      if (isVoter(configuration, node) && voters.length === 1) throw new InvalidMembershipChangeError(`${node} is the last voter`);
      return { voters: without(voters, node), learners: without(learners, node) };
  }
}

export function describeConfiguration(configuration: Configuration): string {
  const learners = configuration.learners.length > 0 ? ` learners=${configuration.learners.join(',')}` : '';
  return `voters=${configuration.voters.join(',') || '-'}${learners}`;
}

function without(nodes: readonly NodeId[], node: NodeId): NodeId[] {
  return nodes.filter((n) => n !== node);
}
