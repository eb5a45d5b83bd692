import { isLosslessNumber } from 'lossless-json';
import { undecodable } from './decode-error.js';
import { isJsonObject } from './json-text.js';

/** Readers for fields of parsed JSON whose shape is not yet known; each failure names the field's path. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function child(path: string, field: string | number): string {
  if (typeof field === 'number') return `${path}[${field}]`;
  return path === '' ? field : `${path}.${field}`;
}

export function requireObject(value: unknown, path: string, what = 'an object'): JsonObject {
  if (isJsonObject(value)) return value;
  return undecodable(path, `expected ${what}, got ${describeJson(value)}`);
}

export function optionalObject(value: unknown, path: string): JsonObject | null {
  return value === null || value === undefined ? null : requireObject(value, path);
}

export function requireString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  return undecodable(path, `expected a string, got ${describeJson(value)}`);
}

export function optionalString(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : requireString(value, path);
}

/** An integer of any size, as number when it fits exactly and bigint otherwise. */
export function requireInteger(value: unknown, path: string): number | bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (isLosslessNumber(value)) {
    const n = Number(value.value);
    if (Number.isSafeInteger(n)) return n;
  }
  return undecodable(path, `expected an integer, got ${describeJson(value)}`);
}

export function optionalInteger(value: unknown, path: string): number | bigint | null {
  return value === null || value === undefined ? null : requireInteger(value, path);
}

/** An integer that must fit a JS number exactly (counts, small offsets, epoch milliseconds). */
export function requireSafeInteger(value: unknown, path: string): number {
  const n = requireInteger(value, path);
  if (typeof n === 'number') return n;
  return undecodable(path, `integer ${n} is beyond the range this field allows`);
}

export function optionalSafeInteger(value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : requireSafeInteger(value, path);
}

/** A short description of a JSON value for error reasons; never echoes long data. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isLosslessNumber(value)) return `the number ${truncate(value.value)}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return 'an object';
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
