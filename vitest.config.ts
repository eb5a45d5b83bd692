import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// In-process tests run the TypeScript sources, so one copy of each class is loaded.
const alias = [
  { find: /^@shoal\/client\/protocol$/, replacement: here('./client/src/protocol/index.ts') },
  { find: /^@shoal\/client$/, replacement: here('./client/src/index.ts') },
  { find: /^@shoal\/node$/, replacement: here('./node/src/index.ts') },
  { find: /^@shoal\/sql$/, replacement: here('./sql/src/index.ts') },
];

/**
 * Files that start multi-node clusters run one at a time: several clusters
 * of real processes on a 2-core machine starve each other's heartbeats and
 * a live node gets declared dead, which tests nothing but the machine.
 */
const clusterFiles = [
  'cluster-test/test/chaos/**/*.test.ts',
  'cluster-test/test/cluster-data.test.ts',
  'cluster-test/test/sql-differential-cluster.test.ts',
  'cluster-test/test/harness/local-cluster-3.test.ts',
  'cluster-test/test/harness/cluster-command.test.ts',
  'cdc/test/integration/cdc-node-kill.test.ts',
];

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit-and-integration',
          include: ['{client,node,sql,cdc,cluster-test}/test/**/*.test.ts'],
          exclude: clusterFiles,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'clusters',
          include: clusterFiles,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
