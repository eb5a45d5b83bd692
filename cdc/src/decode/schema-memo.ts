/**
 * What the decoder derives from a schema's JSON (the row's struct schema,
 * a key's), kept per parsed schema object. `SchemaTextCache` hands every
 * record of one schema text the same object, so each distinct schema is
 * interpreted once; a schema parsed anew is a new object and is interpreted
 * anew. Failures are not kept: they throw again, the same way.
 */
const derived = new WeakMap<object, Map<string, unknown>>();

export function memoBySchema<T>(schemaJson: unknown, slot: string, derive: () => T): T {
  if (typeof schemaJson !== 'object' || schemaJson === null) return derive();
  let slots = derived.get(schemaJson);
  if (slots === undefined) derived.set(schemaJson, (slots = new Map()));
  if (slots.has(slot)) return slots.get(slot) as T;
  const value = derive();
  slots.set(slot, value);
  return value;
}
