import type { Configuration } from './membership.js';

/**
 * One slot of the replicated log. A new leader's `noop` is what lets it commit
 * the entries of earlier terms (it may only count replicas of its own term's
 * entries, Figure 8); `configuration` entries carry a whole configuration so a
 * node never needs history to know its current one.
 */
export type LogEntry<C> =
  | { readonly kind: 'noop'; readonly term: number }
  | { readonly kind: 'command'; readonly term: number; readonly command: C }
  | { readonly kind: 'configuration'; readonly term: number; readonly configuration: Configuration };

/** An entry as the state machine receives it, once committed. */
export type CommittedEntry<C> = LogEntry<C> & { readonly index: number };
