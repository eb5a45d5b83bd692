import type { BenchTarget } from './bench-target.js';
import { stopAll } from './managed-process.js';
import { RedisServerProcess } from './redis-server-process.js';
import { RedisTarget } from './redis-target.js';
import { ShoalNodeProcess } from './shoal-node-process.js';
import { ShoalTarget } from './shoal-target.js';
import { withTimeout } from './with-timeout.js';

/** The two servers and a client of each, for the length of a run. */
export interface BenchSession {
  readonly node: ShoalNodeProcess;
  readonly redis: RedisServerProcess;
  /** Shoal first, then Redis. */
  readonly targets: readonly [BenchTarget, BenchTarget];
}

/** Starts both servers and connects to them, then runs `body`; always closes the clients and stops the servers. */
export async function withBenchSession<T>(body: (session: BenchSession) => Promise<T>): Promise<T> {
  const targets: BenchTarget[] = [];
  let node: ShoalNodeProcess | undefined;
  let redis: RedisServerProcess | undefined;
  try {
    node = await withTimeout('start the Shoal node', 30_000, () => ShoalNodeProcess.start());
    log(`Shoal node pid ${node.process.pid} on ${node.endpoint}`);
    redis = await withTimeout('start redis-server', 30_000, () => RedisServerProcess.start());
    log(`redis-server ${redis.version} pid ${redis.process.pid} on 127.0.0.1:${redis.port}`);
    const shoalNode = node;
    const shoal = await withTimeout('connect the Shoal SDK', 20_000, () => ShoalTarget.connect(shoalNode));
    targets.push(shoal);
    const redisPort = redis.port;
    const ioredis = await withTimeout('connect ioredis', 20_000, () => RedisTarget.connect(redisPort));
    targets.push(ioredis);
    return await body({ node, redis, targets: [shoal, ioredis] });
  } catch (err) {
    throw withServerState(err, node, redis);
  } finally {
    for (const target of targets) {
      await withTimeout(`close the ${target.name} client`, 10_000, () => target.close()).catch((err: Error) => log(`warning: ${err.message}`));
    }
    await stopAll();
  }
}

/** Adds what the servers said to an error: exit status if one died, and the node's warnings. */
function withServerState(err: unknown, node?: ShoalNodeProcess, redis?: RedisServerProcess): unknown {
  if (!(err instanceof Error)) return err;
  const extra: string[] = [];
  if (node?.process.exitDescription) extra.push(`the Shoal node ${node.process.exitDescription}; its last output:\n${node.process.output.last()}`);
  else if (node && node.problems.length > 0) extra.push(`the Shoal node logged:\n${node.problems.slice(-20).join('\n')}`);
  if (redis?.process.exitDescription) extra.push(`redis-server ${redis.process.exitDescription}; its last output:\n${redis.process.output.last()}`);
  if (extra.length > 0) err.message += `\n${extra.join('\n')}`;
  return err;
}

export function log(message: string): void {
  process.stdout.write(`bench: ${message}\n`);
}
