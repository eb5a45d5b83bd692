import { base64View } from './base64.js';
import { undecodable } from './decode-error.js';
import { numberText } from './json-text.js';
import { child, describeJson, requireObject, requireSafeInteger } from './raw-access.js';

/**
 * An exact decimal in plain notation with its scale kept: "200000.0000",
 * "-0.50", "12". A string because msgpack, JSON and SQL text all carry it
 * unchanged, and a float would not: DECIMAL(19,4) values go beyond 2^53.
 */
export type DecimalString = string;

// Java's BigDecimal allows any int scale, but nothing real goes near this, and
// a bound keeps a hostile scale from asking for a string of a billion zeros.
const maxAbsScale = 1000;
const numberLiteral = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** The unscaled value of Kafka's Decimal: big-endian two's complement, like Java's `BigInteger.toByteArray()`. */
export function unscaledFromBytes(bytes: Uint8Array, path: string): bigint {
  if (bytes.length === 0) return undecodable(path, 'a decimal needs at least one byte of unscaled value');
  const magnitude = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
  const negative = (bytes[0] ?? 0) >= 0x80;
  return negative ? magnitude - (1n << BigInt(bytes.length * 8)) : magnitude;
}

/** Up to 6 bytes (48 bits) the unscaled value is exact as a number, and formatting it skips BigInt, which costs more than the rest of a row. */
const maxNumberBytes = 6;

function decimalFromBytes(bytes: Uint8Array, scale: number, path: string): DecimalString {
  if (bytes.length === 0 || bytes.length > maxNumberBytes || scale <= 0) return formatDecimal(unscaledFromBytes(bytes, path), scale);
  let unscaled = 0;
  for (let i = 0; i < bytes.length; i++) unscaled = unscaled * 256 + bytes[i]!;
  if (bytes[0]! >= 0x80) unscaled -= 2 ** (8 * bytes.length);
  return formatScaled(unscaled < 0 ? '-' : '', Math.abs(unscaled).toString(), scale);
}

/** The value of each base64 character, or -1. */
const base64Values = new Int8Array(256).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) base64Values[c.charCodeAt(0)] = i;

/** Scales the fast path writes; the digits and the point fit in `decimalAsciiBytes`. */
const maxAsciiScale = 20;
/** What `writeBase64Decimal` may write at most: a sign, 21 digits and a point. */
export const decimalAsciiBytes = 24;

/**
 * Writes what `decodeDecimal` gives the base64 text `bytes[start, end)` at
 * `scale`, as ASCII, into `out` from 0 and returns its length: the common
 * Decimal (up to 6 bytes, a positive scale) straight from the JSON's bytes,
 * without a string or a Buffer on the way. -1 for anything else, which the
 * caller decodes the ordinary way (and so refuses the same way).
 */
export function writeBase64Decimal(bytes: Uint8Array, start: number, end: number, scale: number, out: Uint8Array): number {
  const length = end - start;
  if (scale <= 0 || scale > maxAsciiScale || (length !== 4 && length !== 8)) return -1;
  let padding = 0;
  if (bytes[end - 1] === 61 /* = */) padding = bytes[end - 2] === 61 ? 2 : 1;
  let bits = 0;
  for (let i = start; i < end - padding; i++) {
    const value = base64Values[bytes[i]!]!;
    if (value < 0) return -1;
    bits = bits * 64 + value;
  }
  // The padded group's last character carries bits beyond the bytes, which Buffer.from drops too.
  const byteCount = (length / 4) * 3 - padding;
  const spareBits = (length - padding) * 6 - byteCount * 8;
  let unscaled = Math.floor(bits / 2 ** spareBits);
  if (unscaled >= 2 ** (8 * byteCount - 1)) unscaled -= 2 ** (8 * byteCount);
  return writeScaled(unscaled, scale, out);
}

/** `unscaled` (a safe integer) at `scale` > 0 as `formatScaled` writes it. */
function writeScaled(unscaled: number, scale: number, out: Uint8Array): number {
  let pos = 0;
  if (unscaled < 0) out[pos++] = 45; // -
  let rest = Math.abs(unscaled);
  let digits = 1;
  for (let power = 10; power <= rest; power *= 10) digits++;
  const total = Math.max(digits, scale + 1);
  const end = pos + total + 1;
  // Right to left: fraction digits, the point, then the whole part (zeros where the magnitude has no digits).
  let at = end - 1;
  for (let i = 0; i < total; i++) {
    if (i === scale) out[at--] = 46; // .
    const digit = rest % 10;
    out[at--] = 48 + digit;
    rest = (rest - digit) / 10;
  }
  return end;
}

/** unscaled × 10^-scale in plain notation, with exactly `scale` fraction digits. */
export function formatDecimal(unscaled: bigint, scale: number): DecimalString {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  return formatScaled(unscaled < 0n ? '-' : '', (unscaled < 0n ? -unscaled : unscaled).toString(), scale);
}

/** A magnitude's digits placed at `scale` > 0. */
function formatScaled(sign: string, magnitude: string, scale: number): DecimalString {
  const digits = magnitude.padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Reads the `scale` parameter of a Decimal schema. */
export function parseScale(text: string | undefined, path: string): number {
  if (text === undefined) return undecodable(path, 'a Decimal schema needs a "scale" parameter');
  const scale = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > maxAbsScale) return undecodable(path, `invalid decimal scale ${JSON.stringify(text)}`);
  return scale;
}

/**
 * A Kafka Connect Decimal value at `scale`: base64 bytes (the JsonConverter's
 * default `decimal.format=BASE64`) or a JSON number (`decimal.format=NUMERIC`,
 * kept exact by the parser and rescaled without rounding).
 */
export function decodeDecimal(value: unknown, scale: number, path: string): DecimalString {
  if (typeof value === 'string') return decimalFromBytes(base64View(value, path), scale, path);
  if (value instanceof Uint8Array) return decimalFromBytes(value, scale, path);
  const text = numberText(value);
  if (text !== undefined) return formatDecimal(rescale(text, scale, path), scale);
  return undecodable(path, `expected a decimal (base64 bytes or a number), got ${describeJson(value)}`);
}

/** Debezium's VariableScaleDecimal: a struct `{scale: int32, value: bytes}` whose scale travels with each value. */
export function decodeVariableScaleDecimal(value: unknown, path: string): DecimalString {
  const struct = requireObject(value, path, 'a VariableScaleDecimal struct {scale, value}');
  const scale = requireSafeInteger(struct['scale'], child(path, 'scale'));
  if (Math.abs(scale) > maxAbsScale) return undecodable(child(path, 'scale'), `invalid decimal scale ${scale}`);
  return decodeDecimal(struct['value'], scale, child(path, 'value'));
}

/** The unscaled integer of a decimal number literal at `scale`; refuses to drop non-zero digits. */
function rescale(text: string, scale: number, path: string): bigint {
  const match = numberLiteral.exec(text);
  if (match === null) return undecodable(path, `invalid decimal number ${text}`);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const shift = Number(exponent) - fraction.length + scale;
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > maxAbsScale * 2) return undecodable(path, `decimal ${text} is out of range`);
  const digits = BigInt(`${sign}${whole}${fraction}`);
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) return undecodable(path, `decimal ${text} has more fraction digits than its scale ${scale}`);
  return digits / divisor;
}

