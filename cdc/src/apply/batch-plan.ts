import type { EncodedValue, Key, TableSchemaConfig } from '@shoal/client';
import type { Row } from '../decode/index.js';
import type { MappedEvent } from '../mapping/event-mapper.js';

/** One versioned change as the grid's `applyChanges` takes it. */
export type GridChange =
  | { readonly kind: 'put'; readonly key: Key; readonly value: Row | EncodedValue; readonly version: Uint8Array }
  | { readonly kind: 'remove'; readonly key: Key; readonly version: Uint8Array };

/** A change with the index of the record it came from in its batch (for dead-lettering a change the grid refuses). */
export interface PlannedChange {
  readonly change: GridChange;
  readonly record: number;
}

/**
 * What applying a batch takes, in order: writes grouped per cache (each
 * cache's changes in stream order), and truncates as barriers: every change
 * before a truncate is written before its cache is cleared, and none after.
 * A write names, for each cache it can, the SQL table to create it as
 * should it not exist yet (the first one its changes carry).
 */
export type PlanStep =
  | { readonly kind: 'write'; readonly caches: ReadonlyMap<string, readonly PlannedChange[]>; readonly tables: ReadonlyMap<string, TableSchemaConfig> }
  | { readonly kind: 'clear'; readonly cache: string; readonly record: number };

/** A mapped event and the index of its record in the batch. */
export interface MappedRecord {
  readonly mapped: MappedEvent;
  readonly record: number;
}

/** Groups a batch's changes per cache, in order, cut at each truncate. Skipped events add nothing. */
export function planBatch(items: readonly MappedRecord[]): PlanStep[] {
  const steps: PlanStep[] = [];
  let pending = new Map<string, PlannedChange[]>();
  let tables = new Map<string, TableSchemaConfig>();
  const flush = () => {
    if (pending.size > 0) steps.push({ kind: 'write', caches: pending, tables });
    pending = new Map();
    tables = new Map();
  };
  for (const { mapped, record } of items) {
    switch (mapped.kind) {
      case 'skip':
        break;
      case 'truncate':
        flush();
        steps.push({ kind: 'clear', cache: mapped.cache, record });
        break;
      case 'put':
      case 'remove': {
        const change: GridChange =
          mapped.kind === 'put'
            ? { kind: 'put', key: mapped.key, value: mapped.value, version: mapped.version }
            : { kind: 'remove', key: mapped.key, version: mapped.version };
        const list = pending.get(mapped.cache) ?? [];
        list.push({ change, record });
        pending.set(mapped.cache, list);
        if (mapped.table !== null && !tables.has(mapped.cache)) tables.set(mapped.cache, mapped.table);
        break;
      }
    }
  }
  flush();
  return steps;
}
