import type { IndexSchema } from '@shoal/sql';
import type { CacheDefinition } from '../storage/cache-definition.js';

/** One partition's replicas as the leader decided them. */
export interface AssignmentChange {
  readonly cache: string;
  readonly partition: number;
  /** In-sync copies, primary first. */
  readonly owners: readonly string[];
  /** Copies being filled by the primary: they take live writes but own nothing yet (late assignment). */
  readonly syncing: readonly string[];
}

/** A filling copy that became whole under the primary of `tenure`. */
export interface CompletedCopy {
  readonly cache: string;
  readonly partition: number;
  readonly node: string;
  readonly tenure: number;
}

/**
 * What the control-plane log replicates. Every node applies the same commands
 * in the same order to its `ClusterState`; `proposalId` lets the node that
 * proposed one learn its outcome from its own apply.
 */
export type ClusterCommand =
  | { readonly kind: 'add-member'; readonly proposalId: string; readonly id: string; readonly address: string }
  | { readonly kind: 'remove-member'; readonly proposalId: string; readonly id: string }
  | { readonly kind: 'create-cache'; readonly proposalId: string; readonly definition: CacheDefinition }
  | { readonly kind: 'destroy-cache'; readonly proposalId: string; readonly name: string }
  | { readonly kind: 'assign'; readonly proposalId: string; readonly changes: readonly AssignmentChange[] }
  | { readonly kind: 'synced'; readonly proposalId: string; readonly copies: readonly CompletedCopy[] }
  | { readonly kind: 'reset-lost'; readonly proposalId: string; readonly cache: string }
  | { readonly kind: 'add-index'; readonly proposalId: string; readonly cache: string; readonly index: IndexSchema }
  | { readonly kind: 'drop-index'; readonly proposalId: string; readonly name: string };
