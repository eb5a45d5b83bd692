import { readFileSync } from 'node:fs';
import type { Shoal } from '@shoal/client';
import { pino } from 'pino';
import { expect } from 'vitest';
import { noRules, parseKeyColumnRules, type CdcConfig, type SourceSpec } from '../../src/index.js';
import type { Row } from './change-history.js';

/** A cache's content as grid key (JSON text) → row. */
export async function cacheContents(grid: Shoal, cache: string): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  const names = (await grid.listCaches()).map((c) => c.name);
  if (!names.includes(cache)) return found;
  for await (const [key, value] of grid.cache<never, Row>(cache).entries()) found.set(JSON.stringify(key), value);
  return found;
}

/** Asserts that every cache holds exactly the rows of its table, row for row. */
export async function expectCachesEqual(grid: Shoal, expected: ReadonlyMap<string, ReadonlyMap<string, Row>>): Promise<void> {
  for (const [cache, rows] of expected) {
    const actual = await cacheContents(grid, cache);
    expect([...actual.keys()].sort(), `keys of ${cache}`).toEqual([...rows.keys()].sort());
    for (const [key, row] of rows) expect(actual.get(key), `${cache} ${key}`).toEqual(row);
  }
}

/** The history's tables need key columns on transports without record keys (HTTP, NATS). */
export const historyKeyColumns = parseKeyColumnRules(['customers=id', 'order_lines=order_id,line']);

export const quietLog = pino({ level: process.env['CDC_TEST_LOG'] ?? 'silent' });

/** An in-process ingester's settings for a test. */
export function testConfig(source: SourceSpec, endpoint: string, overrides: Partial<CdcConfig> = {}): CdcConfig {
  return {
    source,
    endpoints: [endpoint],
    authToken: null,
    rules: noRules,
    deadLetter: { kind: 'file', path: '/dev/null' },
    metrics: null,
    batchSize: 100,
    schemas: 'auto',
    unwrapFieldPrefix: '__',
    mysqlVersion: 'binlog',
    cacheConfig: {},
    progressIntervalMs: 60_000,
    logLevel: 'silent',
    ...overrides,
  };
}

/** The dead-letter file's entries. */
export function readDeadLetters(path: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Bad events a stream meets: invalid JSON, wrong shapes, an undecodable decimal, a row without a key. */
export const badValues: readonly { readonly value: string; readonly code: string }[] = [
  { value: '{"before":null,"after":{"id":1', code: 'UNDECODABLE_EVENT' },
  { value: '[1,2,3]', code: 'UNDECODABLE_EVENT' },
  { value: '{"op":"x","source":{"connector":"postgresql","table":"customers","lsn":1}}', code: 'UNDECODABLE_EVENT' },
  {
    value:
      '{"schema":{"type":"struct","name":"pg.public.customers.Envelope","fields":[{"type":"struct","optional":true,"field":"after","fields":[{"field":"id","type":"int32"},{"field":"balance","type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}}]},{"type":"struct","field":"source","fields":[]},{"type":"string","field":"op"}]},"payload":{"before":null,"after":{"id":999,"balance":"%%not-base64%%"},"source":{"connector":"postgresql","name":"pg","ts_ms":1,"db":"shop","schema":"public","table":"customers","lsn":5},"op":"c","ts_ms":2}}',
    code: 'UNDECODABLE_EVENT',
  },
];
