import { BadRequestError } from './errors.js';
import { checkMsgpackStructure } from './msgpack-structure.js';

const encodedValueBrand = Symbol.for('@shoal/client EncodedValue');

/** msgpack's default depth limit, which `encodeValue` keeps. */
const VALUE_MAX_DEPTH = 100;

/**
 * A value already in its stored form: one msgpack value as `encodeValue`
 * writes values. The grid stores its bytes as they are, so a producer that
 * holds rows in another form (the CDC ingester, JSON) spares building an
 * object only to encode it.
 * @example await cache.put('k', EncodedValue.of(bytesFromAnotherShoalValue))
 */
export class EncodedValue {
  /** A registered symbol, not `instanceof`: a second copy of this package (another version installed beside it) must still be recognised, or its values would be encoded as `{bytes}`. */
  readonly [encodedValueBrand] = true;

  private constructor(readonly bytes: Uint8Array) {}

  /** Whether `value` is an `EncodedValue`, from this copy of the package or another. */
  static is(value: unknown): value is EncodedValue {
    return typeof value === 'object' && value !== null && (value as { [encodedValueBrand]?: unknown })[encodedValueBrand] === true && (value as { bytes?: unknown }).bytes instanceof Uint8Array;
  }

  /** Wraps bytes after checking they are exactly one well-formed msgpack value (`BadRequestError` otherwise). */
  static of(bytes: Uint8Array): EncodedValue {
    const problem = checkMsgpackStructure(bytes, VALUE_MAX_DEPTH);
    if (problem !== null) throw new BadRequestError(`not an encoded value: ${problem}`);
    if (bytes.length === 1 && bytes[0] === 0xc0) throw new BadRequestError('a cache value cannot be nil; use remove()');
    return new EncodedValue(bytes);
  }

  /** @internal For `ValueWriter`, which writes as the codec writes (unchecked, as `encodeValue`'s own output is); callers outside the protocol use `of`. */
  static trusted(bytes: Uint8Array): EncodedValue {
    return new EncodedValue(bytes);
  }
}