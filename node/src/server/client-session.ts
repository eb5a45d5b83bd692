import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  CloseCode,
  ErrorCode,
  type Frame,
  PROTOCOL_VERSION,
  ResponseStatus,
  ShoalError,
  type WireRequest,
  type WireResponse,
  decodeFrame,
  encodeFrame,
  type Opcode,
  isOpcode,
  opcodeName,
  packIntoFrames,
} from '@shoal/client/protocol';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { NodeMetrics } from '../metrics/node-metrics.js';
import { describeInput } from '../input/describe-input.js';

export interface SessionOptions {
  readonly nodeId: string;
  readonly authToken: string | null;
  readonly partitionCount: number;
  readonly maxFrameBytes: number;
  readonly handshakeTimeoutMs: number;
  /** Unsent response bytes at which the node stops reading from this client. */
  readonly highWaterBytes: number;
}

/** Runs one request: its result, a promise of it (a write waiting for its replicas), or a thrown `ShoalError`. */
export type Dispatch = (opcode: Opcode, request: WireRequest, clientId: string | undefined) => unknown;

const DRAIN_POLL_MS = 5;

type SessionState =
  | { readonly kind: 'awaiting-hello' }
  | { readonly kind: 'serving'; readonly clientName: string; readonly clientId: string | undefined }
  | { readonly kind: 'closing' };

/**
 * One client connection: the handshake, then frames of requests run through
 * the handler table. A slow reader is paused, not buffered for.
 */
