import { UsageError } from './bench-config.js';

/** Runs a bench entry point: exit 0 when it ends, 2 on bad flags, 1 with the error and its stack otherwise. */
export function runBenchEntry(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`\nbench failed: ${describeError(err)}\n`);
      process.exit(1);
    },
  );
}

/** Name, code (Shoal errors have one), message, then the stack frames. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return [`${err.name}${code === undefined ? '' : ` [${String(code)}]`}: ${err.message}`, ...frames].join('\n');
}
