import { Shoal } from '../../src/shoal.js';
import { type WireRequest, encodeKey, partitionOf } from '../../src/protocol/index.js';
import { ManualClock } from './manual-clock.js';
import { ScriptedGrid } from './scripted-grid.js';

export const A = 'a:1';
export const B = 'b:2';
export const C = 'c:3';
export const MEMBERS = [['na', A], ['nb', B], ['nc', C]] as const;

/** Lets every queued microtask and I/O callback run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves the manual clock `ms` forward in small steps, letting promises run between steps. */
export async function run(clock: ManualClock, ms: number, step = 5): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await settle(3);
  }
}

/** A Shoal connected to a scripted grid of three nodes, home at A, with the map fetched. */
export async function connectGrid(options: { caches?: Record<string, number[]>; requestTimeoutMs?: number; endpoints?: string[] } = {}) {
  const clock = new ManualClock();
  const grid = new ScriptedGrid(MEMBERS, options.caches ?? { c: [0, 1, 2, 0, 1, 2, 0, 1] });
  const shoal = await Shoal.connect({
    endpoints: options.endpoints ?? [A],
    transport: grid,
    clock,
    requestTimeoutMs: options.requestTimeoutMs ?? 1_000,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  return { clock, grid, shoal };
}

/** `n` string keys whose partition's primary (in the grid's current map) is the member at `address`. */
export function keysOn(grid: ScriptedGrid, cache: string, address: string, n: number, prefix = 'k'): string[] {
  const primaries = grid.map.caches[cache]!.primaries;
  const member = grid.map.members.findIndex(([, a]) => a === address);
  const keys: string[] = [];
  for (let i = 0; keys.length < n; i++) {
    const key = `${prefix}${i}`;
    if (primaries[partitionOf(encodeKey(key), primaries.length)] === member) keys.push(key);
  }
  return keys;
}

/** The ids of the requests of `opcode` a node received. */
export function idsOf(received: readonly WireRequest[], opcode: number): number[] {
  return received.filter((r) => r[1] === opcode).map((r) => r[0] as number);
}
