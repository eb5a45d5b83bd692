import { encodeKey, type Key, partitionOf, SqlError } from '@shoal/client/protocol';
import type { MapScope, SqlHost } from '../../sql-host.js';
import { MAP_REQUEST_VERSION } from '../map-request.js';
import type { TableLayout } from '../table-layout.js';
import { flatten } from './read-runner.js';
import { keyIdentity } from './row-values.js';

/** Reads the stored rows of these keys from their partitions' primaries: key identity → cells. */
export async function readKeys(host: SqlHost, layout: TableLayout, keys: readonly Key[]): Promise<Map<string, unknown[]>> {
  const found = new Map<string, unknown[]>();
  if (keys.length === 0) return found;
  const partitions = [...new Set(keys.map((key) => partitionOf(encodeKey(key), layout.info.partitions)))].sort((a, b) => a - b);
  const outputs = await host.map(layout.name, { v: MAP_REQUEST_VERSION, get: layout.name, keys }, partitions);
  for (const entry of flatten(outputs)) {
    if (!Array.isArray(entry) || !Array.isArray(entry[1])) throw new SqlError('a map phase answered with a malformed output');
    found.set(keyIdentity(entry[0] as Key), entry[1] as unknown[]);
  }
  return found;
}

/** The map side of `readKeys`. */
export function getKeys(layout: TableLayout, keys: readonly Key[], scope: MapScope): unknown[] {
  const entries: unknown[] = [];
  for (const key of keys) {
    const stored = scope.get(layout.name, key);
    if (stored) entries.push([stored.key, layout.decode(stored)]);
  }
  return entries;
}

/** Runs writes a chunk at a time so a large statement does not open every request at once. */
export async function inChunks<T, R>(items: readonly T[], write: (item: T) => Promise<R>, size = 1000): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(write))));
  }
  return results;
}
