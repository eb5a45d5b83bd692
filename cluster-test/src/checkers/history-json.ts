import { writeFile } from 'node:fs/promises';
import type { FinalCounters, FinalReads, History, Operation, Value } from './history.js';

/** Everything the checkers need, so a failing run can be re-checked from its dump alone. */
export interface RecordedRun {
  readonly history: History;
  readonly finalReads?: FinalReads;
  readonly finalCounters?: FinalCounters;
}

const FORMAT = 'shoal-history';
const VERSION = 1;

/**
 * A run as JSON. `undefined` values (a read of an absent key) are written by
 * leaving the `value` field out, which JSON can express and `parseRun` reads back.
 */
export function serializeRun(run: RecordedRun): string {
  return JSON.stringify(
    {
      format: FORMAT,
      version: VERSION,
      operations: run.history,
      finalReads: run.finalReads ? [...run.finalReads].map(([key, value]) => ({ key, value })) : undefined,
      finalCounters: run.finalCounters ? [...run.finalCounters].map(([counter, value]) => ({ counter, value })) : undefined,
    },
    null,
    1,
  );
}

/** Reads back what `serializeRun` wrote; throws on anything else, naming what is wrong. */
export function parseRun(json: string): RecordedRun {
  const doc: unknown = JSON.parse(json);
  if (!isObject(doc) || doc.format !== FORMAT || doc.version !== VERSION) throw new Error(`not a ${FORMAT} v${VERSION} document`);
  if (!Array.isArray(doc.operations)) throw new Error('operations must be an array');
  const history = doc.operations.map(parseOperation);
  const run: { history: History; finalReads?: FinalReads; finalCounters?: FinalCounters } = { history };
  if (doc.finalReads !== undefined) {
    run.finalReads = new Map(listOf(doc.finalReads, 'finalReads').map((e) => [stringField(e, 'key'), optionalValueField(e)]));
  }
  if (doc.finalCounters !== undefined) {
    run.finalCounters = new Map(listOf(doc.finalCounters, 'finalCounters').map((e) => [stringField(e, 'counter'), numberField(e, 'value')]));
  }
  return run;
}

/** Dumps a run next to a failing test's output, for offline re-checking with `parseRun`. */
export async function writeRunFile(path: string, run: RecordedRun): Promise<void> {
  await writeFile(path, serializeRun(run) + '\n', 'utf8');
}

function parseOperation(raw: unknown, index: number): Operation {
  if (!isObject(raw)) throw new Error(`operations[${index}] is not an object`);
  const base = {
    id: numberField(raw, 'id'),
    process: stringField(raw, 'process'),
    invokedAt: numberField(raw, 'invokedAt'),
    completedAt: numberField(raw, 'completedAt'),
  };
  const outcome = raw.outcome;
  if (outcome !== 'ok' && outcome !== 'fail' && outcome !== 'unknown') throw new Error(`operations[${index}].outcome is invalid`);
  switch (raw.kind) {
    case 'write':
      return { ...base, kind: 'write', key: stringField(raw, 'key'), value: valueField(raw), outcome };
    case 'read':
      return outcome === 'ok'
        ? { ...base, kind: 'read', key: stringField(raw, 'key'), outcome, value: optionalValueField(raw) }
        : { ...base, kind: 'read', key: stringField(raw, 'key'), outcome };
    case 'increment':
      return outcome === 'ok'
        ? { ...base, kind: 'increment', counter: stringField(raw, 'counter'), outcome, result: numberField(raw, 'result') }
        : { ...base, kind: 'increment', counter: stringField(raw, 'counter'), outcome };
    default:
      throw new Error(`operations[${index}].kind is invalid`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown, name: string): Record<string, unknown>[] {
  if (!Array.isArray(value) || !value.every(isObject)) throw new Error(`${name} must be an array of objects`);
  return value;
}

function numberField(raw: Record<string, unknown>, name: string): number {
  const value = raw[name];
  if (typeof value !== 'number') throw new Error(`${name} must be a number`);
  return value;
}

function stringField(raw: Record<string, unknown>, name: string): string {
  const value = raw[name];
  if (typeof value !== 'string') throw new Error(`${name} must be a string`);
  return value;
}

function isValue(value: unknown): value is Value {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function valueField(raw: Record<string, unknown>): Value {
  if (!isValue(raw.value)) throw new Error('value must be a string, number, boolean or null');
  return raw.value;
}

function optionalValueField(raw: Record<string, unknown>): Value | undefined {
  return raw.value === undefined ? undefined : valueField(raw);
}
