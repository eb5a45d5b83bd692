/** A step of the benchmark that did not finish in time. */
export class StepTimeoutError extends Error {
  constructor(step: string, ms: number) {
    super(`step '${step}' did not finish within ${Math.round(ms / 1000)} s`);
  }
}

/** Runs `work`, failing with `StepTimeoutError` if it takes longer than `ms`. */
export async function withTimeout<T>(step: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(step, ms)), ms);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
