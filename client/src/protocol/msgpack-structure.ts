import { isUtf8 } from 'node:buffer';

/** Deepest nesting a frame may have; real frames need 6 levels plus the user's own data. */
export const MAX_NESTING_DEPTH = 64;

/** Why bytes are not one well-formed msgpack value, or null when they are. */
export type StructureProblem = string | null;

/** Header sizes and payload lengths of msgpack's variable-length formats. */
interface Span {
  readonly header: number;
  readonly payload: number;
  readonly children: number;
  readonly text: boolean;
}

/**
 * Walks msgpack bytes without building anything and says whether they are
 * exactly one complete value: every declared length present, nesting within
 * `maxDepth`, strings valid UTF-8. The msgpack decoder allocates an array of
 * each declared length before reading its elements, so a few bytes claiming
 * millions of elements, or deep nesting, could exhaust memory or the stack;
 * after this check, what it allocates is bounded by the bytes received.
 */
export function checkMsgpackStructure(bytes: Uint8Array, maxDepth = MAX_NESTING_DEPTH): StructureProblem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Values still to read at each open level: one stack entry per nesting level.
  const pending: number[] = [1];
  let pos = 0;
  while (pending.length > 0) {
    if (pending[pending.length - 1] === 0) {
      pending.pop();
      continue;
    }
    pending[pending.length - 1]!--;
    if (pos >= bytes.length) return `truncated at byte ${pos}`;
    const span = spanAt(bytes[pos]!, view, pos);
    if (typeof span === 'string') return span;
    const end = pos + span.header + span.payload;
    if (end > bytes.length) return `a value at byte ${pos} claims ${span.payload} bytes past the end`;
    if (span.text && !isUtf8(bytes.subarray(pos + span.header, end))) return `a string at byte ${pos} is not valid UTF-8`;
    pos = end;
    if (span.children > 0) {
      if (span.children > bytes.length - pos) return `a collection at byte ${pos} claims ${span.children} elements, more than the bytes left`;
      if (pending.length >= maxDepth) return `nesting deeper than ${maxDepth}`;
      pending.push(span.children);
    }
  }
  return pos === bytes.length ? null : `${bytes.length - pos} bytes follow the value`;
}

const fixed = (header: number, payload = 0): Span => ({ header, payload, children: 0, text: false });
const text = (header: number, payload: number): Span => ({ header, payload, children: 0, text: true });
const collection = (header: number, children: number): Span => ({ header, payload: 0, children, text: false });

function spanAt(tag: number, view: DataView, pos: number): Span | string {
  if (tag <= 0x7f || tag >= 0xe0) return fixed(1);
  if (tag <= 0x8f) return collection(1, (tag & 0x0f) * 2);
  if (tag <= 0x9f) return collection(1, tag & 0x0f);
  if (tag <= 0xbf) return text(1, tag & 0x1f);
  const need = (n: number) => pos + 1 + n <= view.byteLength;
  const u8 = () => view.getUint8(pos + 1);
  const u16 = () => view.getUint16(pos + 1);
  const u32 = () => view.getUint32(pos + 1);
  switch (tag) {
    case 0xc0: case 0xc2: case 0xc3: return fixed(1);
    case 0xc4: return need(1) ? fixed(2, u8()) : 'truncated bin 8 header';
    case 0xc5: return need(2) ? fixed(3, u16()) : 'truncated bin 16 header';
    case 0xc6: return need(4) ? fixed(5, u32()) : 'truncated bin 32 header';
    case 0xc7: return need(1) ? fixed(3, u8()) : 'truncated ext 8 header';
    case 0xc8: return need(2) ? fixed(4, u16()) : 'truncated ext 16 header';
    case 0xc9: return need(4) ? fixed(6, u32()) : 'truncated ext 32 header';
    case 0xca: return fixed(5);
    case 0xcb: return fixed(9);
    case 0xcc: case 0xd0: return fixed(2);
    case 0xcd: case 0xd1: return fixed(3);
    case 0xce: case 0xd2: return fixed(5);
    case 0xcf: case 0xd3: return fixed(9);
    case 0xd4: return fixed(3);
    case 0xd5: return fixed(4);
    case 0xd6: return fixed(6);
    case 0xd7: return fixed(10);
    case 0xd8: return fixed(18);
    case 0xd9: return need(1) ? text(2, u8()) : 'truncated str 8 header';
    case 0xda: return need(2) ? text(3, u16()) : 'truncated str 16 header';
    case 0xdb: return need(4) ? text(5, u32()) : 'truncated str 32 header';
    case 0xdc: return need(2) ? collection(3, u16()) : 'truncated array 16 header';
    case 0xdd: return need(4) ? collection(5, u32()) : 'truncated array 32 header';
    case 0xde: return need(2) ? collection(3, u16() * 2) : 'truncated map 16 header';
    case 0xdf: return need(4) ? collection(5, u32() * 2) : 'truncated map 32 header';
    default: return `0x${tag.toString(16)} at byte ${pos} is not a msgpack type`;
  }
}
