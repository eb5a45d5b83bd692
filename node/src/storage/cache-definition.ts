import { BadRequestError, DEFAULT_PARTITION_COUNT, INTERNAL_CACHE_PREFIX } from '@shoal/client/protocol';
import { type TableSchema, checkTableSchema } from '@shoal/sql';
import { describeInput } from '../input/describe-input.js';

/** A cache's layout, as created and as listed. */
export interface CacheDefinition {
  readonly name: string;
  readonly mode: 'partitioned' | 'replicated';
  readonly backups: number;
  readonly partitions: number;
  /** 'full': a write is answered once every copy applied it; 'primary': once the primary did (faster, may lose the latest writes on failover). */
  readonly writeSync: WriteSync;
  /** Columns, primary key and indexes when the cache is a SQL table (made by CREATE TABLE, or given to createCache). */
  readonly table?: TableSchema;
}

export const WriteSync = { Full: 'full', Primary: 'primary' } as const;
export type WriteSync = (typeof WriteSync)[keyof typeof WriteSync];

export const CacheMode = { Partitioned: 'partitioned', Replicated: 'replicated' } as const;

export { INTERNAL_CACHE_PREFIX };
const MAX_NAME_LENGTH = 255;
const MAX_BACKUPS = 6;
const MAX_PARTITIONS = 65_536;

/** Reads a CreateCache request's name and config; throws `BadRequestError` naming the bad field. */
export function parseCacheDefinition(name: unknown, config: unknown, defaultPartitions = DEFAULT_PARTITION_COUNT): CacheDefinition {
  checkCacheName(name);
  if (config === null || config === undefined) config = {};
  if (typeof config !== 'object' || Object.getPrototypeOf(config) !== Object.prototype) {
    throw new BadRequestError(`cache config must be a plain object, got ${describeInput(config)}`);
  }
  const { mode = CacheMode.Partitioned, backups = 1, partitions = defaultPartitions, writeSync = WriteSync.Full, schema, ...rest } = config as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    const named = unknown.slice(0, 3).map((field) => describeInput(field));
    throw new BadRequestError(`unknown cache config field${unknown.length > 1 ? 's' : ''}: ${named.join(', ')}${unknown.length > 3 ? ', …' : ''}`);
  }
  if (mode !== CacheMode.Partitioned && mode !== CacheMode.Replicated) throw new BadRequestError(`mode must be 'partitioned' or 'replicated', got ${describeInput(mode)}`);
  if (!Number.isInteger(backups) || (backups as number) < 0 || (backups as number) > MAX_BACKUPS) {
    throw new BadRequestError(`backups must be an integer from 0 to ${MAX_BACKUPS}, got ${describeInput(backups)}`);
  }
  if (!Number.isInteger(partitions) || (partitions as number) < 1 || (partitions as number) > MAX_PARTITIONS) {
    throw new BadRequestError(`partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${describeInput(partitions)}`);
  }
  if (writeSync !== WriteSync.Full && writeSync !== WriteSync.Primary) throw new BadRequestError(`writeSync must be 'full' or 'primary', got ${describeInput(writeSync)}`);
  const definition: CacheDefinition = { name, mode, backups: backups as number, partitions: partitions as number, writeSync };
  return schema === undefined || schema === null ? definition : { ...definition, table: checkTableSchema(schema) };
}

/** Throws unless `name` can name a user cache. */
export function checkCacheName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new BadRequestError(`cache name must be a string of 1 to ${MAX_NAME_LENGTH} characters`);
  }
  if (name.startsWith(INTERNAL_CACHE_PREFIX)) throw new BadRequestError(`cache names starting with '${INTERNAL_CACHE_PREFIX}' are reserved`);
}

export function sameDefinition(a: CacheDefinition, b: CacheDefinition): boolean {
  return a.mode === b.mode && a.backups === b.backups && a.partitions === b.partitions && a.writeSync === b.writeSync && sameTable(a.table, b.table);
}

/** Tables match when their columns and keys do; indexes come and go with CREATE/DROP INDEX. */
function sameTable(a: TableSchema | undefined, b: TableSchema | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify([a.columns, a.primaryKey]) === JSON.stringify([b.columns, b.primaryKey]);
}

