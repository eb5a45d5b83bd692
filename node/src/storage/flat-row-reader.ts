import { decodeValue, encodeValue } from '@shoal/client/protocol';

/**
 * Reads a stored table row (msgpack bytes held as a latin1 string) straight
 * from the string, for SQL scans. A table's row is nearly always a flat map
 * of column name → scalar, and msgpack's general decoder spends most of a
 * full scan on per-call setup and on decoding short strings one code unit at
 * a time, while an ASCII string's msgpack bytes, read as latin1, already are
 * the string. Anything but a flat map of scalars (nested values, Dates, bin,
 * non-string keys) is decoded by the codec as usual, so both paths give the
 * same value as `decodeValue` (the test compares them on generated rows).
 */
export function readStoredRow(stored: string): unknown {
  const reader = new FlatMapReader(stored);
  const row = reader.readMap();
  return row === undefined ? decodeValue(Buffer.from(stored, 'latin1')) : row;
}

/**
 * Writes a stored flat row's fields into `target[offset + position]` for the
 * fields `positions` names, without building the row object: the scan's hot
 * path. False when the value is not a flat map of scalars.
 */
export function readColumnsInto(stored: string, positions: ReadonlyMap<string, number>, target: unknown[], offset: number): boolean {
  const names = encodedNamesOf(positions);
  const reader = new FlatMapReader(stored);
  const count = reader.mapLength();
  if (count === undefined) return false;
  for (let i = 0; i < count; i++) {
    const known = reader.knownKey(names, i);
    if (known < 0 && typeof reader.scalar() !== 'string') return false;
    const value = reader.scalar();
    if (value === GIVE_UP) return false;
    if (known >= 0) target[offset + names[known]!.position] = value;
  }
  return reader.atEnd();
}

interface EncodedName {
  /** The key's msgpack bytes (header and UTF-8) as latin1: compared in place, never sliced out. */
  readonly bytes: string;
  readonly position: number;
}

const encodedNames = new WeakMap<ReadonlyMap<string, number>, readonly EncodedName[]>();

function encodedNamesOf(positions: ReadonlyMap<string, number>): readonly EncodedName[] {
  let names = encodedNames.get(positions);
  if (names === undefined) {
    names = [...positions].map(([name, position]) => ({ bytes: Buffer.from(encodeValue(name)).toString('latin1'), position }));
    encodedNames.set(positions, names);
  }
  return names;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Gives up (undefined) at the first thing it does not read itself; the caller then decodes it all. */
class FlatMapReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  readMap(): Record<string, unknown> | undefined {
    const count = this.mapLength();
    if (count === undefined) return undefined;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const key = this.scalar();
      if (typeof key !== 'string' || key === '__proto__') return undefined;
      const value = this.scalar();
      if (value === GIVE_UP) return undefined;
      row[key] = value;
    }
    return this.atEnd() ? row : undefined;
  }

  /** The index in `names` of the key at the cursor (moving past it), or -1 leaving the cursor there; the `guess`th name is tried first, as rows keep their column order. */
  knownKey(names: readonly EncodedName[], guess: number): number {
    const candidate = names[guess];
    if (candidate !== undefined && this.text.startsWith(candidate.bytes, this.pos)) {
      this.pos += candidate.bytes.length;
      return guess;
    }
    for (let i = 0; i < names.length; i++) {
      if (this.text.startsWith(names[i]!.bytes, this.pos)) {
        this.pos += names[i]!.bytes.length;
        return i;
      }
    }
    return -1;
  }

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  mapLength(): number | undefined {
    const head = this.byte();
    if (head >= 0x80 && head <= 0x8f) return head & 0x0f;
    if (head === 0xde) return this.unsigned(2);
    return undefined;
  }

  /** One scalar value, or GIVE_UP. */
  scalar(): unknown {
    if (this.pos >= this.text.length) return GIVE_UP;
    const head = this.byte();
    if (head <= 0x7f) return head;
    if (head >= 0xe0) return head - 0x100;
    if (head >= 0xa0 && head <= 0xbf) return this.string(head & 0x1f);
    const read = readers[head];
    return read === undefined ? GIVE_UP : read(this);
  }

  byte(): number {
    return this.text.charCodeAt(this.pos++);
  }

  unsigned(bytes: number): number {
    let value = 0;
    for (let i = 0; i < bytes; i++) value = value * 256 + this.byte();
    return value;
  }

  signed(bytes: number): number {
    const value = this.unsigned(bytes);
    const range = 2 ** (bytes * 8);
    return value >= range / 2 ? value - range : value;
  }

  float(bytes: 4 | 8): number {
    for (let i = 0; i < bytes; i++) scratch.setUint8(i, this.byte());
    return bytes === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
  }

  int64(signed: boolean): bigint {
    for (let i = 0; i < 8; i++) scratch.setUint8(i, this.byte());
    return signed ? scratch.getBigInt64(0) : scratch.getBigUint64(0);
  }

  string(length: number): string | typeof GIVE_UP {
    const start = this.pos;
    const end = start + length;
    if (end > this.text.length) return GIVE_UP;
    this.pos = end;
    for (let i = start; i < end; i++) {
      if (this.text.charCodeAt(i) > 0x7f) return Buffer.from(this.text.slice(start, end), 'latin1').toString('utf8');
    }
    return this.text.slice(start, end);
  }
}

const GIVE_UP = Symbol('give up');

/** Readers of the scalar formats with a one-byte head other than fixint, fixstr (by msgpack's format byte). */
const readers: Partial<Record<number, (r: FlatMapReader) => unknown>> = {
  0xc0: () => null,
  0xc2: () => false,
  0xc3: () => true,
  0xca: (r) => r.float(4),
  0xcb: (r) => r.float(8),
  0xcc: (r) => r.unsigned(1),
  0xcd: (r) => r.unsigned(2),
  0xce: (r) => r.unsigned(4),
  0xcf: (r) => r.int64(false),
  0xd0: (r) => r.signed(1),
  0xd1: (r) => r.signed(2),
  0xd2: (r) => r.signed(4),
  0xd3: (r) => r.int64(true),
  0xd9: (r) => r.string(r.unsigned(1)),
  0xda: (r) => r.string(r.unsigned(2)),
  0xdb: (r) => r.string(r.unsigned(4)),
};
