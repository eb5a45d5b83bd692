/** Operations completed per second by a pool of concurrent workers. */
export interface ThroughputResult {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
}

/**
 * Keeps `workers` loops of `await op()` running for `durationMs` (each loop is one
 * request in flight) and counts completions. The first failure stops every loop and is thrown.
 */
export async function runForDuration(op: () => Promise<unknown>, workers: number, durationMs: number): Promise<ThroughputResult> {
  let ops = 0;
  let failed = false;
  const start = performance.now();
  const end = start + durationMs;
  const worker = async (): Promise<void> => {
    try {
      while (!failed && performance.now() < end) {
        await op();
        ops++;
      }
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = (performance.now() - start) / 1_000;
  return { ops, seconds, opsPerSecond: ops / seconds };
}

/** A warm-up run (a third of the duration, not counted), then the measured run. */
export async function measureThroughput(op: () => Promise<unknown>, workers: number, durationMs: number): Promise<ThroughputResult> {
  await runForDuration(op, workers, Math.max(500, Math.round(durationMs / 3)));
  return runForDuration(op, workers, durationMs);
}
