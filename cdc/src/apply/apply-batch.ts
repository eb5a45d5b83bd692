import type { TableSchemaConfig } from '@shoal/client';
import { CdcEventError, CdcEventErrorCode } from '../errors.js';
import type { PlannedChange, PlanStep } from './batch-plan.js';
import { isRefusal, type ChangeTarget } from './grid-writer.js';

/** What applying a batch did, per cache. */
export interface ApplyOutcome {
  readonly applied: number;
  readonly stale: number;
  readonly truncates: number;
  readonly perCache: ReadonlyMap<string, { applied: number; stale: number; truncates: number }>;
  /** Changes the grid refused (a value it cannot store): their records go to the dead-letter sink. */
  readonly refused: readonly { readonly record: number; readonly error: CdcEventError }[];
}

/**
 * Runs a plan against the grid: each write step's caches in parallel, each
 * cache's changes in one `applyChanges` call; clears in order between them.
 * When the grid refuses a cache's list as a bad request, its changes are sent
 * one at a time so that only the refused ones are set aside. Any other
 * failure rejects, and the whole plan may be run again: versions make the
 * changes already applied no-ops.
 */
export async function applyPlan(steps: readonly PlanStep[], target: ChangeTarget): Promise<ApplyOutcome> {
  const perCache = new Map<string, { applied: number; stale: number; truncates: number }>();
  const refused: { record: number; error: CdcEventError }[] = [];
  const tally = (cache: string) => {
    let t = perCache.get(cache);
    if (t === undefined) perCache.set(cache, (t = { applied: 0, stale: 0, truncates: 0 }));
    return t;
  };
  for (const step of steps) {
    if (step.kind === 'clear') {
      await target.clear(step.cache);
      tally(step.cache).truncates++;
      continue;
    }
    await Promise.all(
      [...step.caches].map(async ([cache, changes]) => {
        const results = await applyOrSplit(target, cache, step.tables.get(cache) ?? null, changes, refused);
        const t = tally(cache);
        for (const ok of results) ok ? t.applied++ : t.stale++;
      }),
    );
  }
  let applied = 0;
  let stale = 0;
  let truncates = 0;
  for (const t of perCache.values()) {
    applied += t.applied;
    stale += t.stale;
    truncates += t.truncates;
  }
  return { applied, stale, truncates, perCache, refused };
}

/** The applied flags of the changes the grid took (refused ones are left out and noted). */
async function applyOrSplit(
  target: ChangeTarget,
  cache: string,
  table: TableSchemaConfig | null,
  changes: readonly PlannedChange[],
  refused: { record: number; error: CdcEventError }[],
): Promise<boolean[]> {
  try {
    return await target.applyChanges(cache, changes.map((c) => c.change), table);
  } catch (err) {
    if (!isRefusal(err) || changes.length === 0) throw err;
  }
  const results: boolean[] = [];
  for (const planned of changes) {
    try {
      results.push(...(await target.applyChanges(cache, [planned.change], table)));
    } catch (err) {
      if (!isRefusal(err)) throw err;
      const reason = `the grid refused the change: ${(err as Error).message}`;
      refused.push({ record: planned.record, error: new CdcEventError(CdcEventErrorCode.RejectedByGrid, reason, { cause: err }) });
    }
  }
  return results;
}
