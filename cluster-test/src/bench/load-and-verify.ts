import type { BenchConfig } from './bench-config.js';
import { loadInBatches } from './batch-loader.js';
import type { BenchTarget } from './bench-target.js';
import type { Dataset } from './dataset.js';

/** Loads the workload keys into `target`, then checks a sample reads back exactly. */
export async function loadAndVerify(target: BenchTarget, data: Dataset, config: BenchConfig): Promise<void> {
  await loadInBatches({
    total: data.keys.length,
    batchSize: config.loadBatch,
    inFlight: config.loadConcurrency,
    makeBatch: (from, to) => data.slice(from, to),
    write: (batch) => target.load('bench', batch),
  });
  for (let n = 0; n < 200; n++) {
    const i = data.randomIndex();
    const got = await target.get(data.keys[i]!);
    if (got !== data.values[i]) {
      throw new Error(`${target.name}: get('${data.keys[i]}') after loading returned ${preview(got)}, expected ${preview(data.values[i])}`);
    }
  }
  const sample = data.randomKeys(config.batchKeys);
  const found = await target.getMany(sample);
  if (found !== sample.length) throw new Error(`${target.name}: a batch read of ${sample.length} loaded keys found ${found}`);
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}
