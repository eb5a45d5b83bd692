import type { ShoalError } from './protocol/errors.js';
import type { TimerHandle } from './clock.js';
import type { Channel } from './transport/transport.js';

/** Where a connection is in its life, tagged by `kind`. */
export type ConnectionState =
  | { readonly kind: 'connecting'; readonly channel: Channel; readonly endpoint: string }
  | { readonly kind: 'ready'; readonly channel: Channel; readonly endpoint: string; readonly nodeId: string; readonly maxFrameBytes: number }
  | { readonly kind: 'waiting-to-reconnect'; readonly timer: TimerHandle; readonly lastError: ShoalError }
  | { readonly kind: 'closed'; readonly reason: ShoalError };

/** A request awaiting its response. */
export interface PendingRequest {
  readonly wire: readonly unknown[];
  readonly weight: number;
  readonly deadline: number;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: ShoalError) => void;
  /** False until the request has been written to a channel. */
  sent: boolean;
}
