import { Decoder } from '@msgpack/msgpack';
import { ErrorCode, FrameKind, Opcode, PROTOCOL_VERSION } from '@shoal/client/protocol';

/**
 * What the fuzzer expects of the node for one frame, worked out independently
 * of the node's code, and the checks of what came back.
 */

/** The node's own decoder limit on declared array/map lengths (see client/src/protocol/codec.ts). */
const NODE_MAX_COLLECTION_LENGTH = 1_000_000;

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(Opcode));
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
/** Error codes a node may use to refuse bad input. INTERNAL means the node failed, not the input. */
export const ACCEPTABLE_FAILURE_CODES: ReadonlySet<string> = new Set([...KNOWN_CODES].filter((code) => code !== ErrorCode.Internal));

/** Close codes that end a connection cleanly (1006 is an abrupt drop: no close frame). */
export const CLEAN_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001, 1002, 1003, 1007, 1008, 1009, 4001, 4002]);

/**
 * Walks `bytes` as one msgpack value without building it. Undefined when they
 * hold exactly one complete value, else why not. Refuses a header that
 * declares more elements or bytes than follow, so decoding afterwards can
 * allocate at most what the frame really holds.
 */
export function msgpackProblem(bytes: Uint8Array): string | undefined {
  return walkMsgpack(bytes).problem;
}

/**
 * No real frame nests deeper than this (keys and values travel as bins; a
 * cache config is a map): a node may refuse deeper frames as malformed.
 */
export const MAX_FRAME_DEPTH = 32;

/** Frames nested deeper than this are not decoded by the fuzzer itself (its own memory). */
export const MAX_LOCAL_DEPTH = 200_000;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Walks one msgpack value: the first problem, if any, the deepest nesting,
 * and where the first str that is not valid UTF-8 starts (msgpack requires
 * UTF-8; the JS decoder accepts anything and reinterprets it).
 */
export function walkMsgpack(bytes: Uint8Array): { problem?: string; depth: number; badUtf8At?: number } {
  let depth = 0;
  let badUtf8At: number | undefined;
  const walked = walkOne(
    bytes,
    0,
    (d) => {
      if (d > depth) depth = d;
    },
    (start, end) => {
      if (badUtf8At !== undefined) return;
      try {
        strictUtf8.decode(bytes.subarray(start, end));
      } catch {
        badUtf8At = start;
      }
    },
  );
  const found = badUtf8At === undefined ? { depth } : { depth, badUtf8At };
  if ('problem' in walked) return { problem: walked.problem, ...found };
  if (walked.end !== bytes.length) return { problem: `${bytes.length - walked.end} extra bytes after the value`, ...found };
  return found;
}

/**
 * The elements of a msgpack array as the byte ranges of their own encodings,
 * or why `bytes` is not exactly one array.
 */
export function splitMsgpackArray(bytes: Uint8Array): Uint8Array[] | string {
  if (bytes.length === 0) return 'empty';
  const b = bytes[0]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count: number;
  let pos: number;
  if (b >= 0x90 && b <= 0x9f) [count, pos] = [b & 0x0f, 1];
  else if (b === 0xdc && bytes.length >= 3) [count, pos] = [view.getUint16(1), 3];
  else if (b === 0xdd && bytes.length >= 5) [count, pos] = [view.getUint32(1), 5];
  else return `not an array (first byte 0x${b.toString(16)})`;
  const items: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const walked = walkOne(bytes, pos, () => undefined);
    if ('problem' in walked) return `element ${i}: ${walked.problem}`;
    items.push(bytes.subarray(pos, walked.end));
    pos = walked.end;
  }
  if (pos !== bytes.length) return `${bytes.length - pos} extra bytes after ${count} elements`;
  return items;
}

/**
 * Walks one msgpack value from `start` without building it: where it ends, or
 * the first problem. Refuses a header that declares more elements or bytes
 * than follow, so decoding afterwards can allocate at most what is really there.
 */
