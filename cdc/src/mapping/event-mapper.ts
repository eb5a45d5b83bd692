import type { EncodedValue, Key, TableSchemaConfig } from '@shoal/client';
import type { DecodedEvent, DeleteEvent, EncodedRow, EventKind, Row, RowKey, SourceBlock, TableRef, TruncateEvent, UpsertEvent } from '../decode/index.js';
import { GtidSourceGuard, positionVersion, type VersionOptions } from '../apply/position-version.js';
import { cacheNameProblem } from '../apply/create-cache.js';
import { CdcEventError, CdcEventErrorCode } from '../errors.js';
import { flatCopy } from '../decode/flat-copy.js';
import { ByTableName } from './by-table-name.js';
import { gridKeyOf, keyOfColumn, pickKeyColumns } from './grid-key.js';
import type { MappingRules } from './mapping-rules.js';
import { sqlTableOf } from './sql-table.js';
import { defaultTableName, firstMatch, tableNames } from './table-names.js';

/** Where a table's events go: its cache (or why none), the names rules know it by, and its key columns if named. */
interface Route {
  readonly cache: string;
  readonly names: readonly string[];
  readonly keyColumns: readonly string[] | undefined;
  /** Why its events cannot be applied, or null. */
  readonly problem: string | null;
}

/** Routes kept before starting over: far more tables than a stream has, and a bound if names are hostile. */
const maxRoutes = 10_000;

function flatOrNull(name: string | null): string | null {
  return name === null ? null : flatCopy(name);
}

/** What one decoded event asks of the grid. */
export type MappedEvent = PutChange | RemoveChange | TruncateChange | SkippedEvent;

interface ChangeCommon {
  readonly cache: string;
  /** `source.ts_ms` (else the envelope's `ts_ms`): when the database made the change, for lag. */
  readonly sourceTsMs: number | null;
}

interface RowChangeCommon extends ChangeCommon {
  readonly key: Key;
  readonly version: Uint8Array;
  /** The SQL table the cache is created as when this change is the first to need it; null for a plain cache (see `sqlTableOf`). */
  readonly table: TableSchemaConfig | null;
}

/** `c`, `r`, `u`: store the after row under its key, if its version is not older than the stored one. */
export interface PutChange extends RowChangeCommon {
  readonly kind: 'put';
  /** The row, or the same row already encoded (`UpsertEvent.encodedRow`). */
  readonly value: Row | EncodedValue;
}

/** `d`: remove the key, if its version is not older than the stored one (the grid keeps a tombstone at that version). */
export interface RemoveChange extends RowChangeCommon {
  readonly kind: 'remove';
}

/** `t`: empty the cache, after every earlier change of the batch. */
export interface TruncateChange extends ChangeCommon {
  readonly kind: 'truncate';
}

/** Tombstones, transaction metadata, heartbeats, schema changes and messages: nothing to write. */
export interface SkippedEvent {
  readonly kind: 'skip';
  readonly eventKind: EventKind;
}

export interface EventMapperOptions extends VersionOptions {
  readonly rules: MappingRules;
}

/**
 * Turns decoded events into grid changes: the cache from the rules (default:
 * the table name), the key from the rules' key columns or else the record
 * key, the version from the source position. Throws `CdcEventError` for an
 * event that cannot be applied (no cache, no usable key). With the MySQL
 * GTID version form, a change from another GTID source than the first one
 * seen throws `GtidSourceChangedError`, which is not set aside but fails the
 * batch (see `GtidSourceGuard`).
 */
export class EventMapper {
  private readonly gtidSources = new GtidSourceGuard();
  /** Per cache, what its first event with a schema described (null: a plain cache), so that later events are not described again. */
  private readonly tables = new Map<string, TableSchemaConfig | null>();
  /** Where each table's events go: working it out per event built and hashed its four names every time. */
  private readonly routes = new ByTableName<Route>(maxRoutes);

  constructor(private readonly options: EventMapperOptions) {}

  map(event: DecodedEvent): MappedEvent {
    switch (event.kind) {
      case 'upsert':
        return this.put(event);
      case 'delete':
        return this.remove(event);
      case 'truncate':
        return this.truncate(event);
      default:
        return { kind: 'skip', eventKind: event.kind };
    }
  }

