import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRecord, type DecodedEvent, type DecodeOptions } from '../../src/index.js';

/** A copy of the team's shared/debezium events (Debezium's own fixtures, Apache-2.0), kept in the repository so a clean clone has them. */
export const fixtureDir = fileURLToPath(new URL('../fixtures/debezium/', import.meta.url));

export function fixtureNames(): string[] {
  return readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function fixtureText(name: string): string {
  return readFileSync(join(fixtureDir, name), 'utf8');
}

/** Decodes a fixture that is a message value, optionally with a key fixture. */
export function decodeFixture(value: string, options: DecodeOptions & { key?: string; topic?: string } = {}): DecodedEvent {
  const { key, topic, ...decodeOptions } = options;
  return decodeRecord({ value: fixtureText(value), key: key === undefined ? null : fixtureText(key), topic: topic ?? null }, decodeOptions);
}

/** Narrows a decoded event to one kind, failing the test otherwise. */
export function expectKind<K extends DecodedEvent['kind']>(event: DecodedEvent, kind: K): Extract<DecodedEvent, { kind: K }> {
  if (event.kind !== kind) throw new Error(`expected a ${kind} event, got ${event.kind}`);
  return event as Extract<DecodedEvent, { kind: K }>;
}
