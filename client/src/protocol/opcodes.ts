/**
 * Every operation a client can ask of a node. Arguments are positional after
 * the opcode; keys and values travel as msgpack `bin` holding their own msgpack
 * encoding, so a node stores and returns them without decoding user data.
 */
export const Opcode = {
  /** `[]` → `null` */
  Ping: 1,
  /** `[name, { mode, backups, partitions? }]` → `boolean` (true if created) */
  CreateCache: 2,
  /** `[name]` → `boolean` (true if it existed) */
  DestroyCache: 3,
  /** `[]` → `[{ name, mode, backups, partitions }]` */
  ListCaches: 4,
  /** `[]` → the routing table, a `WirePartitionMap` (see `partition-map.ts`) */
  PartitionMap: 5,
  /** `[cache, key]` → `value | null` */
  Get: 10,
  /** `[cache, [key, ...]]` → `bin` holding one msgpack array `[value | nil, ...]` in the order of the keys */
  GetAll: 11,
  /** `[cache, key, value]` → `null` */
  Put: 12,
  /** `[cache, [key, value, key, value, ...]]` → `null` */
  PutAll: 13,
  /** `[cache, key]` → `boolean` (true if it was there) */
  Remove: 14,
  /** `[cache, [key, ...]]` → `number` removed */
  RemoveAll: 15,
  /** `[cache, key]` → `boolean` */
  ContainsKey: 16,
  /** `[cache, key, value]` → `boolean` (true if it was absent and is now put) */
  PutIfAbsent: 17,
  /** `[cache, key, value]` → `boolean` (true if it was present and is now replaced) */
  Replace: 18,
  /** `[cache, key, expected, value]` → `boolean` */
  ReplaceIfEquals: 19,
  /** `[cache, key, value]` → previous `value | null` */
  GetAndPut: 20,
  /** `[cache, key]` → previous `value | null` */
  GetAndRemove: 21,
  /** `[cache]` → `number` */
  Size: 22,
  /** `[cache]` → `null` */
  Clear: 23,
  /** `[cache, partitionCursor, maxEntries]` → `[nextCursor | null, [key, value, ...]]` */
  Scan: 24,
  /**
   * `[cache, [change, ...]]` → `[boolean, ...]`, one per change in order: true
   * if it applied, false if it was stale. A change is `[ChangeTag.Put, key,
   * value, version]` or `[ChangeTag.Remove, key, version]` (see `versions.ts`);
   * a version is `bin`, 1 to `MAX_VERSION_BYTES` bytes, ordered by
   * `compareVersions`. A change applies when the key has no stored version or
   * its version is `>=` the stored one (so rows sharing one position apply as
   * upserts and an exact duplicate is harmless), and stores its version; an
   * applied remove leaves a tombstone (key → version, invisible to reads) so a
   * replayed older put cannot bring the row back. Changes apply in order, each
   * against the state the previous ones left. Every change is checked before
   * any applies: one bad change is `BAD_REQUEST` and nothing is written. Any
   * other write to a key (put, remove, ...) forgets its version; `Clear` drops
   * versions and tombstones too.
   */
  ApplyChanges: 25,
  /**
   * `[text, params]` → `[command, columns, rows, rowCount, cursor | null]`:
   * runs one SQL statement on the receiving node (which plans it, fans its map
   * phase out to the primaries and reduces). `rows` is the first page; when
   * `cursor` is not null the rest follows through `SqlFetch` on the same connection.
   */
  Sql: 30,
  /** `[cursor]` → `[rows, cursor | null]`: the next page of a result; an unknown or expired cursor is SQL_ERROR. */
  SqlFetch: 31,
  /**
   * `[table, request, [partition, ...]]` → the map phase's output for those
   * partitions: what a node sends the primaries while running a statement.
   * `request` is the SQL engine's own (validated like any input). NOT_PRIMARY
   * unless this node leads every partition named, so each partition's rows
   * are read exactly once.
   */
  SqlMap: 32,
  /** `[name]` → `number` */
  AtomicGet: 40,
  /** `[name, value]` → `null` */
  AtomicSet: 41,
  /** `[name, delta]` → new `number` */
  AtomicAddAndGet: 42,
  /** `[name, delta]` → previous `number` */
  AtomicGetAndAdd: 43,
  /** `[name, expected, value]` → `boolean` */
  AtomicCompareAndSet: 44,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

const opcodeNames = new Map<number, string>(Object.entries(Opcode).map(([name, code]) => [code, name]));

/** The opcode's name for logs and metrics, e.g. `opcodeName(10) === 'Get'`. */
export function opcodeName(code: number): string {
  return opcodeNames.get(code) ?? `Unknown(${code})`;
}

/** True when `code` is a known opcode. */
export function isOpcode(code: unknown): code is Opcode {
  return typeof code === 'number' && opcodeNames.has(code);
}
