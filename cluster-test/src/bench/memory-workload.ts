import { loadInBatches } from './batch-loader.js';
import { valueFor } from './dataset.js';
import { type Workload, type WorkloadContext } from './workload.js';

/**
 * Loads `memoryEntries` entries (`mem:<i>`, 200-character values) and reports the growth of the
 * server's data memory per entry: Shoal heapUsed + external after a GC, Redis used_memory.
 * It drops the workload keys first, so it must run last.
 */
export const memoryPerEntry: Workload = {
  name: 'memory per entry',
  metrics: [{ label: 'memory per entry (bytes)', unit: 'bytes', target: { op: '<=', ratio: 1.5 } }],
  rounds: 1,
  timeoutMs: () => 900_000,
  async run(context) {
    const { target, config } = context;
    await target.dropWorkloadKeys();
    const before = await settledMemory(context);
    await loadInBatches({
      total: config.memoryEntries,
      batchSize: config.loadBatch,
      inFlight: config.loadConcurrency,
      makeBatch: (from, to) => memBatch(from, to, config.valueLength),
      write: (batch) => target.load('mem', batch),
    });
    const after = await settledMemory(context);
    return [(after - before) / config.memoryEntries];
  },
};

function memBatch(from: number, to: number, valueLength: number): [string, string][] {
  const batch: [string, string][] = [];
  for (let i = from; i < to; i++) batch.push([`mem:${i}`, valueFor(i, valueLength)]);
  return batch;
}

/** Memory once it stops moving: read until two readings in a row are within 1% (at most 5 reads). */
async function settledMemory({ target }: WorkloadContext): Promise<number> {
  let previous = await target.memoryBytes();
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const current = await target.memoryBytes();
    if (Math.abs(current - previous) <= previous * 0.01) return Math.min(current, previous);
    previous = current;
  }
  return previous;
}
