/**
 * A hand-rolled msgpack encoder for attack frames. Unlike a library encoder it
 * can write anything the format allows, and some things it does not: headers
 * whose declared length is a lie, a chosen width for every header, raw bytes
 * spliced in place of a value, the never-used byte 0xc1.
 */

/** Bytes written verbatim where a value would go. */
export class Raw {
  constructor(readonly bytes: Uint8Array) {}
}

/** A value encoded with an explicit header width (or a float where an integer would do). */
export class Sized {
  constructor(
    readonly value: unknown,
    readonly width: 'fix' | 8 | 16 | 32 | 64 | 'f32' | 'f64',
  ) {}
}

/** A msgpack ext value. */
export class Ext {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

/** A map with keys of any msgpack type (a JS object can only have string keys). */
export class AnyKeyMap {
  constructor(readonly entries: readonly (readonly [unknown, unknown])[]) {}
}

export type ContainerKind = 'array' | 'map' | 'str' | 'bin' | 'ext';

class ByteSink {
  private buffer = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  u8(...values: number[]): void {
    this.reserve(values.length);
    for (const v of values) this.buffer[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v >>> 8, v);
  }

  u32(v: number): void {
    this.u8(v >>> 24, v >>> 16, v >>> 8, v);
  }

  u64(v: bigint): void {
    const n = BigInt.asUintN(64, v);
    this.u32(Number(n >> 32n));
    this.u32(Number(n & 0xffffffffn));
  }

  f32(v: number): void {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, v);
    this.bytes(new Uint8Array(view.buffer));
  }

