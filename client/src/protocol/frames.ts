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
  | { readonly kind: 'hello'; readonly version: number; readonly authToken: string | null; readonly clientName: string }
  | {
      readonly kind: 'welcome';
      readonly version: number;
      readonly nodeId: string;
      readonly partitionCount: number;
      readonly maxFrameBytes: number;
    }
  | { readonly kind: 'requests'; readonly requests: readonly WireRequest[] }
  | { readonly kind: 'responses'; readonly responses: readonly WireResponse[] }
  | { readonly kind: 'fatal'; readonly code: string; readonly message: string };

/** The compact array a frame travels as. */
export function frameToWire(frame: Frame): unknown[] {
  switch (frame.kind) {
    case 'hello':
      return [FrameKind.Hello, frame.version, frame.authToken, frame.clientName];
    case 'welcome':
      return [FrameKind.Welcome, frame.version, frame.nodeId, frame.partitionCount, frame.maxFrameBytes];
    case 'requests':
      return [FrameKind.Requests, frame.requests];
    case 'responses':
      return [FrameKind.Responses, frame.responses];
    case 'fatal':
      return [FrameKind.Fatal, frame.code, frame.message];
  }
}

/** Reads a decoded msgpack value as a frame; `undefined` when its shape is wrong. */
export function frameFromWire(wire: unknown): Frame | undefined {
  if (!Array.isArray(wire)) return undefined;
  const [kind, a, b, c, d] = wire as unknown[];
  switch (kind) {
    case FrameKind.Hello:
      if (typeof a !== 'number' || (b !== null && typeof b !== 'string') || typeof c !== 'string') return undefined;
      return { kind: 'hello', version: a, authToken: b, clientName: c };
    case FrameKind.Welcome:
      if (typeof a !== 'number' || typeof b !== 'string' || typeof c !== 'number' || typeof d !== 'number') return undefined;
      return { kind: 'welcome', version: a, nodeId: b, partitionCount: c, maxFrameBytes: d };
    case FrameKind.Requests:
      return Array.isArray(a) ? { kind: 'requests', requests: a as WireRequest[] } : undefined;
    case FrameKind.Responses:
      return Array.isArray(a) ? { kind: 'responses', responses: a as WireResponse[] } : undefined;
    case FrameKind.Fatal:
      return typeof a === 'string' && typeof b === 'string' ? { kind: 'fatal', code: a, message: b } : undefined;
    default:
      return undefined;
  }
}
