/** A target on the ratio Shoal / Redis: at least or at most `ratio`. */
export interface RatioTarget {
  readonly op: '>=' | '<=';
  readonly ratio: number;
}

/** One line of the result table. */
export interface MetricSpec {
  readonly label: string;
  readonly unit: string;
  /** Null: reported only. */
  readonly target: RatioTarget | null;
}

/** A metric with both systems' values. */
export interface MetricResult {
  readonly spec: MetricSpec;
  readonly shoal: number;
  readonly redis: number;
}

export type Verdict = 'met' | 'missed' | 'report only';

/** Shoal / Redis; NaN when Redis measured zero. */
export function ratioOf(result: MetricResult): number {
  return result.redis === 0 ? Number.NaN : result.shoal / result.redis;
}

/** Whether the metric's target holds. */
export function verdictOf(result: MetricResult): Verdict {
  const target = result.spec.target;
  if (target === null) return 'report only';
  const ratio = ratioOf(result);
  if (Number.isNaN(ratio)) return 'missed';
  return (target.op === '>=' ? ratio >= target.ratio : ratio <= target.ratio) ? 'met' : 'missed';
}

/** E.g. "≥ 1.0" or "≤ 1.2". */
export function describeTarget(target: RatioTarget | null): string {
  if (target === null) return 'report only';
  return `${target.op === '>=' ? '≥' : '≤'} ${target.ratio.toFixed(1)}`;
}
