import type { LocalCluster } from '../harness/index.js';

interface RebalancingView {
  readonly epoch?: number;
  readonly commitIndex?: number;
  readonly members?: readonly unknown[];
  readonly rebalancing?: { readonly syncing: number; readonly copying: number };
}

/** Polls in a row that must find the cluster quiet: a join is planned a tick after it applies, so one quiet poll proves nothing. */
const QUIET_POLLS = 5;

/**
 * Waits until every live node reports the same members, epoch and commit
 * index, no partition filling and no copy in progress, for several polls in
 * a row: the leader has nothing left to plan.
 */
export async function waitForRebalancing(cluster: LocalCluster, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last = '';
  for (;;) {
    const views = await Promise.all(cluster.ids().map((id) => cluster.status(id).then((s) => s.cluster as RebalancingView | undefined, () => undefined)));
    const settled = views.every((v) => v?.rebalancing !== undefined && v.rebalancing.syncing === 0 && v.rebalancing.copying === 0);
    const key = JSON.stringify(views.map((v) => [v?.epoch, v?.commitIndex, v?.members?.length]));
    const agreed = new Set(views.map((v) => JSON.stringify([v?.epoch, v?.commitIndex, v?.members?.length]))).size === 1;
    quiet = settled && agreed && key === last ? quiet + 1 : settled && agreed ? 1 : 0;
    last = key;
    if (quiet >= QUIET_POLLS) return;
    if (Date.now() > deadline) throw new Error(`rebalancing did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