  f64(v: number): void {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    this.bytes(new Uint8Array(view.buffer));
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Encodes a JS value (with `Raw`, `Sized`, `Ext`, `AnyKeyMap` allowed anywhere inside). */
export function pack(value: unknown): Uint8Array {
  const sink = new ByteSink();
  write(sink, value);
  return sink.result();
}

/** Just the header of a container claiming `length` elements / bytes, in the given width. */
export function header(kind: ContainerKind, length: number, width: 'fix' | 8 | 16 | 32, extType = 1): Uint8Array {
  const sink = new ByteSink();
  writeHeader(sink, kind, length, width, extType);
  return sink.result();
}

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function writeHeader(sink: ByteSink, kind: ContainerKind, length: number, width: 'fix' | 8 | 16 | 32, extType = 1): void {
  switch (kind) {
    case 'array':
      if (width === 'fix') return sink.u8(0x90 | (length & 0x0f));
      if (width === 16) return sink.u8(0xdc), sink.u16(length);
      return sink.u8(0xdd), sink.u32(length);
    case 'map':
      if (width === 'fix') return sink.u8(0x80 | (length & 0x0f));
      if (width === 16) return sink.u8(0xde), sink.u16(length);
      return sink.u8(0xdf), sink.u32(length);
    case 'str':
      if (width === 'fix') return sink.u8(0xa0 | (length & 0x1f));
      if (width === 8) return sink.u8(0xd9, length);
      if (width === 16) return sink.u8(0xda), sink.u16(length);
      return sink.u8(0xdb), sink.u32(length);
    case 'bin':
      if (width === 'fix' || width === 8) return sink.u8(0xc4, length);
      if (width === 16) return sink.u8(0xc5), sink.u16(length);
      return sink.u8(0xc6), sink.u32(length);
    case 'ext':
      if (width === 'fix' || width === 8) return sink.u8(0xc7, length, extType);
      if (width === 16) return sink.u8(0xc8), sink.u16(length), sink.u8(extType);
      return sink.u8(0xc9), sink.u32(length), sink.u8(extType);
  }
}

function smallestWidth(length: number, hasFix: number): 'fix' | 8 | 16 | 32 {
  if (length < hasFix) return 'fix';
  if (length < 0x100) return 8;
  if (length < 0x10000) return 16;
  return 32;
}

function write(sink: ByteSink, value: unknown): void {
  if (value instanceof Raw) return sink.bytes(value.bytes);
  if (value instanceof Sized) return writeSized(sink, value);
  if (value instanceof Ext) return writeExt(sink, value.type, value.data);
  if (value instanceof AnyKeyMap) {
    writeHeader(sink, 'map', value.entries.length, value.entries.length < 16 ? 'fix' : value.entries.length < 0x10000 ? 16 : 32);
    for (const [k, v] of value.entries) {
      write(sink, k);
      write(sink, v);
    }
    return;
  }
  if (value === null || value === undefined) return sink.u8(0xc0);
  if (value === false) return sink.u8(0xc2);
  if (value === true) return sink.u8(0xc3);
  if (typeof value === 'number') return writeNumber(sink, value);
  if (typeof value === 'bigint') {
    if (value >= 0n) return sink.u8(0xcf), sink.u64(value);
    return sink.u8(0xd3), sink.u64(value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    const width = bytes.length < 32 ? 'fix' : smallestWidth(bytes.length, 0);
    writeHeader(sink, 'str', bytes.length, width);
    return sink.bytes(bytes);
  }
  if (value instanceof Uint8Array) {
    writeHeader(sink, 'bin', value.length, smallestWidth(value.length, 0) === 'fix' ? 8 : smallestWidth(value.length, 0));
    return sink.bytes(value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    const seconds = Math.floor(ms / 1000);
    const nanos = (ms - seconds * 1000) * 1e6;
    const data = new ByteSink();
    data.u32(nanos);
    data.u64(BigInt(seconds));
    return writeExt(sink, -1, data.result());
  }
  if (Array.isArray(value)) {
    writeHeader(sink, 'array', value.length, value.length < 16 ? 'fix' : value.length < 0x10000 ? 16 : 32);
    for (const item of value) write(sink, item);
    return;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    writeHeader(sink, 'map', keys.length, keys.length < 16 ? 'fix' : keys.length < 0x10000 ? 16 : 32);
    for (const key of keys) {
      write(sink, key);
      write(sink, (value as Record<string, unknown>)[key]);
    }
    return;
  }
  throw new Error(`cannot pack ${typeof value}`);
}

function writeNumber(sink: ByteSink, value: number): void {
  if (!Number.isInteger(value) || Object.is(value, -0) || !Number.isSafeInteger(value)) return sink.u8(0xcb), sink.f64(value);
  if (value >= 0) {
    if (value < 0x80) return sink.u8(value);
    if (value < 0x100) return sink.u8(0xcc, value);
    if (value < 0x10000) return sink.u8(0xcd), sink.u16(value);
    if (value < 0x100000000) return sink.u8(0xce), sink.u32(value);
    return sink.u8(0xcf), sink.u64(BigInt(value));
  }
  if (value >= -0x20) return sink.u8(value & 0xff);
  if (value >= -0x80) return sink.u8(0xd0, value & 0xff);
  if (value >= -0x8000) return sink.u8(0xd1), sink.u16(value & 0xffff);
  if (value >= -0x80000000) return sink.u8(0xd2), sink.u32(value >>> 0);
  return sink.u8(0xd3), sink.u64(BigInt(value));
}

function writeSized(sink: ByteSink, sized: Sized): void {
  const { value, width } = sized;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    switch (width) {
      case 'f32':
        return sink.u8(0xca), sink.f32(n);
      case 'f64':
        return sink.u8(0xcb), sink.f64(n);
      case 8:
        return n < 0 ? sink.u8(0xd0, n) : sink.u8(0xcc, n);
      case 16:
        return n < 0 ? (sink.u8(0xd1), sink.u16(n)) : (sink.u8(0xcd), sink.u16(n));
      case 32:
        return n < 0 ? (sink.u8(0xd2), sink.u32(n)) : (sink.u8(0xce), sink.u32(n));
      case 64:
        return n < 0 ? (sink.u8(0xd3), sink.u64(BigInt(value))) : (sink.u8(0xcf), sink.u64(BigInt(value)));
      default:
        return writeNumber(sink, n);
    }
  }
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const w = width === 'fix' || width === 8 || width === 16 || width === 32 ? width : 32;
    writeHeader(sink, typeof value === 'string' ? 'str' : 'bin', bytes.length, w);
    return sink.bytes(bytes);
  }
  if (Array.isArray(value)) {
    writeHeader(sink, 'array', value.length, width === 16 || width === 32 ? width : 32);
    for (const item of value) write(sink, item);
    return;
  }
  return write(sink, value);
}

function writeExt(sink: ByteSink, type: number, data: Uint8Array): void {
  const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
  const head = fixed[data.length];
  if (head !== undefined) sink.u8(head, type);
  else writeHeader(sink, 'ext', data.length, smallestWidth(data.length, 0) === 'fix' ? 8 : smallestWidth(data.length, 0), type);
  sink.bytes(data);
}
