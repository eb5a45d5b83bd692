import type { RaftMessage } from '../control-plane/index.js';
import { isReplicationMessage, type ReplicationMessage } from '../replication/replication-messages.js';
import type { ClusterCommand } from './cluster-commands.js';

/** Everything nodes say to each other on `/peer` links, tagged by `kind`. */
export type PeerMessage =
  | { readonly kind: 'raft'; readonly message: RaftMessage<ClusterCommand> }
  /** joiner → any member (forwarded to the leader): add me. */
  | { readonly kind: 'join'; readonly id: string; readonly address: string }
  /** member → leader: put this command in the log. */
  | { readonly kind: 'propose'; readonly command: ClusterCommand }
  | ReplicationMessage;

/** Peers are authenticated, but a bug on one must not crash another: anything else is dropped. */
export function isPeerMessage(message: unknown): message is PeerMessage {
  if (message === null || typeof message !== 'object') return false;
  const { kind } = message as { kind?: unknown };
  switch (kind) {
    case 'raft':
      return typeof (message as { message?: unknown }).message === 'object';
    case 'join': {
      const { id, address } = message as { id?: unknown; address?: unknown };
      return typeof id === 'string' && typeof address === 'string';
    }
    case 'propose':
      return typeof (message as { command?: unknown }).command === 'object';
    default:
      return isReplicationMessage(message);
  }
}
