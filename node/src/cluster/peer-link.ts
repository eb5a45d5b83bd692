import { type Frame, PROTOCOL_VERSION, decodeFrame, encodeFrame } from '@shoal/client/protocol';
import WebSocket from 'ws';

/** Who a peer link reaches, learned from its PeerHello. */
export interface PeerIdentity {
  readonly id: string;
  readonly address: string;
}

export interface PeerLinkHandlers {
  onUp(link: PeerLink, peer: PeerIdentity): void;
  onMessage(link: PeerLink, message: unknown): void;
  onDown(link: PeerLink): void;
  /** A frame that is not a peer frame, a wrong secret: the link is closed, and this says why. */
  onRefused(link: PeerLink, reason: string): void;
}

export interface PeerLinkOptions {
  readonly self: PeerIdentity;
  readonly clusterSecret: string | null;
  readonly secretMatches: (secret: string | null) => boolean;
  readonly maxFrameBytes: number;
}

/**
 * One WebSocket between two nodes. Both ends send a PeerHello carrying the
 * cluster secret; a link is up only once the other end's hello checked out.
 * Messages on one link arrive in order, which replication relies on.
 */
export class PeerLink {
  peer: PeerIdentity | undefined;
  private up = false;
  private down = false;

  constructor(
    readonly socket: WebSocket,
    readonly direction: 'outbound' | 'inbound',
    private readonly options: PeerLinkOptions,
    private readonly handlers: PeerLinkHandlers,
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.onClose());
    socket.on('error', () => {});
    if (direction === 'outbound') socket.on('open', () => this.sendHello());
  }

  /** Dials `ws://address/peer?from=<id>`; the `from` lets a fault-injecting proxy tell peers apart. */
  static dial(address: string, options: PeerLinkOptions, handlers: PeerLinkHandlers): PeerLink {
    const socket = new WebSocket(`ws://${address}/peer?from=${encodeURIComponent(options.self.id)}`, {
      maxPayload: options.maxFrameBytes,
      handshakeTimeout: 2_000,
      perMessageDeflate: false,
    });
    return new PeerLink(socket, 'outbound', options, handlers);
  }

  get isUp(): boolean {
    return this.up && this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  send(message: unknown): boolean {
    if (!this.isUp) return false;
    this.socket.send(encodeFrame({ kind: 'peer', message }));
    return true;
  }

  close(): void {
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close(1001, 'node leaving');
    const timer = setTimeout(() => this.socket.terminate(), 1_000);
    timer.unref();
    this.onClose();
  }

  private sendHello(): void {
    const { self, clusterSecret } = this.options;
    this.socket.send(encodeFrame({ kind: 'peer-hello', version: PROTOCOL_VERSION, nodeId: self.id, address: self.address, clusterSecret }));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.down) return;
    let frame: Frame;
    try {
      if (!isBinary) throw new Error('text message');
      frame = decodeFrame(data);
    } catch (err) {
      return this.refuse(`malformed peer frame: ${(err as Error).message}`);
    }
    if (!this.up) return this.onHello(frame);
    if (frame.kind !== 'peer') return this.refuse(`unexpected ${frame.kind} frame on a peer link`);
    this.handlers.onMessage(this, frame.message);
  }

  private onHello(frame: Frame): void {
    if (frame.kind !== 'peer-hello') return this.refuse(`expected a peer hello, got ${frame.kind}`);
    if (frame.version !== PROTOCOL_VERSION) return this.refuse(`peer speaks protocol ${frame.version}, this node ${PROTOCOL_VERSION}`);
    if (!this.options.secretMatches(frame.clusterSecret)) return this.refuse(`wrong cluster secret from ${frame.nodeId} at ${frame.address}`);
    if (this.direction === 'inbound') this.sendHello();
    this.peer = { id: frame.nodeId, address: frame.address };
    this.up = true;
    this.handlers.onUp(this, this.peer);
  }

  private refuse(reason: string): void {
    this.handlers.onRefused(this, reason);
    this.socket.close(4001, 'refused');
    this.onClose();
  }

  private onClose(): void {
    if (this.down) return;
    this.down = true;
    const wasUp = this.up;
    this.up = false;
    if (wasUp) this.handlers.onDown(this);
  }
}
