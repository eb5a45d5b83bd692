import type { TableRef } from '../decode/index.js';

/**
 * The names a rule (`--map`, `--key`) may use for an event's table, most
 * specific first: the topic (stream, subject) it came on, then
 * `db.schema.table`, `db.table`, `schema.table` and the bare table name.
 * An event without a table (an unwrapped row without `__table`) is known by
 * its topic and the topic's last dot-separated part, which is the table in
 * Debezium's topic naming (`prefix.db.table`, `prefix.schema.table`).
 */
export function tableNames(table: TableRef | null, topic: string | null): readonly string[] {
  const names: string[] = [];
  const add = (name: string | null) => {
    if (name !== null && name !== '' && !names.includes(name)) names.push(name);
  };
  add(topic);
  if (table !== null) {
    const { db, schema, table: name } = table;
    if (db !== null && schema !== null) add(`${db}.${schema}.${name}`);
    if (db !== null) add(`${db}.${name}`);
    if (schema !== null) add(`${schema}.${name}`);
    add(name);
  } else if (topic !== null) {
    add(lastTopicSegment(topic));
  }
  return names;
}

/** The name an event's table goes by when no rule names it: the table, or the topic's last part. */
export function defaultTableName(table: TableRef | null, topic: string | null): string | null {
  if (table !== null) return table.table;
  return topic === null || topic === '' ? null : lastTopicSegment(topic);
}

function lastTopicSegment(topic: string): string {
  return topic.slice(topic.lastIndexOf('.') + 1) || topic;
}

/** The value of the first of `names` a rule map has. */
export function firstMatch<T>(rules: ReadonlyMap<string, T>, names: readonly string[]): T | undefined {
  for (const name of names) {
    const found = rules.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}
