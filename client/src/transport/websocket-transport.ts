import WebSocket from 'ws';
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/version.js';
import type { Channel, ChannelHandlers, Transport } from './transport.js';

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
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(code ?? 1000, reason);
      },
    };
  }
}
