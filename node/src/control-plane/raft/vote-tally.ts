import { type NodeId, quorumSize } from './membership.js';

/** Votes of one election (or pre-vote round), counted against the voters of the candidate's configuration. */
export class VoteTally {
  private readonly granted = new Set<NodeId>();

  constructor(private readonly voters: readonly NodeId[]) {}

  /** Records a grant; a grant from outside the configuration counts for nothing, duplicates count once. */
  grant(node: NodeId): void {
    if (this.voters.includes(node)) this.granted.add(node);
  }

  won(): boolean {
    return this.voters.length > 0 && this.granted.size >= quorumSize(this.voters.length);
  }
}
