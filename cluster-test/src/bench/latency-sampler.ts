/** p50 and p99 of a latency sample, in microseconds. */
export interface LatencySummary {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly samples: number;
}

/** Runs `op` `count` times, one at a time, after `warmup` unmeasured calls; summarises the latencies. */
export async function measureSequentialLatency(op: () => Promise<unknown>, count: number, warmup: number): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await op();
  const micros = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await op();
    micros[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  micros.sort();
  return { p50Us: percentile(micros, 0.5), p99Us: percentile(micros, 0.99), samples: count };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}