function walkOne(
  bytes: Uint8Array,
  start: number,
  onDepth: (depth: number) => void,
  onString?: (start: number, end: number) => void,
): { end: number } | { problem: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let pos = start;
  let remaining = 1;
  const stack: number[] = [];
  const need = (n: number) => pos + n <= length;
  for (;;) {
    if (remaining === 0) {
      if (stack.length === 0) break;
      remaining = stack.pop()!;
      continue;
    }
    if (pos >= length) return { problem: `truncated at byte ${pos}` };
    const at = pos;
    const b = bytes[pos++]!;
    remaining--;
    let skip = 0;
    let children = -1;
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) skip = 0;
    else if (b >= 0x80 && b <= 0x8f) children = 2 * (b & 0x0f);
    else if (b >= 0x90 && b <= 0x9f) children = b & 0x0f;
    else if (b >= 0xa0 && b <= 0xbf) skip = b & 0x1f;
    else {
      const sized = (width: 1 | 2 | 4): number | undefined => {
        if (!need(width)) return undefined;
        const n = width === 1 ? view.getUint8(pos) : width === 2 ? view.getUint16(pos) : view.getUint32(pos);
        pos += width;
        return n;
      };
      let n: number | undefined;
      switch (b) {
        case 0xc1:
          return { problem: `never-used type byte 0xc1 at ${at}` };
        case 0xc4: case 0xd9: n = sized(1); skip = n ?? 0; break;
        case 0xc5: case 0xda: n = sized(2); skip = n ?? 0; break;
        case 0xc6: case 0xdb: n = sized(4); skip = n ?? 0; break;
        case 0xc7: n = sized(1); skip = (n ?? 0) + 1; break;
        case 0xc8: n = sized(2); skip = (n ?? 0) + 1; break;
        case 0xc9: n = sized(4); skip = (n ?? 0) + 1; break;
        case 0xca: n = 0; skip = 4; break;
        case 0xcb: n = 0; skip = 8; break;
        case 0xcc: case 0xd0: n = 0; skip = 1; break;
        case 0xcd: case 0xd1: n = 0; skip = 2; break;
        case 0xce: case 0xd2: n = 0; skip = 4; break;
        case 0xcf: case 0xd3: n = 0; skip = 8; break;
        case 0xd4: n = 0; skip = 2; break;
        case 0xd5: n = 0; skip = 3; break;
        case 0xd6: n = 0; skip = 5; break;
        case 0xd7: n = 0; skip = 9; break;
        case 0xd8: n = 0; skip = 17; break;
        case 0xdc: n = sized(2); children = n ?? 0; break;
        case 0xdd: n = sized(4); children = n ?? 0; break;
        case 0xde: n = sized(2); children = 2 * (n ?? 0); break;
        case 0xdf: n = sized(4); children = 2 * (n ?? 0); break;
        default:
          return { problem: `unknown type byte 0x${b.toString(16)} at ${at}` };
      }
      if (n === undefined) return { problem: `truncated header at byte ${at}` };
      if ((b === 0xdc || b === 0xdd || b === 0xde || b === 0xdf) && n > NODE_MAX_COLLECTION_LENGTH) {
        return { problem: `header at ${at} declares ${n} elements, over the node's limit` };
      }
    }
    if (children >= 0) {
      if (children > length - pos) return { problem: `header at byte ${at} declares ${children} elements but ${length - pos} bytes follow` };
      stack.push(remaining);
      onDepth(stack.length);
      remaining = children;
      continue;
    }
    if (!need(skip)) return { problem: `header at byte ${at} declares ${skip} bytes but ${length - pos} follow` };
    if (onString && ((b >= 0xa0 && b <= 0xbf) || b === 0xd9 || b === 0xda || b === 0xdb)) onString(pos, pos + skip);
    pos += skip;
  }
  return { end: pos };
}

/** Decodes a frame the way the node's decoder would, but without trusting declared lengths. */
export function decodeSafely(
  bytes: Uint8Array,
): { ok: true; value: unknown; depth: number; badUtf8At?: number } | { ok: false; why: string; tooDeep?: boolean } {
  const { problem, depth, badUtf8At } = walkMsgpack(bytes);
  if (problem) return { ok: false, why: problem };
  if (depth > MAX_LOCAL_DEPTH) return { ok: false, why: `valid msgpack nested ${depth} deep`, tooDeep: true };
  try {
    // The node's options; declared lengths were checked against real bytes above.
    const decoder = new Decoder({ useBigInt64: true, maxArrayLength: NODE_MAX_COLLECTION_LENGTH, maxMapLength: NODE_MAX_COLLECTION_LENGTH });
    const value: unknown = decoder.decode(bytes);
    return badUtf8At === undefined ? { ok: true, value, depth } : { ok: true, value, depth, badUtf8At };
  } catch (err) {
    return { ok: false, why: `msgpack refused: ${(err as Error).message}` };
  }
}

