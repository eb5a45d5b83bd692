import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection of this thread's heap, now: a benchmark's
 * phases start from a collected heap, so that none pays for collecting
 * what the phase before it left (the process runs without `--expose-gc`;
 * the flag is set for a fresh context only to take its `gc`).
 */
export function collectGarbageNow(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
