import { measureThroughput } from './throughput-runner.js';
import { type Workload, throughputTimeout } from './workload.js';

/** getAll / MGET of `batchKeys` random keys, `batchConcurrency` requests in flight; keys per second. */
export const batchGet: Workload = {
  name: 'getAll(100) / MGET(100)',
  metrics: [{ label: 'getAll(100) vs MGET(100) (keys/s)', unit: 'keys/s', target: { op: '>=', ratio: 1.0 } }],
  timeoutMs: throughputTimeout,
  async run({ target, data, config, notes }) {
    let calls = 0;
    let short = 0;
    const op = async () => {
      calls++;
      if ((await target.getMany(data.randomKeys(config.batchKeys))) !== config.batchKeys) short++;
    };
    const result = await measureThroughput(op, config.batchConcurrency, config.durationMs);
    if (short > 0) notes.push(`${target.name}: ${short} of ${calls} batch reads of loaded keys missed some keys`);
    return [result.opsPerSecond * config.batchKeys];
  },
};

/** incrementAndGet / INCR of one counter with `concurrency` requests in flight. */
export const counterIncrement: Workload = {
  name: 'incrementAndGet / INCR',
  metrics: [{ label: 'incrementAndGet vs INCR (ops/s)', unit: 'ops/s', target: null }],
  timeoutMs: throughputTimeout,
  async run({ target, config, notes }) {
    const first = await target.increment();
    let done = 0;
    const op = async () => {
      await target.increment();
      done++;
    };
    const result = await measureThroughput(op, config.concurrency, config.durationMs);
    // No increment may be lost or counted twice: one more must read every earlier one.
    const last = await target.increment();
    const expected = first + done + 1;
    if (last !== expected) notes.push(`${target.name}: ${done} increments after ${first}, the next one returned ${last}, expected ${expected}`);
    return [result.opsPerSecond];
  },
};