  private put(event: UpsertEvent): PutChange {
    const route = this.route(event);
    const { cache, names } = route;
    const encoded = event.encodedRow;
    const key = this.keyOf(event, route, encoded ?? event.row);
    const table = this.tableOf(cache, event, names);
    const value = encoded === undefined ? event.row : encoded.value;
    return { kind: 'put', cache, key, value, version: this.versionOf(event), table, sourceTsMs: sourceTsMs(event.source, event.tsMs) };
  }

  private versionOf(event: UpsertEvent | DeleteEvent): Uint8Array {
    if (this.options.mysql === 'gtid') this.gtidSources.check(event.position);
    return positionVersion(event.position, this.options);
  }

  private remove(event: DeleteEvent): RemoveChange {
    const route = this.route(event);
    const { cache, names } = route;
    const key = this.keyOf(event, route, event.before);
    const table = this.tableOf(cache, event, names);
    return { kind: 'remove', cache, key, version: this.versionOf(event), table, sourceTsMs: sourceTsMs(event.source, event.tsMs) };
  }

  private tableOf(cache: string, event: UpsertEvent | DeleteEvent, names: readonly string[]): TableSchemaConfig | null {
    const known = this.tables.get(cache);
    if (known !== undefined) return known;
    if (event.rowSchema === null) return null;
    const table = sqlTableOf(event.rowSchema, event.keySchema, firstMatch(this.options.rules.keyColumns, names));
    this.tables.set(cache, table);
    return table;
  }

  private truncate(event: TruncateEvent): TruncateChange {
    return { kind: 'truncate', cache: this.route(event).cache, sourceTsMs: sourceTsMs(event.source, event.tsMs) };
  }

  private route(event: UpsertEvent | DeleteEvent | TruncateEvent): Route {
    let route = this.routes.get(event.table, event.topic);
    if (route === undefined) {
      // Kept for good: names of their own, not slices of the record they came in.
      const { table, topic } = event;
      const flatTable = table === null ? null : { db: flatOrNull(table.db), schema: flatOrNull(table.schema), table: flatCopy(table.table) };
      const flatTopic = flatOrNull(topic);
      route = this.newRoute(flatTable, flatTopic);
      this.routes.set(flatTable, flatTopic, route);
    }
    if (route.problem !== null) throw new CdcEventError(CdcEventErrorCode.NoCache, route.problem);
    return route;
  }

  private newRoute(table: TableRef | null, topic: string | null): Route {
    const names = tableNames(table, topic);
    const cache = firstMatch(this.options.rules.caches, names) ?? defaultTableName(table, topic);
    const keyColumns = firstMatch(this.options.rules.keyColumns, names);
    if (cache === null) return { cache: '', names, keyColumns, problem: 'the event names no table and came with no topic, so no cache can be chosen' };
    const problem = cacheNameProblem(cache);
    return { cache, names, keyColumns, problem: problem === null ? null : `${problem}; send the table to another cache with --map` };
  }

  /** Named key columns win over the record key, so that every transport of one table makes the same keys. */
  private keyOf(event: UpsertEvent | DeleteEvent, { names, keyColumns: columns }: Route, row: Row | EncodedRow | null): Key {
    if (columns !== undefined) {
      if (row === null) throw new CdcEventError(CdcEventErrorCode.UnusableKey, `a delete of ${names.at(-1) ?? 'a table'} without its before state, so the key columns ${columns.join(',')} are unknown`);
      if (columns.length === 1) return keyOfColumn(row, columns[0]!, 'the row', 'the key');
      return gridKeyOf(pickKeyColumns(row, columns, 'the row'), 'the key');
    }
    if (event.key === null) {
      const table = names.at(-1) ?? 'the table';
      throw new CdcEventError(CdcEventErrorCode.NoKey, `the record has no key; name the key columns with --key ${table}=col[,col]`);
    }
    return gridKeyOf(event.key as RowKey, 'the record key');
  }
}

function sourceTsMs(source: SourceBlock, envelopeTsMs: number | null): number | null {
  const ts = source['ts_ms'];
  return typeof ts === 'number' && Number.isFinite(ts) ? ts : envelopeTsMs;
}
