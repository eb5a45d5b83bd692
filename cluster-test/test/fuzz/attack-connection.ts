import WebSocket from 'ws';
import { type Outgoing, isText } from './wire-oracle.js';

/** Something the node did on a connection. */
export type NodeEvent =
  | { readonly type: 'message'; readonly data: Buffer; readonly isBinary: boolean }
  | { readonly type: 'close'; readonly code: number; readonly reason: string }
  | { readonly type: 'error'; readonly error: Error };

/**
 * A raw WebSocket to a node, for sending whatever the fuzzer likes and reading
 * what comes back one event at a time.
 */
export class AttackConnection {
  private readonly events: NodeEvent[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary) => this.push({ type: 'message', data, isBinary }));
    socket.on('close', (code, reason) => {
      this.closed = true;
      this.push({ type: 'close', code, reason: reason.toString() });
    });
    socket.on('error', (error) => this.push({ type: 'error', error }));
  }

  /** Opens a connection to `ws://endpoint/`; rejects if it is not open within `timeoutMs`. */
  static open(endpoint: string, timeoutMs = 5_000): Promise<AttackConnection> {
    const socket = new WebSocket(`ws://${endpoint}/`, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, handshakeTimeout: timeoutMs });
    const connection = new AttackConnection(socket);
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        socket.terminate();
        reject(err);
      };
      socket.once('open', () => {
        socket.off('error', fail);
        resolve(connection);
      });
      socket.once('error', fail);
    });
  }

  private push(event: NodeEvent): void {
    this.events.push(event);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Sends a message; a send on a socket the node closed is silently dropped (the close event says so). */
  send(message: Outgoing): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (isText(message)) this.socket.send(message.text, { binary: false });
    else if ('fragments' in message) message.fragments.forEach((f, i) => this.socket.send(f, { binary: true, fin: i === message.fragments.length - 1 }));
    else this.socket.send(message.binary, { binary: true });
  }

  /** The next event, or undefined after `timeoutMs` without one. Errors are skipped (a close follows them). */
  async next(timeoutMs: number): Promise<NodeEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event && event.type !== 'error') return event;
      if (event) continue;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.socket.terminate();
  }
}