/** Where an attacking connection stands. */
export type ConnectionStage = 'fresh' | 'serving';

export type Expectation =
  /** A valid hello: the node must welcome (unless `mayRefuse` says why it need not). */
  | { readonly kind: 'welcome'; readonly mayRefuse?: string }
  /** Requests that all carry a numeric id: the node must answer each, in order. */
  | { readonly kind: 'responses'; readonly requests: readonly (readonly unknown[])[] }
  /**
   * A requests frame with a request lacking a numeric id (`firstBad`), or one
   * nested deeper than any real frame: answering all of them, or refusing the
   * frame, are both fine.
   */
  | { readonly kind: 'answer-or-reject'; readonly requests: readonly unknown[]; readonly firstBad: number; readonly why: string }
  /** Not a frame the node can act on: it must send Fatal and/or close, never answer. */
  | { readonly kind: 'reject'; readonly why: string }
  /** Larger than the node's max frame: it must close (1009). */
  | { readonly kind: 'too-large' }
  /** Too deep to decode here: any well-formed answer or a refusal will do, as long as the node lives. */
  | { readonly kind: 'any'; readonly why: string };

/**
 * An outgoing WebSocket message: binary (the protocol), text (never valid;
 * bytes may be invalid UTF-8), or one binary message sent as several fragments.
 */
export type Outgoing = { readonly binary: Uint8Array } | { readonly text: string | Uint8Array } | { readonly fragments: readonly Uint8Array[] };

export function isText(message: Outgoing): message is { readonly text: string | Uint8Array } {
  return 'text' in message;
}

/** The bytes of a binary message, fragments joined. */
export function binaryOf(message: Outgoing): Uint8Array {
  if ('binary' in message) return message.binary;
  if ('fragments' in message) return Buffer.concat(message.fragments);
  return typeof message.text === 'string' ? Buffer.from(message.text) : message.text;
}

export function messageLength(message: Outgoing): number {
  if ('fragments' in message) return message.fragments.reduce((n, f) => n + f.length, 0);
  return binaryOf(message).length;
}

/** Hex of a message for failure reports, shortened past `max` bytes. */
export function hexOf(message: Outgoing, max = 1_024): string {
  const bytes = binaryOf(message);
  const kind = isText(message) ? 'text' : 'fragments' in message ? `binary in ${message.fragments.length} fragments` : 'binary';
  const hex = Buffer.from(bytes.subarray(0, max)).toString('hex');
  return `${kind}, ${bytes.length} bytes: ${hex}${bytes.length > max ? `… (first ${max} bytes shown)` : ''}`;
}

/** What the node should do with `message` at `stage`. */
export function expectationFor(stage: ConnectionStage, message: Outgoing, maxFrameBytes: number): Expectation {
  if (messageLength(message) > maxFrameBytes) return { kind: 'too-large' };
  if (isText(message)) return { kind: 'reject', why: 'text message' };
  const decoded = decodeSafely(binaryOf(message));
  if (!decoded.ok) return decoded.tooDeep ? { kind: 'any', why: decoded.why } : { kind: 'reject', why: decoded.why };
  const wire = decoded.value;
  if (!Array.isArray(wire)) return { kind: 'reject', why: 'frame is not an array' };
  const [kind, a, b, c] = wire as unknown[];
  if (stage === 'fresh') {
    if (kind !== FrameKind.Hello) return { kind: 'reject', why: 'first frame is not a hello' };
    if (typeof a !== 'number' || (b !== null && typeof b !== 'string') || typeof c !== 'string') return { kind: 'reject', why: 'hello of the wrong shape' };
    if (a !== PROTOCOL_VERSION) return { kind: 'reject', why: `hello with protocol version ${a}` };
    const oddity = frameOddity(decoded);
    return oddity ? { kind: 'welcome', mayRefuse: oddity } : { kind: 'welcome' };
  }
  if (kind !== FrameKind.Requests) return { kind: 'reject', why: `frame of kind ${describe(kind, 40)} after the hello` };
  if (!Array.isArray(a)) return { kind: 'reject', why: 'requests is not an array' };
  const firstBad = a.findIndex((request) => !Array.isArray(request) || typeof request[0] !== 'number');
  if (firstBad >= 0) return { kind: 'answer-or-reject', requests: a, firstBad, why: `request ${firstBad} has no numeric id` };
  const oddity = frameOddity(decoded);
  if (oddity) return { kind: 'answer-or-reject', requests: a, firstBad: a.length, why: oddity };
  return { kind: 'responses', requests: a as unknown[][] };
}

