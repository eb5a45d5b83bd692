import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { BadRequestError } from './errors.js';
import { type Frame, frameFromWire, frameToWire } from './frames.js';
import { EncodedValue } from './encoded-value.js';
import { checkMsgpackStructure } from './msgpack-structure.js';

/**
 * The one codec of the wire protocol. Frames, keys and values are msgpack;
 * 64-bit integers travel as int64 and come back as bigint, Dates as the
 * msgpack timestamp extension.
 */

/** Largest array or map a frame may declare: bounds what a lying length header can make us allocate. */
export const MAX_COLLECTION_LENGTH = 1_000_000;

const frameEncoder = new Encoder({ useBigInt64: true, ignoreUndefined: false });
const frameDecoder = new Decoder({
  useBigInt64: true,
  maxArrayLength: MAX_COLLECTION_LENGTH,
  maxMapLength: MAX_COLLECTION_LENGTH,
});
const keyEncoder = new Encoder({ sortKeys: true });
// Keys are JS numbers, never bigints: integers beyond 32 bits must decode as numbers again.
const keyDecoder = withNativeUtf8(new Decoder());
// msgpack's default depth limit counted from a value's root; a part of a value starts one level down.
const VALUE_MAX_DEPTH = 100;
const valueEncoder = createValueEncoder();
const nestedValueEncoder = createValueEncoder(VALUE_MAX_DEPTH - 1);
const valueDecoder = withNativeUtf8(new Decoder({ useBigInt64: true }));

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

/** Below this many bytes msgpack's own JS decoding is as fast as a native call. */
const NATIVE_UTF8_MIN_BYTES = 16;

/**
 * msgpack decodes strings up to 200 bytes in a JS loop that allocates an array
 * of code units per string; a typical 200-byte cache value spent most of a
 * getAll there. Buffer's native UTF-8 decoding gives the same string.
 */
function withNativeUtf8(decoder: Decoder): Decoder {
  type Internals = {
    bytes: Uint8Array;
    pos: number;
    stateIsMapKey(): boolean;
    decodeUtf8String(byteLength: number, headerOffset: number): string;
  };
  const internals = decoder as unknown as Internals;
  const original = internals.decodeUtf8String;
  if (typeof original !== 'function' || typeof internals.stateIsMapKey !== 'function') {
    throw new Error('@msgpack/msgpack changed: Decoder.decodeUtf8String is gone');
  }
  internals.decodeUtf8String = function (this: Internals, byteLength, headerOffset) {
    const start = this.pos + headerOffset;
    const end = start + byteLength;
    if (byteLength < NATIVE_UTF8_MIN_BYTES || !Buffer.isBuffer(this.bytes) || end > this.bytes.byteLength || this.stateIsMapKey()) {
      return original.call(this, byteLength, headerOffset);
    }
    this.pos = end;
    return this.bytes.toString('utf8', start, end);
  };
  return decoder;
}

/**
 * msgpack's encoder turns a Map or Set into an empty map and wraps a bigint
 * outside 64 bits; both would store something other than what was put, so
 * this encoder refuses them.
 */
function createValueEncoder(maxDepth = VALUE_MAX_DEPTH): Encoder {
  const extensionCodec = new ExtensionCodec();
  extensionCodec.register({
    type: 0x7f,
    encode: (input) => {
      if (input instanceof Map || input instanceof Set) {
        throw new BadRequestError(`a ${input.constructor.name} cannot be a value or part of one; convert it to a plain object or an array`);
      }
      return null;
    },
    decode: (data, type) => new ExtData(type, data),
  });
  const encoder = new Encoder({ useBigInt64: true, extensionCodec, maxDepth });
  const methods = encoder as unknown as { encodeBigInt64(value: bigint): void };
  const encodeBigInt64 = methods.encodeBigInt64;
  if (typeof encodeBigInt64 !== 'function') throw new Error('@msgpack/msgpack changed: Encoder.encodeBigInt64 is gone');
  methods.encodeBigInt64 = function (value: bigint) {
    if (value < MIN_INT64 || value > MAX_UINT64) throw new BadRequestError(`bigint ${value} does not fit in 64 bits`);
    encodeBigInt64.call(this, value);
  };
  return encoder;
}