export class ClientSession {
  private state: SessionState = { kind: 'awaiting-hello' };
  /** Polls the socket's backlog while reading is paused; ws has no public drain event. */
  private drainTimer: NodeJS.Timeout | undefined;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SessionOptions,
    private readonly dispatch: Dispatch,
    /** The partition map epoch, sent with every answer so a client knows when its map is stale. */
    private readonly mapEpoch: () => number,
    private readonly metrics: NodeMetrics,
    private readonly log: Logger,
  ) {
    this.handshakeTimer = setTimeout(() => this.fail(ErrorCode.BadRequest, 'no hello within the handshake timeout', CloseCode.BadHandshake), options.handshakeTimeoutMs);
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('close', () => this.onClose());
    socket.on('error', (err) => log.debug({ err }, 'client socket error'));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.metrics.traffic.framesIn++;
    this.metrics.traffic.bytesIn += data.length;
    if (this.state.kind === 'closing') return;
    if (!isBinary) return this.fail(ErrorCode.BadRequest, 'frames must be binary messages', CloseCode.ProtocolError);
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (err) {
      return this.fail(ErrorCode.BadRequest, (err as Error).message, CloseCode.ProtocolError);
    }
    if (this.state.kind === 'awaiting-hello') return this.onHello(frame);
    if (frame.kind !== 'requests') return this.fail(ErrorCode.BadRequest, `unexpected ${frame.kind} frame`, CloseCode.ProtocolError);
    this.serve(frame.requests);
  }

  private onHello(frame: Frame): void {
    clearTimeout(this.handshakeTimer);
    if (frame.kind !== 'hello') return this.fail(ErrorCode.BadRequest, `expected a hello frame, got ${frame.kind}`, CloseCode.BadHandshake);
    if (frame.version !== PROTOCOL_VERSION) {
      return this.fail(ErrorCode.UnsupportedVersion, `node speaks protocol ${PROTOCOL_VERSION}, client ${frame.version}`, CloseCode.BadHandshake);
    }
    if (!this.tokenMatches(frame.authToken)) {
      this.log.warn({ client: frame.clientName }, 'client refused: wrong or missing auth token');
      return this.fail(ErrorCode.Unauthorized, 'wrong or missing auth token', CloseCode.Unauthorized);
    }
    this.state = { kind: 'serving', clientName: frame.clientName, clientId: frame.clientId };
    this.log.debug({ client: frame.clientName }, 'client connected');
    const { nodeId, partitionCount, maxFrameBytes } = this.options;
    this.send(encodeFrame({ kind: 'welcome', version: PROTOCOL_VERSION, nodeId, partitionCount, maxFrameBytes }));
  }

  private tokenMatches(token: string | null): boolean {
    const expected = this.options.authToken;
    if (expected === null) return true;
    if (token === null) return false;
    // Hash both so the comparison takes the same time whatever the lengths.
    const digest = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(token), digest(expected));
  }

  private serve(requests: readonly WireRequest[]): void {
    // A frame is refused whole, before anything in it runs: a client must not see a refused frame take effect.
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i];
      if (!Array.isArray(request) || typeof request[0] !== 'number') {
        return this.fail(ErrorCode.BadRequest, `request ${i} is not [id, opcode, ...args] with a numeric id`, CloseCode.ProtocolError);
      }
    }
    const clientId = this.state.kind === 'serving' ? this.state.clientId : undefined;
    const responses: (WireResponse | Promise<WireResponse>)[] = new Array(requests.length);
    let waiting = false;
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      const response = this.run(request[0] as number, request, clientId);
      responses[i] = response;
      if (response instanceof Promise) waiting = true;
    }
    // Writes wait for their replicas; the frame's other answers wait with them, in order.
    if (!waiting) return this.answer(responses as WireResponse[]);
    void Promise.all(responses).then((settled) => {
      if (this.state.kind !== 'closing') this.answer(settled);
    });
  }

  private answer(responses: WireResponse[]): void {
    const mapEpoch = this.mapEpoch();
    const frames = packIntoFrames(responses, (some) => ({ kind: 'responses', responses: some, mapEpoch }), this.options.maxFrameBytes, (response, error): WireResponse => [
      response[0],
      ResponseStatus.Failed,
      error.code,
      `the response ${error.message}`,
    ]);
    for (const frame of frames) this.send(frame);
  }

  private run(id: number, request: WireRequest, clientId: string | undefined): WireResponse | Promise<WireResponse> {
    const opcode = request[1];
    if (!isOpcode(opcode)) return [id, ResponseStatus.Failed, ErrorCode.UnknownOperation, `unknown operation ${describeInput(opcode)}`];
    const started = performance.now();
    let result: unknown;
    try {
      result = this.dispatch(opcode, request, clientId);
    } catch (err) {
      this.metrics.observe(opcode, (performance.now() - started) / 1000);
      return this.failure(id, opcode, err);
    }
    if (!(result instanceof Promise)) {
      this.metrics.observe(opcode, (performance.now() - started) / 1000);
      return [id, ResponseStatus.Ok, result];
    }
    return result.then(
      (value): WireResponse => [id, ResponseStatus.Ok, value],
      (err): WireResponse => this.failure(id, opcode, err),
    ).finally(() => this.metrics.observe(opcode, (performance.now() - started) / 1000));
  }

  private failure(id: number, opcode: Opcode, err: unknown): WireResponse {
    if (err instanceof ShoalError) return [id, ResponseStatus.Failed, err.code, err.message];
    this.log.error({ err, operation: opcodeName(opcode) }, 'handler failed');
    return [id, ResponseStatus.Failed, ErrorCode.Internal, `internal error in ${opcodeName(opcode)}`];
  }

  private send(bytes: Uint8Array): void {
    this.metrics.traffic.framesOut++;
    this.metrics.traffic.bytesOut += bytes.length;
    this.socket.send(bytes);
    if (this.drainTimer === undefined && this.socket.bufferedAmount > this.options.highWaterBytes) {
      // The client is not reading its responses: stop reading its requests until it catches up.
      this.socket.pause();
      this.waitForDrain();
    }
  }

  private waitForDrain(): void {
    this.drainTimer = setTimeout(() => {
      if (this.state.kind === 'closing') return;
      if (this.socket.bufferedAmount > this.options.highWaterBytes / 2) return this.waitForDrain();
      this.drainTimer = undefined;
      this.socket.resume();
    }, DRAIN_POLL_MS);
  }

  /** Tells the client why and closes the connection; other clients are untouched. */
  private fail(code: ErrorCode, message: string, closeCode: number): void {
    if (this.state.kind === 'closing') return;
    this.state = { kind: 'closing' };
    clearTimeout(this.handshakeTimer);
    this.metrics.protocolErrors.inc();
    this.log.info({ code, reason: message }, 'closing client connection');
    this.send(encodeFrame({ kind: 'fatal', code, message }));
    this.socket.close(closeCode, code);
  }

  private onClose(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.drainTimer);
    this.metrics.connections.dec();
    this.state = { kind: 'closing' };
  }

  /** Closes the connection as the node shuts down. */
  close(): void {
    this.state = { kind: 'closing' };
    this.socket.close(CloseCode.GoingAway, 'node shutting down');
  }
}
