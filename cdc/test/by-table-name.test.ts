import { describe, expect, it } from 'vitest';
import { ByTableName } from '../src/mapping/by-table-name.js';

const ref = (db: string | null, schema: string | null, table: string) => ({ db, schema, table });

describe('values kept per table name', () => {
  it('keeps names apart that a joined string key would confuse', () => {
    const byName = new ByTableName<string>(100);
    const cases: [ReturnType<typeof ref> | null, string | null][] = [
      [null, null],
      [null, ''],
      [null, 't'],
      [ref(null, null, 't'), null],
      [ref('', null, 't'), null],
      [ref(null, '', 't'), null],
      [ref('a\u0000b', null, 't'), null],
      [ref('a', 'b', 't'), null],
      [ref('a', null, 'b\u0000t'), null],
      [ref('a', 'b', 't'), 'x'],
      [ref('a', 'b', 't'), '\u0001'],
    ];
    cases.forEach(([table, topic], i) => byName.set(table, topic, `v${i}`));
    cases.forEach(([table, topic], i) => expect(byName.get(table, topic), JSON.stringify([table, topic])).toBe(`v${i}`));
    expect(byName.get(ref('a', 'b', 'u'), null)).toBeUndefined();
  });

  it('replaces a value in place and starts over past its capacity', () => {
    const byName = new ByTableName<number>(2);
    byName.set(ref('d', 's', 't1'), null, 1);
    byName.set(ref('d', 's', 't1'), null, 2);
    byName.set(ref('d', 's', 't2'), null, 3);
    expect(byName.get(ref('d', 's', 't1'), null)).toBe(2);
    byName.set(ref('d', 's', 't3'), null, 4);
    expect(byName.get(ref('d', 's', 't1'), null)).toBeUndefined();
    expect(byName.get(ref('d', 's', 't3'), null)).toBe(4);
  });
});