/** Why a node may refuse a frame that is otherwise fine: nested deeper than any real frame, or a str that is not UTF-8. */
function frameOddity(decoded: { depth: number; badUtf8At?: number }): string | undefined {
  if (decoded.depth > MAX_FRAME_DEPTH) return `the frame nests ${decoded.depth} deep`;
  if (decoded.badUtf8At !== undefined) return `the str at byte ${decoded.badUtf8At} is not valid UTF-8`;
  return undefined;
}

/** A frame the node sent, decoded and checked; a string says what is wrong with it. */
export type NodeFrame =
  | { readonly kind: 'welcome'; readonly nodeId: string; readonly partitionCount: number; readonly maxFrameBytes: number }
  | { readonly kind: 'responses'; readonly entries: readonly (readonly unknown[])[] }
  | { readonly kind: 'fatal'; readonly code: string; readonly message: string };

export function readNodeFrame(data: Uint8Array, isBinary: boolean): NodeFrame | string {
  if (!isBinary) return 'node sent a text message';
  const decoded = decodeSafely(data);
  if (!decoded.ok) return `node sent undecodable bytes (${decoded.why})`;
  if (decoded.badUtf8At !== undefined) return `node sent a str that is not valid UTF-8 at byte ${decoded.badUtf8At}`;
  const wire = decoded.value;
  if (!Array.isArray(wire)) return 'node sent a frame that is not an array';
  const [kind, a, b, c, d] = wire as unknown[];
  switch (kind) {
    case FrameKind.Welcome:
      if (wire.length !== 5 || a !== PROTOCOL_VERSION || typeof b !== 'string' || !isPositiveInteger(c) || !isPositiveInteger(d)) {
        return `malformed welcome ${describe(wire)}`;
      }
      return { kind: 'welcome', nodeId: b, partitionCount: c, maxFrameBytes: d };
    case FrameKind.Responses:
      // The map epoch (third field) is optional: a non-negative integer when present.
      if (wire.length < 2 || wire.length > 3 || !Array.isArray(a) || !a.every(Array.isArray)) return `malformed responses frame ${describe(wire)}`;
      if (wire.length === 3 && !(Number.isSafeInteger(b) && (b as number) >= 0)) return `responses frame with a bad map epoch ${describe(wire)}`;
      return { kind: 'responses', entries: a as unknown[][] };
    case FrameKind.Fatal:
      if (wire.length !== 3 || typeof a !== 'string' || typeof b !== 'string') return `malformed fatal frame ${describe(wire)}`;
      if (!ACCEPTABLE_FAILURE_CODES.has(a)) return `fatal frame with code ${a} (${b})`;
      return { kind: 'fatal', code: a, message: b };
    default:
      return `node sent a frame of kind ${describe(kind, 40)}: ${describe(wire)}`;
  }
}

/**
 * Checks the node's answer to `requests` (entries in the same order). Only
 * the shape: the reference model checks the values.
 */
export function responsesProblem(requests: readonly unknown[], entries: readonly (readonly unknown[])[]): string | undefined {
  if (entries.length !== requests.length) return `${requests.length} requests but ${entries.length} responses`;
  for (let i = 0; i < entries.length; i++) {
    const request = requests[i];
    const entry = entries[i]!;
    const id = Array.isArray(request) ? request[0] : undefined;
    if (typeof id === 'number' && !sameId(entry[0], id)) return `response ${i} has id ${describe(entry[0])}, the request ${describe(id)}`;
    const opcode = Array.isArray(request) ? request[1] : undefined;
    const status = entry[1];
    if (status === 1) {
      const [, , code, message] = entry;
      if (entry.length !== 4 || typeof code !== 'string' || typeof message !== 'string') return `response ${i} is a malformed failure ${describe(entry)}`;
      if (!ACCEPTABLE_FAILURE_CODES.has(code)) return `response ${i} failed with ${code}: ${message}`;
      if (!isKnownOpcode(opcode) && code !== ErrorCode.UnknownOperation) return `response ${i} to unknown opcode ${describe(opcode)} failed with ${code}, not UNKNOWN_OPERATION`;
      continue;
    }
    if (status !== 0 || entry.length !== 3) return `response ${i} is malformed ${describe(entry)}`;
    if (!isKnownOpcode(opcode)) return `response ${i} answered unknown opcode ${describe(opcode)} with Ok`;
    const problem = resultProblem(opcode, request as readonly unknown[], entry[2]);
    if (problem) return `response ${i} (${opcodeLabel(opcode)}): ${problem}`;
  }
  return undefined;
}

