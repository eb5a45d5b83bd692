import { sleep } from './with-timeout.js';

/**
 * Polls `probe` every `intervalMs` until it returns true; throws what `failure()` describes
 * when `abort()` says to give up (e.g. the process died) or when `timeoutMs` passes.
 */
export async function waitUntil(options: {
  readonly what: string;
  readonly timeoutMs: number;
  readonly probe: () => Promise<boolean>;
  readonly abort?: () => string | undefined;
  readonly failure: (reason: string) => Error;
  readonly intervalMs?: number;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted !== undefined) throw options.failure(aborted);
    if (await options.probe().catch(() => false)) return;
    if (Date.now() > deadline) throw options.failure(`${options.what} not ready after ${options.timeoutMs / 1000} s`);
    await sleep(options.intervalMs ?? 100);
  }
}
