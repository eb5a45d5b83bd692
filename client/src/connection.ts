import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Clock, TimerHandle } from './clock.js';
import { type ConnectionState, type PendingRequest } from './connection-state.js';
import { decodeFrame, encodeFrame } from './protocol/codec.js';
import { packIntoFrames } from './protocol/frame-packing.js';
import { ErrorCode } from './protocol/error-codes.js';
import { ConnectionClosedError, ShoalError, TimeoutError, createError, errorFromWire } from './protocol/errors.js';
import { ResponseStatus } from './protocol/frame-kinds.js';
import type { Frame, WireResponse } from './protocol/frames.js';
import { type Opcode, opcodeName } from './protocol/opcodes.js';
import { PROTOCOL_VERSION } from './protocol/version.js';
import { RequestIds } from './request-ids.js';
import type { Transport } from './transport/transport.js';

export interface ConnectionOptions {
  readonly endpoints: readonly string[];
  readonly transport: Transport;
  readonly clock: Clock;
  readonly authToken: string | null;
  readonly clientName: string;
  readonly requestTimeoutMs: number;
  readonly reconnect: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** Sent in Hello: with the request id it names a write, so the node applies a retry once. */
  readonly clientId?: string;
  /** The id counter, shared by every connection of one client (default: this connection's own). */
  readonly ids?: RequestIds;
  /** Called with the map epoch a Responses frame carries, before its requests settle. */
  readonly onMapEpoch?: (epoch: number) => void;
  /**
   * When the channel drops or a connection attempt fails, fail the requests
   * not yet written too (CONNECTION_CLOSED), instead of holding them for the
   * next handshake: a router retries them, possibly on another member.
   */
  readonly failQueuedOnDisconnect?: boolean;
}

/** Where a request sits in a retry: the id it keeps and the deadline of the whole call. */
export interface RequestSlot {
  readonly id?: number;
  readonly deadline?: number;
}

/** Most requests one frame carries; larger bursts go out as several frames. */
const MAX_REQUESTS_PER_FRAME = 4096;
/**
 * Work (requests plus the keys they carry) after which a frame goes out
 * without waiting for the tick to end, so the node starts on a burst while
 * the client still builds it instead of the two taking turns.
 */
const EARLY_FLUSH_WEIGHT = 64;
/** Codes after which reconnecting cannot help. */
const fatalCodes: ReadonlySet<string> = new Set([ErrorCode.Unauthorized, ErrorCode.UnsupportedVersion]);

/**
 * One logical connection to the grid: a pending map, writes coalesced per
 * microtask, per-request deadlines, and reconnect with backoff.
 */
export class Connection {
  private state: ConnectionState;
  private readonly pending = new Map<number, PendingRequest>();
  private outgoing: (readonly unknown[])[] = [];
  private outgoingWeight = 0;
  private flushScheduled = false;
  private readonly ids: RequestIds;
  private endpointIndex = 0;
  private backoff: IBackoff<unknown> | undefined;
  private readonly sweepTimer: TimerHandle;
  private readyWaiters: { resolve: () => void; reject: (e: ShoalError) => void }[] = [];

  constructor(private readonly options: ConnectionOptions) {
    this.ids = options.ids ?? new RequestIds();
    this.state = this.open();
    this.sweepTimer = options.clock.setInterval(() => this.expireOverdue(), Math.max(5, Math.min(options.requestTimeoutMs / 4, 250)));
  }

