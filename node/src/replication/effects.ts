import type { PartitionStore } from '../storage/partition-store.js';

/**
 * What a write did to one partition, as replicas replay it. Effects, not
 * requests, travel to backups: an effect overwrites (a value, a removal), so
 * replaying it gives the primary's state whatever the replica held before.
 * Keys, values and versions are latin1 strings in memory and bin on the wire.
 */
export const EffectTag = { Set: 0, Delete: 1, PutVersioned: 2, RemoveVersioned: 3, Clear: 4 } as const;

export type Effect =
  | readonly [tag: typeof EffectTag.Set, key: string, value: string]
  | readonly [tag: typeof EffectTag.Delete, key: string]
  | readonly [tag: typeof EffectTag.PutVersioned, key: string, value: string, version: string]
  | readonly [tag: typeof EffectTag.RemoveVersioned, key: string, version: string]
  | readonly [tag: typeof EffectTag.Clear];

/**
 * Collects the effects of the request running now, per partition. Requests
 * run synchronously, so one journal at a time is enough; outside a request
 * (`active` undefined) stores record nothing and cost one check.
 */
export const effectJournal: { active: Map<PartitionStore, Effect[]> | undefined } = { active: undefined };

export function recordEffect(store: PartitionStore, effect: Effect): void {
  const journal = effectJournal.active;
  if (journal === undefined) return;
  let effects = journal.get(store);
  if (effects === undefined) journal.set(store, (effects = []));
  effects.push(effect);
}

/** Replays effects on a replica's copy of the partition. */
export function applyEffects(store: PartitionStore, effects: readonly Effect[]): void {
  for (const effect of effects) {
    switch (effect[0]) {
      case EffectTag.Set:
        store.set(effect[1], effect[2]);
        break;
      case EffectTag.Delete:
        store.delete(effect[1]);
        break;
      case EffectTag.PutVersioned:
        store.putVersioned(effect[1], effect[2], effect[3]);
        break;
      case EffectTag.RemoveVersioned:
        store.removeVersioned(effect[1], effect[2]);
        break;
      case EffectTag.Clear:
        store.clear();
        break;
    }
  }
}

/** Effects as msgpack carries them: strings become bin so bytes survive exactly. */
export function effectsToWire(effects: readonly Effect[]): unknown[] {
  return effects.map((effect) => effect.map((part, i) => (i === 0 ? part : Buffer.from(part as string, 'latin1'))));
}

/** The inverse of `effectsToWire`; throws on a malformed effect (peers are trusted, but a bug must not corrupt a partition silently). */
export function effectsFromWire(wire: unknown): Effect[] {
  if (!Array.isArray(wire)) throw new Error('effects must be an array');
  return wire.map((item) => {
    if (!Array.isArray(item) || typeof item[0] !== 'number') throw new Error('malformed effect');
    const parts = item.slice(1).map((part) => {
      if (!(part instanceof Uint8Array)) throw new Error('malformed effect field');
      return Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
    });
    const arity = [2, 1, 3, 2, 0][item[0]];
    if (arity === undefined || parts.length !== arity) throw new Error(`malformed effect tag ${item[0]}`);
    return [item[0], ...parts] as unknown as Effect;
  });
}
