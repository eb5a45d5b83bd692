import { SqlError } from '@shoal/client/protocol';
import type { IndexSchema } from '@shoal/sql';
import type { CacheDefinition } from './cache-definition.js';

/**
 * The definition with `index` added to its table; undefined when an index of
 * that name exists already (`existing`: the cache holding it). SQL_ERROR when
 * the index names a column the table does not have.
 */
export function addIndex(definition: CacheDefinition, index: IndexSchema, existing: unknown): CacheDefinition | undefined {
  const table = definition.table!;
  if (existing !== undefined) return undefined;
  for (const column of index.columns) {
    if (!table.columns.some((c) => c.name === column)) throw new SqlError(`column "${column}" does not exist in table "${definition.name}"`);
  }
  return { ...definition, table: { ...table, indexes: [...table.indexes, index] } };
}

/** The definition without the index named. */
export function dropIndex(definition: CacheDefinition, name: string): CacheDefinition {
  const table = definition.table!;
  return { ...definition, table: { ...table, indexes: table.indexes.filter((index) => index.name !== name) } };
}
