/**
 * Versioned writes (`Opcode.ApplyChanges`), the grid side of CDC: each change
 * carries a version, an opaque byte string that only has to sort like the
 * source positions it encodes. The node compares versions with
 * `compareVersions` and knows nothing of where they came from.
 */

/** The first element of each change in an ApplyChanges request. */
export const ChangeTag = {
  /** `[Put, key, value, version]` */
  Put: 0,
  /** `[Remove, key, version]` */
  Remove: 1,
} as const;
export type ChangeTag = (typeof ChangeTag)[keyof typeof ChangeTag];

/**
 * Largest version, in bytes. Source positions (an LSN, a binlog file and
 * offset, a resume token) fit with room to spare; the cap bounds what a node
 * keeps per versioned key and per tombstone.
 */
export const MAX_VERSION_BYTES = 1024;

/**
 * Orders two versions as unsigned bytes, lexicographically; a proper prefix
 * sorts first. Negative when `a` is older, 0 when equal, positive when newer.
 * Client and node share this function, so both sides agree on what is newer.
 * @example compareVersions(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)) < 0
 */
export function compareVersions(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a[i]! - b[i]!;
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