function resultProblem(opcode: number, request: readonly unknown[], result: unknown): string | undefined {
  const bin = (v: unknown) => v instanceof Uint8Array;
  const binOrNull = (v: unknown) => v === null || bin(v);
  const bool = (v: unknown) => typeof v === 'boolean';
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const ok = (good: boolean, what: string) => (good ? undefined : `result ${describe(result)} is not ${what}`);
  switch (opcode) {
    case Opcode.Ping:
    case Opcode.Put:
    case Opcode.PutAll:
    case Opcode.Clear:
    case Opcode.AtomicSet:
      return ok(result === null, 'null');
    case Opcode.CreateCache:
    case Opcode.DestroyCache:
    case Opcode.Remove:
    case Opcode.ContainsKey:
    case Opcode.PutIfAbsent:
    case Opcode.Replace:
    case Opcode.ReplaceIfEquals:
    case Opcode.AtomicCompareAndSet:
      return ok(bool(result), 'a boolean');
    case Opcode.ListCaches:
      return ok(
        Array.isArray(result) &&
          result.every(
            (c) =>
              c !== null &&
              typeof c === 'object' &&
              typeof c.name === 'string' &&
              (c.mode === 'partitioned' || c.mode === 'replicated') &&
              count(c.backups) &&
              isPositiveInteger(c.partitions),
          ),
        'a list of cache definitions',
      );
    case Opcode.Get:
    case Opcode.GetAndPut:
    case Opcode.GetAndRemove:
      return ok(binOrNull(result), 'bin or null');
    case Opcode.GetAll: {
      // A bin holding one msgpack array [value | nil, ...], one element per key.
      if (!bin(result)) return ok(false, 'a bin holding one msgpack array');
      const items = splitMsgpackArray(result as Uint8Array);
      if (typeof items === 'string') return `result bin is not one msgpack array (${items}): ${describe(result)}`;
      const keys = request[3];
      return ok(!Array.isArray(keys) || keys.length === items.length, `an array of ${Array.isArray(keys) ? keys.length : '?'} values`);
    }
    case Opcode.RemoveAll: {
      const keys = request[3];
      return ok(count(result) && (!Array.isArray(keys) || (result as number) <= keys.length), 'a count up to the number of keys');
    }
    case Opcode.Size:
      return ok(count(result), 'a count');
    case Opcode.Scan: {
      if (!Array.isArray(result) || result.length !== 2) return ok(false, '[nextCursor, entries]');
      const [next, flat] = result as unknown[];
      const cursor = request[3];
      if (next !== null && !(count(next) && typeof cursor === 'number' && (next as number) > cursor)) return `next cursor ${describe(next)} after cursor ${describe(cursor)}`;
      return ok(Array.isArray(flat) && flat.length % 2 === 0 && flat.every(bin), '[nextCursor, [key, value, ...]] of bins');
    }
    case Opcode.AtomicGet:
    case Opcode.AtomicAddAndGet:
    case Opcode.AtomicGetAndAdd:
      return ok(typeof result === 'number' && Number.isSafeInteger(result), 'a safe integer');
    default:
      return undefined;
  }
}

export function isKnownOpcode(opcode: unknown): opcode is number {
  return typeof opcode === 'number' && KNOWN_OPCODES.has(opcode);
}

export function opcodeLabel(opcode: unknown): string {
  const name = Object.entries(Opcode).find(([, code]) => code === opcode)?.[0];
  return name ?? `opcode ${describe(opcode)}`;
}

function sameId(a: unknown, b: number): boolean {
  return a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A short, safe rendering of a decoded value for failure messages. */
export function describe(value: unknown, budget = 160): string {
  let text: string;
  try {
    text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
      // `this[key]` is the value before toJSON (a Buffer's toJSON would hide its bytes).
      const v = this[key];
      if (typeof v === 'bigint') return `${v}n`;
      if (v instanceof Uint8Array) return `bin:${Buffer.from(v.subarray(0, 32)).toString('hex')}${v.length > 32 ? `…(${v.length})` : ''}`;
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      return converted;
    });
  } catch (err) {
    text = `<${(err as Error).message}>`;
  }
  if (text === undefined) text = String(typeof value);
  return text.length > budget ? `${text.slice(0, budget)}…` : text;
}
