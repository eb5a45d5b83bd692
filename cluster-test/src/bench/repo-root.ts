import { fileURLToPath } from 'node:url';

/** The repository root: this file is compiled to `<root>/cluster-test/dist/bench/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
