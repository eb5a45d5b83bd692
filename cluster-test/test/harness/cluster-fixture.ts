import { afterEach } from 'vitest';
import { LocalCluster, type LocalClusterOptions } from '../../src/harness/index.js';

/**
 * Local clusters a test file starts: after each test they are stopped, and
 * when the test failed their log tails are printed first (and their log
 * directories kept).
 */
export function localClusters(): { start(options: LocalClusterOptions): Promise<LocalCluster> } {
  const started: LocalCluster[] = [];
  afterEach(async (context) => {
    const clusters = started.splice(0);
    if (context.task.result?.state === 'fail') for (const cluster of clusters) process.stderr.write(cluster.dumpLogs());
    await Promise.allSettled(clusters.map((cluster) => cluster.stop()));
  });
  return {
    async start(options) {
      const cluster = await LocalCluster.start(options);
      started.push(cluster);
      return cluster;
    },
  };
}