/** Encodes a frame into one WebSocket message. */
export function encodeFrame(frame: Frame): Uint8Array {
  return frameEncoder.encode(frameToWire(frame));
}

/** Decodes one WebSocket message; throws `BadRequestError` on malformed bytes or a wrong shape. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const problem = checkMsgpackStructure(bytes);
  if (problem !== null) throw new BadRequestError(`malformed frame: ${problem}`);
  let wire: unknown;
  try {
    wire = frameDecoder.decode(bytes);
  } catch (err) {
    throw new BadRequestError(`malformed frame: ${(err as Error).message}`, { cause: err });
  }
  const frame = frameFromWire(wire);
  if (!frame) throw new BadRequestError('malformed frame: not a known frame shape');
  return frame;
}

/** A cache key: a string, a number, or arrays/plain objects of them (composite keys). */
export type Key = string | number | readonly Key[] | { readonly [field: string]: Key };

/**
 * The canonical bytes of a key: object fields sorted, so equal keys always meet.
 * @example encodeKey({ b: 1, a: 'x' }) equals encodeKey({ a: 'x', b: 1 })
 */
export function encodeKey(key: unknown): Uint8Array {
  checkKey(key, 0);
  return keyEncoder.encode(key);
}

function checkKey(key: unknown, depth: number): void {
  if (depth > 16) throw new BadRequestError('key nests deeper than 16 levels');
  if (typeof key === 'string') return;
  if (typeof key === 'number') {
    if (!Number.isFinite(key)) throw new BadRequestError(`key must be a finite number, got ${key}`);
    return;
  }
  if (Array.isArray(key)) {
    for (const part of key) checkKey(part, depth + 1);
    return;
  }
  if (key !== null && typeof key === 'object' && Object.getPrototypeOf(key) === Object.prototype) {
    for (const part of Object.values(key)) checkKey(part, depth + 1);
    return;
  }
  throw new BadRequestError(`key must be a string, a number, or an array or plain object of them; got ${describe(key)}`);
}

/** Decodes key bytes back into the key. */
export function decodeKey(bytes: Uint8Array): Key {
  return keyDecoder.decode(bytes) as Key;
}

/** The bytes of a value; `null` and `undefined` are refused (absence is how a missing entry reads). */
export function encodeValue(value: unknown): Uint8Array {
  if (value === undefined || value === null) throw new BadRequestError('a cache value cannot be null or undefined; use remove()');
  if (EncodedValue.is(value)) return value.bytes;
  return encodeWith(valueEncoder, value);
}

/**
 * The bytes a part of a value (a field of an object, any depth below the
 * root) has inside `encodeValue`'s output; null and undefined are nil.
 * Encoding is context-free, so these bytes can be spliced into a value
 * built piece by piece (see `ValueWriter`).
 */
export function encodeValuePart(value: unknown): Uint8Array {
  return encodeWith(nestedValueEncoder, value);
}

function encodeWith(encoder: Encoder, value: unknown): Uint8Array {
  try {
    return encoder.encode(value);
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    throw new BadRequestError(`value cannot be encoded: ${(err as Error).message}`, { cause: err });
  }
}


/** Decodes value bytes. */
export function decodeValue(bytes: Uint8Array): unknown {
  return valueDecoder.decode(bytes);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * One msgpack array spliced from values that are already msgpack, each given
 * as the latin1 text of its bytes (`undefined` → nil). The node answers a
 * getAll this way without re-encoding the values one by one.
 */
export function spliceEncodedArray(items: readonly (string | undefined)[]): Buffer {
  const count = items.length;
  const headerBytes = count < 16 ? 1 : count < 0x10000 ? 3 : 5;
  let total = headerBytes;
  for (const item of items) total += item === undefined ? 1 : item.length;
  const out = Buffer.allocUnsafe(total);
  if (count < 16) out[0] = 0x90 | count;
  else if (count < 0x10000) {
    out[0] = 0xdc;
    out.writeUInt16BE(count, 1);
  } else {
    out[0] = 0xdd;
    out.writeUInt32BE(count, 1);
  }
  let offset = headerBytes;
  for (const item of items) {
    if (item === undefined) out[offset++] = 0xc0;
    else offset += out.write(item, offset, 'latin1');
  }
  return out;
}
