/**
 * What the protocol core needs of a network: open a message channel to an
 * endpoint. WebSocket is the real one; a simulation may supply its own.
 */
export interface Transport {
  connect(endpoint: string, handlers: ChannelHandlers): Channel;
}

/** An open (or opening) message channel. */
export interface Channel {
  send(bytes: Uint8Array): void;
  /** Bytes handed to `send` and not yet written to the network. */
  readonly bufferedBytes: number;
  close(code?: number, reason?: string): void;
}

/** Callbacks a channel makes; `onClose` is called exactly once. */
export interface ChannelHandlers {
  onOpen(): void;
  onMessage(bytes: Uint8Array): void;
  onClose(code: number, reason: string, error?: Error): void;
}
