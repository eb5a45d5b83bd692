import type { ResultKind } from './expr.js';

/**
 * A cell brought to one form for comparison. Exact kinds become a tagged
 * string (so a multiset can bucket rows by it); `approx` stays a number and
 * is compared with a tolerance. Anything of an unexpected JavaScript type is
 * tagged as such, so it shows in the difference instead of matching by accident.
 */
export type Cell = string | { readonly approx: number };

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Which engine answered: only the oracle may give 0/1 for a boolean. */
export type Side = 'oracle' | 'shoal';

export function normaliseCell(value: unknown, kind: ResultKind, side: Side): Cell {
  if (value === null) return 'NULL';
  switch (kind) {
    case 'int':
      return integerCell(value, false);
    case 'numeric':
      return integerCell(value, true);
    case 'double':
      return typeof value === 'number' ? `d:${value}` : foreign(value);
    case 'approx':
      return approxCell(value);
    case 'text':
      return typeof value === 'string' ? `s:${JSON.stringify(value)}` : foreign(value);
    case 'bool':
      return boolCell(value, side);
  }
}

/** Integers as number or bigint (PostgreSQL's BIGINT past 2^53); NUMERIC may also come as exact decimal text. */
function integerCell(value: unknown, decimalText: boolean): Cell {
  if (typeof value === 'bigint') return `i:${value}`;
  if (typeof value === 'number' && Number.isInteger(value)) return `i:${BigInt(value)}`;
  if (decimalText && typeof value === 'string' && /^-?\d+(\.0+)?$/.test(value)) return `i:${BigInt(value.split('.')[0]!)}`;
  return foreign(value);
}

/** AVG is NUMERIC in PostgreSQL over integers: a number or decimal text. */
function approxCell(value: unknown): Cell {
  if (typeof value === 'number') return { approx: value };
  if (typeof value === 'bigint') return { approx: Number(value) };
  if (typeof value === 'string' && DECIMAL.test(value)) return { approx: Number(value) };
  return foreign(value);
}

/** SQLite has no booleans: 0/1 there (as BigInt with safe integers). Shoal must answer true/false. */
function boolCell(value: unknown, side: Side): Cell {
  if (typeof value === 'boolean') return `b:${value}`;
  if (side === 'oracle' && (value === 0n || value === 1n)) return `b:${value === 1n}`;
  return foreign(value);
}

function foreign(value: unknown): Cell {
  const text = typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? `bytes(${value.length})` : JSON.stringify(value) ?? String(value);
  return `?${typeof value}:${text}`;
}

/** Relative tolerance for AVG and SUM over DOUBLE: the order of additions differs between engines. */
export const APPROX_TOLERANCE = 1e-9;

export function cellsEqual(a: Cell, b: Cell): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  const scale = Math.max(1, Math.abs(a.approx), Math.abs(b.approx));
  return Math.abs(a.approx - b.approx) <= APPROX_TOLERANCE * scale;
}

export function showCell(c: Cell): string {
  if (typeof c !== 'string') return `~${c.approx}`;
  if (c === 'NULL') return 'NULL';
  return c.startsWith('?') ? c : c.slice(2);
}
