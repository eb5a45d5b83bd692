import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // In-process tests run the TypeScript sources, so one copy of each class is loaded.
    alias: [
      { find: /^@shoal\/client\/protocol$/, replacement: here('./client/src/protocol/index.ts') },
      { find: /^@shoal\/client$/, replacement: here('./client/src/index.ts') },
      { find: /^@shoal\/node$/, replacement: here('./node/src/index.ts') },
    ],
  },
  test: {
    include: ['{client,node,sql,cdc,cluster-test}/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
