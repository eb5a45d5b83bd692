import type { ErrorCode } from './error-codes.js';
import { FrameKind, ResponseStatus } from './frame-kinds.js';

/** One request inside a Requests frame: `[id, opcode, ...args]`, validated by the handler. */
export type WireRequest = readonly unknown[];

/** One response inside a Responses frame. */
export type WireResponse =
  | readonly [id: number, status: typeof ResponseStatus.Ok, result: unknown]
  | readonly [id: number, status: typeof ResponseStatus.Failed, code: ErrorCode, message: string];

/** A decoded frame, tagged by `kind`. */
export type Frame =
  | {
      readonly kind: 'hello';
      readonly version: number;
      readonly authToken: string | null;
      readonly clientName: string;
      /** Unique per SDK instance: with the request id it names a write, so a retry after failover applies once. */
      readonly clientId?: string;
    }
  | {
      readonly kind: 'welcome';
      readonly version: number;
      readonly nodeId: string;
      readonly partitionCount: number;
      readonly maxFrameBytes: number;
    }
  | { readonly kind: 'requests'; readonly requests: readonly WireRequest[] }
  | {
      readonly kind: 'responses';
      readonly responses: readonly WireResponse[];
      /** The epoch of the partition map the node answered under (0 standalone): a client holding an older map refreshes it. */
      readonly mapEpoch?: number;
    }
  | { readonly kind: 'fatal'; readonly code: string; readonly message: string }
  | { readonly kind: 'peer-hello'; readonly version: number; readonly nodeId: string; readonly address: string; readonly clusterSecret: string | null }
  | { readonly kind: 'peer'; readonly message: unknown };

/** The compact array a frame travels as. */
export function frameToWire(frame: Frame): unknown[] {
  switch (frame.kind) {
    case 'hello':
      return frame.clientId === undefined
        ? [FrameKind.Hello, frame.version, frame.authToken, frame.clientName]
        : [FrameKind.Hello, frame.version, frame.authToken, frame.clientName, frame.clientId];
    case 'welcome':
      return [FrameKind.Welcome, frame.version, frame.nodeId, frame.partitionCount, frame.maxFrameBytes];
    case 'requests':
      return [FrameKind.Requests, frame.requests];
    case 'responses':
      return frame.mapEpoch === undefined ? [FrameKind.Responses, frame.responses] : [FrameKind.Responses, frame.responses, frame.mapEpoch];
    case 'fatal':
      return [FrameKind.Fatal, frame.code, frame.message];
    case 'peer-hello':
      return [FrameKind.PeerHello, frame.version, frame.nodeId, frame.address, frame.clusterSecret];
    case 'peer':
      return [FrameKind.Peer, frame.message];
  }
}

/** Reads a decoded msgpack value as a frame; `undefined` when its shape is wrong. */
export function frameFromWire(wire: unknown): Frame | undefined {
  if (!Array.isArray(wire)) return undefined;
  const [kind, a, b, c, d] = wire as unknown[];
  switch (kind) {
    case FrameKind.Hello:
      if (typeof a !== 'number' || (b !== null && typeof b !== 'string') || typeof c !== 'string') return undefined;
      // A client id that is not a short string is ignored: that client's retries are simply not deduplicated.
      return typeof d === 'string' && d.length > 0 && d.length <= 64
        ? { kind: 'hello', version: a, authToken: b, clientName: c, clientId: d }
        : { kind: 'hello', version: a, authToken: b, clientName: c };
    case FrameKind.Welcome:
      if (typeof a !== 'number' || typeof b !== 'string' || typeof c !== 'number' || typeof d !== 'number') return undefined;
      return { kind: 'welcome', version: a, nodeId: b, partitionCount: c, maxFrameBytes: d };
    case FrameKind.Requests:
      return Array.isArray(a) ? { kind: 'requests', requests: a as WireRequest[] } : undefined;
    case FrameKind.Responses:
      if (!Array.isArray(a)) return undefined;
      return typeof b === 'number' ? { kind: 'responses', responses: a as WireResponse[], mapEpoch: b } : { kind: 'responses', responses: a as WireResponse[] };
    case FrameKind.Fatal:
      return typeof a === 'string' && typeof b === 'string' ? { kind: 'fatal', code: a, message: b } : undefined;
    case FrameKind.PeerHello:
      if (typeof a !== 'number' || typeof b !== 'string' || typeof c !== 'string' || (d !== null && typeof d !== 'string')) return undefined;
      return { kind: 'peer-hello', version: a, nodeId: b, address: c, clusterSecret: d };
    case FrameKind.Peer:
      return wire.length === 2 ? { kind: 'peer', message: a } : undefined;
    default:
      return undefined;
  }
}
