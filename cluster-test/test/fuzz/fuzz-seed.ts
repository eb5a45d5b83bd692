/** The seed every campaign derives its cases from, unless SHOAL_FUZZ_SEED says otherwise. */
export const DEFAULT_FUZZ_SEED = 0x5eed_0a1;

/** `SHOAL_FUZZ_SEED` (decimal or 0x-hex), or the default. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SHOAL_FUZZ_SEED?.trim();
  if (!text) return DEFAULT_FUZZ_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`SHOAL_FUZZ_SEED must be an integer from 0 to 2^32-1 (decimal or 0x-hex), got '${text}'`);
  return seed;
}
