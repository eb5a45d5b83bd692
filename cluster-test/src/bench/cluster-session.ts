import { LocalCluster } from '../harness/index.js';
import { log } from './bench-session.js';
import { withTimeout } from './with-timeout.js';

/**
 * Starts `nodes` real node processes as one cluster, waits until they agree on
 * their members, runs `body`, and always stops them. A failure carries the
 * nodes' log tails, since the cause is usually in a node, not in the bench.
 */
export async function withLocalCluster<T>(nodes: number, body: (cluster: LocalCluster) => Promise<T>): Promise<T> {
  const cluster = await withTimeout(`start a ${nodes}-node cluster`, 60_000, () => LocalCluster.start({ nodes }));
  try {
    const view = await cluster.waitForMembers(nodes, { timeoutMs: 30_000 });
    log(`${nodes}-node cluster up (${cluster.ids().join(', ')}; leader ${view.leader}; logs in ${cluster.logDir})`);
    return await body(cluster);
  } catch (err) {
    if (err instanceof Error) err.message += `\n${cluster.dumpLogs(30)}`;
    throw err;
  } finally {
    await cluster.stop();
  }
}
