import { encodeValuePart } from './codec.js';
import { EncodedValue } from './encoded-value.js';
import { BadRequestError } from './errors.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;
/** Finished values are cut from slabs of this size (see `finish`). */
const SLAB_BYTES = 64 * 1024;

/**
 * Writes a map value piece by piece, byte for byte as `encodeValue` writes
 * the same object (msgpack with 64-bit integers as bigint): for a producer
 * that holds a row in another form, such as the CDC ingester with Debezium
 * JSON, and would otherwise build the object only to encode it. Scalars are
 * written here with the encoder's own format choices (a property test holds
 * them to it); anything else goes through the codec (`value`).
 * @example w.begin(); w.mapHeader(1); w.raw(ValueWriter.stringBytes('id')); w.number(7); w.finish()
 */
export class ValueWriter {
  private buffer = Buffer.allocUnsafe(4096);
  private view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  private pos = 0;
  private slab = Buffer.alloc(0);
  private slabUsed = 0;

  /** A string's bytes as the codec writes it (for map keys written again and again). */
  static stringBytes(text: string): Uint8Array {
    return encodeValuePart(text);
  }

  /** Starts a new value, dropping anything written since the last `finish`. */
  begin(): void {
    this.pos = 0;
  }

  /**
   * The value written since `begin`: a piece of a 64 KiB slab the writer
   * hands out value by value, since a buffer of its own per value (Node's
   * pool makes one per 8 KiB) cost more than the copy. A value kept keeps
   * its slab alive, as a pooled Buffer keeps its pool: copy one kept long.
   */
  finish(): EncodedValue {
    const length = this.pos;
    if (this.slab.length - this.slabUsed < length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length));
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + length);
    this.buffer.copy(out, 0, 0, length);
    this.slabUsed += length;
    return EncodedValue.trusted(out);
  }

  /** Bytes written since `begin`: a mark to `rewind` to (a producer that gives up on a part and writes it another way). */
  get length(): number {
    return this.pos;
  }

  /** Drops what was written after `length` (a mark from `length`). */
  rewind(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.pos) throw new RangeError(`cannot rewind to ${length} of ${this.pos} bytes`);
    this.pos = length;
  }

  /**
   * Writes a one-byte placeholder for a map or an array of fewer than 16
   * members whose count is not known yet; `fixHeader` fills it in.
   * Returns where it is.
   */
  placeholder(): number {
    this.nil();
    return this.pos - 1;
  }

  /** The header of a map or array of `size` < 16 members (fixmap, fixarray) at a `placeholder`'s place. */
  fixHeader(at: number, kind: 'map' | 'array', size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > 15 || !Number.isInteger(at) || at < 0 || at >= this.pos) throw new RangeError(`no fix header of ${size} members at ${at}`);
    this.buffer[at] = (kind === 'map' ? 0x80 : 0x90) + size;
  }

  mapHeader(size: number): void {
    this.ensure(5);
    if (size < 16) this.buffer[this.pos++] = 0x80 + size;
    else if (size < 0x10000) this.u8u16(0xde, size);
    else this.u8u32(0xdf, size);
  }

  nil(): void {
    this.ensure(1);
    this.buffer[this.pos++] = 0xc0;
  }

  boolean(value: boolean): void {
    this.ensure(1);
    this.buffer[this.pos++] = value ? 0xc3 : 0xc2;
  }

  /** A number: the smallest integer format for a safe integer below 2^32 in size, else a float64 (as the encoder does with bigint on). */
  number(value: number): void {
    this.ensure(9);
    if (!Number.isSafeInteger(value)) return this.float64(value);
    if (value >= 0) {
      if (value < 0x80) this.buffer[this.pos++] = value;
      else if (value < 0x100) {
        this.buffer[this.pos++] = 0xcc;
        this.buffer[this.pos++] = value;
      } else if (value < 0x10000) this.u8u16(0xcd, value);
      else if (value < 0x100000000) this.u8u32(0xce, value);
      else this.float64(value);
    } else if (value >= -0x20) this.buffer[this.pos++] = 0xe0 | (value + 0x20);
    else if (value >= -0x80) {
      this.buffer[this.pos++] = 0xd0;
      this.view.setInt8(this.pos++, value);
    } else if (value >= -0x8000) {
      this.buffer[this.pos++] = 0xd1;
      this.view.setInt16(this.pos, value);
      this.pos += 2;
    } else if (value >= -0x80000000) {
      this.buffer[this.pos++] = 0xd2;
      this.view.setInt32(this.pos, value);
      this.pos += 4;
    } else this.float64(value);
  }

  /** A 64-bit integer; `BadRequestError` beyond 64 bits, as `encodeValue`. */
  bigint(value: bigint): void {
    if (value < MIN_INT64 || value > MAX_UINT64) throw new BadRequestError(`bigint ${value} does not fit in 64 bits`);
    this.ensure(9);
    if (value >= 0n) {
      this.buffer[this.pos++] = 0xcf;
      this.view.setBigUint64(this.pos, value);
    } else {
      this.buffer[this.pos++] = 0xd3;
      this.view.setBigInt64(this.pos, value);
    }
    this.pos += 8;
  }

  /** A string given as its UTF-8 bytes `source[start, end)`, which must be valid UTF-8 (the caller has checked). */
  utf8(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.stringHeader(length);
    this.ensure(length);
    const buffer = this.buffer;
    let pos = this.pos;
    // A short string byte by byte; a long one in one native copy (which costs a call and a view).
    if (length < 32) for (let i = start; i < end; i++) buffer[pos++] = source[i]!;
    else {
      buffer.set(source.subarray(start, end), pos);
      pos += length;
    }
    this.pos = pos;
  }

  /** A string; written directly when it is ASCII, through the codec otherwise. */
  string(text: string): void {
    const length = text.length;
    for (let i = 0; i < length; i++) {
      if (text.charCodeAt(i) >= 0x80) return this.value(text);
    }
    this.stringHeader(length);
    this.ensure(length);
    const buffer = this.buffer;
    // A short string char by char: a native write costs more than the copy.
    if (length < 32) for (let i = 0; i < length; i++) buffer[this.pos++] = text.charCodeAt(i);
    else this.pos += buffer.write(text, this.pos, length, 'latin1');
  }

  /** Any value as a part of the map (null and undefined as nil). */
  value(value: unknown): void {
    this.raw(encodeValuePart(value));
  }

  /** Bytes that are already one encoded value or key. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private stringHeader(length: number): void {
    this.ensure(5);
    if (length < 32) this.buffer[this.pos++] = 0xa0 + length;
    else if (length < 0x100) {
      this.buffer[this.pos++] = 0xd9;
      this.buffer[this.pos++] = length;
    } else if (length < 0x10000) this.u8u16(0xda, length);
    else this.u8u32(0xdb, length);
  }

  private float64(value: number): void {
    this.buffer[this.pos++] = 0xcb;
    this.view.setFloat64(this.pos, value);
    this.pos += 8;
  }

  private u8u16(tag: number, value: number): void {
    this.buffer[this.pos++] = tag;
    this.view.setUint16(this.pos, value);
    this.pos += 2;
  }

  private u8u32(tag: number, value: number): void {
    this.buffer[this.pos++] = tag;
    this.view.setUint32(this.pos, value);
    this.pos += 4;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + extra));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}
