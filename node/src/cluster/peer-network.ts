import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { PeerLink, type PeerIdentity, type PeerLinkHandlers, type PeerLinkOptions } from './peer-link.js';

export interface PeerNetworkEvents {
  onMessage(from: string, message: unknown): void;
  /** A link to `peer` came up: anything sent before may have been lost. */
  onLinkUp(peer: string): void;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;

interface Dialer {
  link: PeerLink | undefined;
  timer: NodeJS.Timeout | undefined;
  delayMs: number;
}

/**
 * The node's links to its peers, all over the node's one port. It dials every
 * address it is asked to keep (members, seeds) and redials with backoff;
 * peers dial it too. A message to a node goes on the outbound link when that
 * is up, else on an inbound one: a node that just joined can answer the
 * leader before it knows the leader's address.
 */
export class PeerNetwork {
  private readonly dialers = new Map<string, Dialer>();
  private readonly inbound = new Set<PeerLink>();
  private readonly byNode = new Map<string, PeerLink>();
  private readonly linkOptions: PeerLinkOptions;
  private readonly handlers: PeerLinkHandlers;
  private stopped = false;

  constructor(
    self: PeerIdentity,
    clusterSecret: string | null,
    maxFrameBytes: number,
    private readonly events: PeerNetworkEvents,
    private readonly log: Logger,
  ) {
    this.linkOptions = { self, clusterSecret, secretMatches: (secret) => secretMatches(clusterSecret, secret), maxFrameBytes };
    this.handlers = {
      onUp: (link, peer) => this.onUp(link, peer),
      onMessage: (link, message) => {
        if (link.peer) this.events.onMessage(link.peer.id, message);
      },
      onDown: (link) => this.onDown(link),
      onRefused: (link, reason) => this.log.warn({ direction: link.direction, reason }, 'peer link refused'),
    };
  }

  /** A peer dialled this node on `/peer`. */
  accept(socket: WebSocket): void {
    if (this.stopped) return void socket.terminate();
    const link = new PeerLink(socket, 'inbound', this.linkOptions, this.handlers);
    this.inbound.add(link);
    socket.once('close', () => this.inbound.delete(link));
  }

  /** Keeps an outbound link to each address (this node's own excepted) and drops the others. */
  keepLinksTo(addresses: Iterable<string>): void {
    const wanted = new Set(addresses);
    wanted.delete(this.linkOptions.self.address);
    for (const [address, dialer] of this.dialers) {
      if (wanted.has(address)) continue;
      clearTimeout(dialer.timer);
      dialer.link?.close();
      this.dialers.delete(address);
    }
    for (const address of wanted) if (!this.dialers.has(address)) this.dial(address, { link: undefined, timer: undefined, delayMs: RECONNECT_MIN_MS });
  }

  /** Sends to a node by id; false when no link to it is up (the message is dropped, as on a lossy network). */
  send(nodeId: string, message: unknown): boolean {
    return this.byNode.get(nodeId)?.send(message) ?? false;
  }

  /** Bytes queued on the link to `nodeId`, for throttling bulk copies. */
  bufferedBytes(nodeId: string): number {
    return this.byNode.get(nodeId)?.bufferedBytes ?? 0;
  }

  isConnected(nodeId: string): boolean {
    return this.byNode.get(nodeId)?.isUp ?? false;
  }

  /** Sends on every outbound link that is up, e.g. a join request to seeds whose ids are unknown. */
  sendToAddresses(message: unknown): void {
    for (const dialer of this.dialers.values()) dialer.link?.send(message);
  }

  stop(): void {
    this.stopped = true;
    for (const dialer of this.dialers.values()) {
      clearTimeout(dialer.timer);
      dialer.link?.close();
    }
    this.dialers.clear();
    for (const link of this.inbound) link.close();
    this.inbound.clear();
    this.byNode.clear();
  }

  private dial(address: string, dialer: Dialer): void {
    this.dialers.set(address, dialer);
    const link = PeerLink.dial(address, this.linkOptions, this.handlers);
    dialer.link = link;
    link.socket.once('close', (code) => {
      if (this.stopped || this.dialers.get(address) !== dialer) return;
      if (code === 4001) this.log.error({ address }, 'peer refused this node: is --cluster-secret the same on every node?');
      dialer.link = undefined;
      dialer.timer = setTimeout(() => this.dial(address, dialer), dialer.delayMs);
      dialer.delayMs = Math.min(dialer.delayMs * 2, RECONNECT_MAX_MS);
    });
    link.socket.once('open', () => {
      dialer.delayMs = RECONNECT_MIN_MS;
    });
  }

  private onUp(link: PeerLink, peer: PeerIdentity): void {
    if (peer.id === this.linkOptions.self.id) {
      // A seed list naming this node itself: nothing to talk to.
      link.close();
      return;
    }
    const current = this.byNode.get(peer.id);
    this.log.debug({ peer: peer.id, direction: link.direction }, 'peer link up');
    if (current && current.isUp && link.direction !== 'outbound') return;
    // Messages now take another path: whatever was in flight on the old one may be lost.
    this.byNode.set(peer.id, link);
    this.events.onLinkUp(peer.id);
  }

  private onDown(link: PeerLink): void {
    const id = link.peer?.id;
    if (id === undefined || this.byNode.get(id) !== link) return;
    this.byNode.delete(id);
    // Fall back to another link to the same node, if one is up.
    for (const other of [...this.inbound, ...[...this.dialers.values()].map((d) => d.link)]) {
      if (other && other !== link && other.isUp && other.peer?.id === id) {
        this.byNode.set(id, other);
        this.events.onLinkUp(id);
        return;
      }
    }
  }
}

function secretMatches(expected: string | null, given: string | null): boolean {
  if (expected === null) return true;
  if (given === null) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
