import { describe, expect, it } from 'vitest';
import { runChaos } from '../../src/chaos/chaos-run.js';
import { waitForRebalancing } from '../../src/chaos/settled.js';

/** Joins, a kill during a rebalance, and a rolling restart, under a recorded write load. */
describe('chaos: membership changes under load', { timeout: 180_000 }, () => {
  it('a node joins under load, and one is killed while partitions move to it', async () => {
    const outcome = await runChaos({
      name: 'join then kill mid-rebalance',
      cluster: { nodes: 3 },
      backups: 1,
      async fault(cluster, { seed, log }) {
        const joined = await cluster.addNode();
        log(`${joined} joined`);
        await new Promise((resolve) => setTimeout(resolve, 150 + (seed % 300)));
        const victim = cluster.ids().filter((id) => id !== joined)[seed % 3]!;
        log(`kill -9 ${victim} mid-rebalance`);
        await cluster.kill(victim);
      },
    });
    expect(outcome.errors).toEqual([]);
  });

  it('a rolling restart replaces every node, one at a time', async () => {
    const outcome = await runChaos({
      name: 'rolling restart',
      cluster: { nodes: 3 },
      backups: 1,
      cooldownMs: 1_500,
      async fault(cluster, { log }) {
        for (const id of cluster.ids()) {
          const replacement = await cluster.restart(id);
          log(`${id} restarted as ${replacement}`);
          await cluster.waitForMembers(3);
          await waitForRebalancing(cluster);
        }
      },
    });
    expect(outcome.errors).toEqual([]);
  });
});
