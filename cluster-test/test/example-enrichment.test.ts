import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Fixtures } from './support/helpers.js';

const example = fileURLToPath(new URL('../../examples/enrichment-job.mjs', import.meta.url));

describe('examples/enrichment-job.mjs', () => {
  const fixtures = new Fixtures();
  afterAll(() => fixtures.cleanup());

  it('enriches orders from the CDC-fed products cache and counts per category', async () => {
    const node = await fixtures.node();
    const { stdout } = await promisify(execFile)(process.execPath, [example, node.endpoint], { timeout: 60_000 });
    expect(stdout).toContain('o-1: 1 × Kettle at 22.50 (kitchen: 1 sold)');
    expect(stdout).toContain('o-5: 2 × Pan at 30.00 (kitchen: 7 sold)');
    expect(stdout).toContain('o-6: product 4 unknown');
    const grid = await fixtures.connect(node);
    expect(await grid.atomicLong('sold:living').get()).toBe(2);
  });
});
