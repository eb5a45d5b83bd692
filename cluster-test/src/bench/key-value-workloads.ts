import { measureSequentialLatency } from './latency-sampler.js';
import { measureThroughput } from './throughput-runner.js';
import { type Workload, type WorkloadContext, throughputTimeout } from './workload.js';

/** get one key at a time: p50 and p99 latency. */
export const sequentialGet: Workload = {
  name: 'sequential get latency',
  metrics: [
    { label: 'sequential get p50 (µs)', unit: 'µs', target: { op: '<=', ratio: 1.2 } },
    { label: 'sequential get p99 (µs)', unit: 'µs', target: null },
  ],
  timeoutMs: () => 180_000,
  async run({ target, data, config, notes }) {
    const get = countingGet({ target, data, config, notes }, (key) => target.getAlone(key));
    const warmup = Math.round(config.sequentialRequests / 4);
    const summary = await measureSequentialLatency(get.op, config.sequentialRequests, warmup);
    get.report();
    return [summary.p50Us, summary.p99Us];
  },
};

/** get over random keys with `concurrency` requests in flight. */
export const concurrentGet: Workload = {
  name: 'concurrent get',
  metrics: [{ label: 'concurrent get (ops/s)', unit: 'ops/s', target: { op: '>=', ratio: 1.0 } }],
  timeoutMs: throughputTimeout,
  async run(context) {
    const get = countingGet(context);
    const result = await measureThroughput(get.op, context.config.concurrency, context.config.durationMs);
    get.report();
    return [result.opsPerSecond];
  },
};

/** put of random existing keys (200-character values) with `concurrency` requests in flight. */
export const concurrentPut: Workload = {
  name: 'concurrent put',
  metrics: [{ label: 'concurrent put (ops/s)', unit: 'ops/s', target: { op: '>=', ratio: 1.0 } }],
  timeoutMs: throughputTimeout,
  async run({ target, data, config }) {
    const op = () => {
      const i = data.randomIndex();
      return target.put(data.keys[i]!, data.values[i]!);
    };
    return [(await measureThroughput(op, config.concurrency, config.durationMs)).opsPerSecond];
  },
};

/** A get over random keys that counts reads that found nothing (every key was loaded). */
function countingGet(
  { target, data, notes }: WorkloadContext,
  get: (key: string) => Promise<string | undefined> = (key) => target.get(key),
): { op: () => Promise<unknown>; report: () => void } {
  let calls = 0;
  let misses = 0;
  const op = async () => {
    calls++;
    if ((await get(data.randomKey())) === undefined) misses++;
  };
  const report = () => {
    if (misses > 0) notes.push(`${target.name}: ${misses} of ${calls} gets of loaded keys found nothing`);
  };
  return { op, report };
}
