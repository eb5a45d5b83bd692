import { describe, expect, it } from 'vitest';
import { decodeRecord, EventMapper, noRules, planBatch, type MappedRecord, type PlanStep } from '../src/index.js';
import { generateHistory } from './support/change-history.js';

const mapper = new EventMapper({ rules: noRules });
const put = (cache: string, key: number): MappedRecord['mapped'] => ({ kind: 'put', cache, key, value: { id: key }, version: Uint8Array.of(0x20, key), table: null, sourceTsMs: null });
const remove = (cache: string, key: number): MappedRecord['mapped'] => ({ kind: 'remove', cache, key, version: Uint8Array.of(0x20, key), table: null, sourceTsMs: null });

/** A plan as `[cache, kind:key, ...]` per write, `clear cache` per truncate. */
function shape(steps: readonly PlanStep[]): unknown[] {
  return steps.map((s) => (s.kind === 'clear' ? `clear ${s.cache}` : Object.fromEntries([...s.caches].map(([c, list]) => [c, list.map((p) => `${p.change.kind}:${String(p.change.key)}@${p.record}`)]))));
}

describe('batch plan', () => {
  it('groups changes per cache, in stream order, and keeps each record index', () => {
    const items: MappedRecord[] = [put('a', 1), put('b', 1), remove('a', 1), { kind: 'skip', eventKind: 'tombstone' }, put('a', 2)].map((mapped, record) => ({ mapped, record }));
    expect(shape(planBatch(items))).toEqual([{ a: ['put:1@0', 'remove:1@2', 'put:2@4'], b: ['put:1@1'] }]);
  });

  it('a truncate is a barrier: what came before is written, then the cache is cleared, then the rest', () => {
    const items: MappedRecord[] = [put('a', 1), put('b', 2), { kind: 'truncate', cache: 'a', sourceTsMs: null }, put('a', 3), { kind: 'truncate', cache: 'b', sourceTsMs: null }].map(
      (mapped, record) => ({ mapped, record }),
    );
    expect(shape(planBatch(items))).toEqual([{ a: ['put:1@0'], b: ['put:2@1'] }, 'clear a', { a: ['put:3@3'] }, 'clear b']);
  });

  it('an empty or all-skipped batch plans nothing', () => {
    expect(planBatch([])).toEqual([]);
    expect(planBatch([{ mapped: { kind: 'skip', eventKind: 'heartbeat' }, record: 0 }])).toEqual([]);
  });

  it('a generated history plans one change per row event and keeps every key change as a remove then a put', () => {
    const history = generateHistory({ seed: 7, snapshotRows: 20, changes: 300, truncates: true });
    const items = history.records.map((r, record) => ({ mapped: mapper.map(decodeRecord(r)), record }));
    const steps = planBatch(items);
    const writes = steps.flatMap((s) => (s.kind === 'write' ? [...s.caches.values()].flat() : []));
    const rowEvents = items.filter((i) => i.mapped.kind === 'put' || i.mapped.kind === 'remove');
    expect(writes).toHaveLength(rowEvents.length);
    expect(steps.filter((s) => s.kind === 'clear')).toHaveLength(items.filter((i) => i.mapped.kind === 'truncate').length);
    // Within a cache, records stay in stream order.
    for (const step of steps) {
      if (step.kind !== 'write') continue;
      for (const list of step.caches.values()) expect(list.map((p) => p.record)).toEqual([...list.map((p) => p.record)].sort((x, y) => x - y));
    }
  });
});