  /** Resolves once the handshake succeeded; rejects if the connection closed for good. */
  whenReady(): Promise<void> {
    if (this.state.kind === 'ready') return Promise.resolve();
    if (this.state.kind === 'closed') return Promise.reject(this.state.reason);
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** The node's id while the handshake is done, else undefined. */
  get nodeId(): string | undefined {
    return this.state.kind === 'ready' ? this.state.nodeId : undefined;
  }

  /**
   * Sends one request; the result is the raw wire result. `weight` counts the
   * keys it carries. A retry passes the id and deadline of its first attempt
   * in `slot` (the id must not be pending here already).
   */
  request(opcode: Opcode, args: readonly unknown[], weight = 1, slot: RequestSlot = {}): Promise<unknown> {
    if (this.state.kind === 'closed') return Promise.reject(new ConnectionClosedError(this.state.reason.message, { cause: this.state.reason }));
    const id = slot.id ?? this.ids.next();
    const wire = [id, opcode, ...args];
    const deadline = slot.deadline ?? this.options.clock.now() + this.options.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const entry: PendingRequest = { wire, weight, deadline, resolve, reject, sent: false };
      this.pending.set(id, entry);
      if (this.state.kind === 'ready') this.enqueue(entry);
    });
  }

  /** Closes for good: rejects everything pending with `reason` and stops every timer. */
  close(reason: ShoalError = new ConnectionClosedError('the client was closed')): void {
    if (this.state.kind === 'closed') return;
    const previous = this.state;
    this.state = { kind: 'closed', reason };
    this.options.clock.clear(this.sweepTimer);
    if (previous.kind === 'waiting-to-reconnect') this.options.clock.clear(previous.timer);
    else previous.channel.close(1000, 'client closed');
    this.failAll(this.state.reason, () => true);
    this.rejectReadyWaiters(this.state.reason);
  }

  private rejectReadyWaiters(error: ShoalError): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private open(): ConnectionState {
    const endpoints = this.options.endpoints;
    const endpoint = endpoints[this.endpointIndex++ % endpoints.length]!;
    let channelRef: ConnectionState | undefined;
    try {
      const channel = this.options.transport.connect(endpoint, {
        onOpen: () => channel.send(encodeFrame(this.hello())),
        onMessage: (bytes) => this.onMessage(bytes, channelRef),
        onClose: (code, reason, error) => this.onChannelClosed(channelRef, code, reason, error),
      });
      channelRef = { kind: 'connecting', channel, endpoint };
      return channelRef;
    } catch (err) {
      // A transport that cannot even start an attempt counts as a failed attempt.
      const failure = new ConnectionClosedError(`cannot connect to ${endpoint}: ${(err as Error).message}`, { cause: err });
      if (this.options.failQueuedOnDisconnect) this.failAll(failure, () => true);
      return this.waitToReconnect(failure);
    }
  }

  private hello(): Frame {
    const { authToken, clientName, clientId } = this.options;
    return clientId === undefined
      ? { kind: 'hello', version: PROTOCOL_VERSION, authToken, clientName }
      : { kind: 'hello', version: PROTOCOL_VERSION, authToken, clientName, clientId };
  }

  private onMessage(bytes: Uint8Array, from: ConnectionState | undefined): void {
    if (from === undefined || !this.isCurrent(from)) return;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (err) {
      this.dropChannel(new ConnectionClosedError(`node sent a malformed frame`, { cause: err }));
      return;
    }
    switch (frame.kind) {
      case 'welcome':
        return this.onWelcome(frame.nodeId, frame.version, frame.maxFrameBytes);
      case 'responses':
        if (frame.mapEpoch !== undefined) this.options.onMapEpoch?.(frame.mapEpoch);
        return this.onResponses(frame.responses);
      case 'fatal':
        return this.onFatal(errorFromWire(frame.code, frame.message));
      default:
        this.dropChannel(new ConnectionClosedError(`node sent an unexpected ${frame.kind} frame`));
    }
  }

  private onWelcome(nodeId: string, version: number, maxFrameBytes: number): void {
    if (this.state.kind !== 'connecting') return;
    if (version !== PROTOCOL_VERSION) {
      this.onFatal(new ShoalError(ErrorCode.UnsupportedVersion, `node speaks protocol ${version}, this client ${PROTOCOL_VERSION}`));
      return;
    }
    this.state = { kind: 'ready', channel: this.state.channel, endpoint: this.state.endpoint, nodeId, maxFrameBytes };
    this.backoff = undefined;
    for (const entry of this.pending.values()) if (!entry.sent) this.enqueue(entry);
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  private onResponses(responses: readonly WireResponse[]): void {
    for (const response of responses) {
      if (!Array.isArray(response)) continue;
      const entry = this.pending.get(response[0]);
      if (entry === undefined) continue; // already timed out
      this.pending.delete(response[0]);
      if (response[1] === ResponseStatus.Ok) entry.resolve(response[2]);
      else entry.reject(errorFromWire(response[2], response[3]));
    }
  }

  private onFatal(error: ShoalError): void {
    // A bad token or an incompatible version: reconnecting cannot help.
    if (fatalCodes.has(error.code)) this.close(error);
    else this.dropChannel(error);
  }

  private dropChannel(error: ShoalError): void {
    if (this.state.kind === 'connecting' || this.state.kind === 'ready') {
      const channel = this.state.channel;
      this.onChannelClosed(this.state, 1002, error.message, error);
      channel.close(1002, 'protocol error');
    }
  }

  private onChannelClosed(from: ConnectionState | undefined, code: number, reason: string, error?: Error): void {
    if (from === undefined || !this.isCurrent(from)) return;
    // Whatever ended the connection (a Fatal frame included), what was in flight failed because it closed.
    const failure = new ConnectionClosedError(`connection closed (${code}${reason ? ` ${reason}` : ''})`, { cause: error });
    // Requests already written may or may not have been applied: their callers must decide.
    this.failAll(failure, (entry) => entry.sent || this.options.failQueuedOnDisconnect === true);
    this.outgoing = [];
    this.outgoingWeight = 0;
    this.state = this.waitToReconnect(failure);
  }

  private waitToReconnect(lastError: ShoalError): ConnectionState {
    this.backoff = this.backoff
      ? this.backoff.next(undefined)
      : new ExponentialBackoff({ initialDelay: this.options.reconnect.initialDelayMs, maxDelay: this.options.reconnect.maxDelayMs }).next();
    const timer = this.options.clock.setTimeout(() => {
      if (this.state.kind === 'waiting-to-reconnect') this.state = this.open();
    }, this.backoff.duration);
    return { kind: 'waiting-to-reconnect', timer, lastError };
  }

  private isCurrent(from: ConnectionState): boolean {
    return (this.state.kind === 'connecting' || this.state.kind === 'ready') && from.kind !== 'closed' && 'channel' in from && this.state.channel === from.channel;
  }

  private enqueue(entry: PendingRequest): void {
    entry.sent = true;
    this.outgoing.push(entry.wire);
    this.outgoingWeight += entry.weight;
    if (this.outgoingWeight >= EARLY_FLUSH_WEIGHT) {
      this.flush();
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    if (this.state.kind !== 'ready' || this.outgoing.length === 0) return;
    const batch = this.outgoing;
    this.outgoing = [];
    this.outgoingWeight = 0;
    const { channel, maxFrameBytes } = this.state;
    for (let start = 0; start < batch.length; start += MAX_REQUESTS_PER_FRAME) {
      const requests = start === 0 && batch.length <= MAX_REQUESTS_PER_FRAME ? batch : batch.slice(start, start + MAX_REQUESTS_PER_FRAME);
      const frames = packIntoFrames(requests, (some) => ({ kind: 'requests', requests: some }), maxFrameBytes, (wire, error) => {
        // Only this request fails (BAD_REQUEST, or FRAME_TOO_LARGE): the rest of the batch goes out.
        this.rejectUnsent(wire, error);
        return undefined;
      });
      for (const frame of frames) channel.send(frame);
    }
  }

  private rejectUnsent(wire: readonly unknown[], error: ShoalError): void {
    const id = wire[0] as number;
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    entry.reject(error);
  }

  private expireOverdue(): void {
    const now = this.options.clock.now();
    for (const [id, entry] of this.pending) {
      if (entry.deadline > now) continue;
      this.pending.delete(id);
      entry.reject(new TimeoutError(this.timeoutMessage(entry)));
    }
  }

  private timeoutMessage(entry: PendingRequest): string {
    const where = this.state.kind === 'ready' ? '' : ` (not connected: ${this.state.kind === 'waiting-to-reconnect' ? this.state.lastError.message : this.state.kind})`;
    return `${opcodeName(entry.wire[1] as number)} timed out${where}`;
  }

  private failAll(error: ShoalError, which: (entry: PendingRequest) => boolean): void {
    for (const [id, entry] of this.pending) {
      if (!which(entry)) continue;
      this.pending.delete(id);
      entry.reject(createError(error.code, error.message, { cause: error }));
    }
  }
}
