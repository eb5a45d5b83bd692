/** The seed of a differential run: `SHOAL_SQL_SEED` when set (to replay a failure), else a fresh one. */
export function sqlSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SHOAL_SQL_SEED;
  if (text === undefined || text === '') return (Math.random() * 0x7fffffff) | 0;
  const seed = Number(text);
  if (!Number.isInteger(seed)) throw new Error(`SHOAL_SQL_SEED must be an integer, got '${text}'`);
  return seed;
}
