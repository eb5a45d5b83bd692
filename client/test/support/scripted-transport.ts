import { type Frame, PROTOCOL_VERSION, ResponseStatus, type WireRequest, type WireResponse, decodeFrame, encodeFrame } from '../../src/protocol/index.js';
import type { Channel, ChannelHandlers, Transport } from '../../src/transport/transport.js';

/** The far end of one channel, as the test sees it. */
export class ScriptedPeer {
  readonly received: Frame[] = [];
  closed = false;

  constructor(
    readonly endpoint: string,
    private readonly handlers: ChannelHandlers,
  ) {}

  open(): void {
    this.handlers.onOpen();
  }

  welcome(nodeId = 'n1'): void {
    this.deliver({ kind: 'welcome', version: PROTOCOL_VERSION, nodeId, partitionCount: 1024, maxFrameBytes: 1 << 20 });
  }

  deliver(frame: Frame): void {
    this.handlers.onMessage(encodeFrame(frame));
  }

  /** Answers every request received so far with `answer(request)`. */
  answerAll(answer: (request: WireRequest) => unknown): void {
    const responses: WireResponse[] = [];
    for (const frame of this.received.splice(0)) {
      if (frame.kind !== 'requests') continue;
      for (const request of frame.requests) responses.push([request[0] as number, ResponseStatus.Ok, answer(request)]);
    }
    this.deliver({ kind: 'responses', responses });
  }

  drop(code = 1006): void {
    this.closed = true;
    this.handlers.onClose(code, 'dropped');
  }

  /** Frames of requests received (hello excluded). */
  requestFrames(): Frame[] {
    return this.received.filter((f) => f.kind === 'requests');
  }
}

/** A network the test drives: each connect makes a `ScriptedPeer`. */
export class ScriptedTransport implements Transport {
  readonly peers: ScriptedPeer[] = [];

  connect(endpoint: string, handlers: ChannelHandlers): Channel {
    const peer = new ScriptedPeer(endpoint, handlers);
    this.peers.push(peer);
    return {
      send: (bytes) => peer.received.push(decodeFrame(bytes)),
      bufferedBytes: 0,
      close: () => {
        if (!peer.closed) peer.drop(1000);
      },
    };
  }

  get last(): ScriptedPeer {
    const peer = this.peers.at(-1);
    if (!peer) throw new Error('no connection was opened');
    return peer;
  }
}
