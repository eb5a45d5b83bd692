import type { TableRef } from '../decode/index.js';

type Level<T> = Map<string | null, T>;

/**
 * Values kept per (topic, db, schema, table) of an event, each name compared
 * as it is (null apart from the empty string; no table at all apart from
 * both): maps nested by name, so that no two different names can meet in
 * one key. Holds at most `capacity` values and starts over past that.
 */
export class ByTableName<T> {
  private readonly byTopic: Level<Level<Level<Level<T>>>> = new Map();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(table: TableRef | null, topic: string | null): T | undefined {
    return this.byTopic.get(topic)?.get(table?.db ?? null)?.get(table?.schema ?? null)?.get(table?.table ?? null);
  }

  set(table: TableRef | null, topic: string | null, value: T): void {
    if (this.size >= this.capacity) {
      this.byTopic.clear();
      this.size = 0;
    }
    const names = levelOf(levelOf(levelOf(this.byTopic, topic), table?.db ?? null), table?.schema ?? null);
    if (!names.has(table?.table ?? null)) this.size++;
    names.set(table?.table ?? null, value);
  }
}

function levelOf<T>(parent: Level<Level<T>>, name: string | null): Level<T> {
  let level = parent.get(name);
  if (level === undefined) parent.set(name, (level = new Map()));
  return level;
}
