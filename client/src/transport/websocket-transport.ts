import WebSocket from 'ws';
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/version.js';
import type { Channel, ChannelHandlers, Transport } from './transport.js';

/** How long a closing handshake may take before the socket is dropped. */
const CLOSE_GRACE_MS = 1_000;

/** Connects to a node's port over WebSocket (`ws://host:port/`). */
export class WebSocketTransport implements Transport {
  constructor(private readonly options: { maxFrameBytes?: number; connectTimeoutMs?: number } = {}) {}

  connect(endpoint: string, handlers: ChannelHandlers): Channel {
    const url = endpoint.includes('://') ? endpoint : `ws://${endpoint}/`;
    const socket = new WebSocket(url, {
      maxPayload: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      handshakeTimeout: this.options.connectTimeoutMs ?? 10_000,
      perMessageDeflate: false,
    });
    let closed = false;
    let lastError: Error | undefined;
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => handlers.onOpen());
    socket.on('message', (data: Buffer) => handlers.onMessage(data));
    socket.on('error', (err) => {
      lastError = err;
    });
    socket.on('close', (code, reason) => {
      if (closed) return;
      closed = true;
      handlers.onClose(code, reason.toString(), lastError);
    });
    return {
      send: (bytes) => socket.send(bytes),
      get bufferedBytes() {
        return socket.bufferedAmount;
      },
      close: (code, reason) => {
        if (socket.readyState === WebSocket.CONNECTING) return socket.terminate();
        socket.close(code ?? 1000, reason);
        // A node that does not read (it pauses clients with a backlog) would hold the closing handshake
        // for ws's 30 s; drop the socket soon instead, without keeping the process alive meanwhile.
        const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
        timer.unref();
        socket.once('close', () => clearTimeout(timer));
      },
    };
  }
}
