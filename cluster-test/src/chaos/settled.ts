import type { LocalCluster } from '../harness/index.js';

/** Waits until every live node reports no partition filling and no copy in progress. */
export async function waitForRebalancing(cluster: LocalCluster, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(cluster.ids().map((id) => cluster.status(id).catch(() => undefined)));
    const busy = statuses.some((status) => {
      const rebalancing = (status?.cluster as { rebalancing?: { syncing: number; copying: number } } | undefined)?.rebalancing;
      return rebalancing === undefined || rebalancing.syncing > 0 || rebalancing.copying > 0;
    });
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`rebalancing did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
