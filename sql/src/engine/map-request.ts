import { BadRequestError, encodeKey, type Key } from '@shoal/client/protocol';
import type { SubqueryValues } from './expr/compiled.js';
import { ValueKind } from './values/value-kind.js';

/**
 * What the engine sends to the map phase through `SqlHost.map`: the
 * statement's text and parameters, which read of it to run, and the values
 * of its subqueries computed first. The receiving owner re-parses (cached)
 * and re-plans against the same catalog, so the plan itself never travels
 * and only this small wrapper needs checking. Any client can send one.
 */
export type MapRequest =
  | {
      readonly v: 1;
      readonly sql: string;
      readonly params: readonly unknown[];
      /** 0: the statement's own read; n: its n-th `IN (SELECT ...)` in pre-order. */
      readonly target: number;
      /** Which table of a key join this request scans (0 or 1); 0 otherwise. */
      readonly scan: number;
      /** Per subquery in pre-order: its values, or null where not yet computed. */
      readonly subqueries: readonly (SubqueryValues | null)[];
    }
  /** The rows of these keys: what ON CONFLICT DO UPDATE and a multi-row INSERT read before writing. */
  | { readonly v: 1; readonly get: string; readonly keys: readonly Key[] };

export const MAP_REQUEST_VERSION = 1;
const MAX_SQL_LENGTH = 1_000_000;
const MAX_PARAMS = 65_535;
const MAX_KEYS = 1_000_000;
const KINDS: ReadonlySet<string> = new Set(Object.values(ValueKind));

function bad(problem: string): never {
  throw new BadRequestError(`malformed SQL map request: ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function checkMapRequest(input: unknown): MapRequest {
  if (!isObject(input)) bad('not an object');
  if (input['v'] !== MAP_REQUEST_VERSION) bad(`version must be ${MAP_REQUEST_VERSION}`);
  if ('get' in input) return checkGetRequest(input);
  const { sql, params, target, scan, subqueries } = input;
  if (typeof sql !== 'string' || sql.length > MAX_SQL_LENGTH) bad('sql must be a string of at most 1,000,000 characters');
  if (!Array.isArray(params) || params.length > MAX_PARAMS) bad('params must be an array');
  if (!Number.isSafeInteger(target) || (target as number) < 0) bad('target must be a non-negative integer');
  if (scan !== 0 && scan !== 1) bad('scan must be 0 or 1');
  if (!Array.isArray(subqueries)) bad('subqueries must be an array');
  return { v: 1, sql, params, target: target as number, scan, subqueries: subqueries.map(checkSubqueryValues) };
}

function checkSubqueryValues(input: unknown): SubqueryValues | null {
  if (input === null) return null;
  if (!isObject(input) || !Array.isArray(input['values']) || typeof input['kind'] !== 'string' || !KINDS.has(input['kind'])) {
    bad('each subquery must be null or { values: [...], kind }');
  }
  return { values: input['values'] as unknown[], kind: input['kind'] as ValueKind };
}

function checkGetRequest(input: Record<string, unknown>): MapRequest {
  const { get, keys } = input;
  if (typeof get !== 'string') bad('get must be a table name');
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) bad('keys must be an array');
  for (const key of keys) encodeKey(key);
  return { v: 1, get, keys: keys as Key[] };
}
