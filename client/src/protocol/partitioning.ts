import murmurhash from 'murmurhash';

/**
 * The partition of a key, from its canonical bytes. Client and node share this
 * function, so a key's partition is the same everywhere.
 * @example partitionOf(encodeKey('customer:42'), 1024)
 */
export function partitionOf(keyBytes: Uint8Array, partitionCount: number): number {
  return murmurhash.v3(keyBytes) % partitionCount;
}
