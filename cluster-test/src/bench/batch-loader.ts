/**
 * Writes entries `[0, total)` in batches of `batchSize`, `inFlight` batches at a time.
 * `makeBatch(from, to)` builds a batch when it is about to be sent, so a large load never sits in memory whole.
 */
export async function loadInBatches<E>(options: {
  readonly total: number;
  readonly batchSize: number;
  readonly inFlight: number;
  readonly makeBatch: (from: number, to: number) => E[];
  readonly write: (batch: E[]) => Promise<void>;
}): Promise<void> {
  const { total, batchSize, inFlight, makeBatch, write } = options;
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (!failed && next < total) {
        const from = next;
        next = Math.min(total, next + batchSize);
        await write(makeBatch(from, next));
      }
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
