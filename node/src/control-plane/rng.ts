/** A source of uniform randomness; injected so that a seed replays a whole simulation. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

/** The process's own randomness, for production election jitter. */
export const systemRng: Rng = {
  next: () => Math.random(),
};

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast, and good enough
 * for timeouts and fault schedules; not for anything secret.
 */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

/** An integer in [minInclusive, maxExclusive). */
export function randomInt(rng: Rng, minInclusive: number, maxExclusive: number): number {
  return minInclusive + Math.floor(rng.next() * (maxExclusive - minInclusive));
}

/** A float in [min, max). */
export function randomBetween(rng: Rng, min: number, max: number): number {
  return min + rng.next() * (max - min);
}

/** True with probability `p`. */
export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** One element of a non-empty array. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[randomInt(rng, 0, items.length)];
  if (item === undefined) throw new RangeError('pick from an empty array');
  return item;
}

/** An independent generator whose sequence is fixed by `rng`'s, so adding a consumer does not shift the others. */
export function forkRng(rng: Rng): Rng {
  return seededRng(Math.floor(rng.next() * 4_294_967_296));
}
