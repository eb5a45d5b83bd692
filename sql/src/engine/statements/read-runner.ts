import { SqlError } from '@shoal/client/protocol';
import type { SqlHost } from '../../sql-host.js';
import { runLocally, joinByKey, reduce } from '../exec/reduce-phase.js';
import { MAP_REQUEST_VERSION, type MapRequest } from '../map-request.js';
import type { SelectPlan } from '../plan/select-plan.js';
import type { StatementTargets } from '../statement-targets.js';

/** Runs a statement's reads: map requests through the host, then the reduce on this node. */
export class ReadRunner {
  constructor(
    private readonly host: SqlHost,
    private readonly text: string,
    readonly targets: StatementTargets,
  ) {}

  request(target: number, scan: number): MapRequest {
    return { v: MAP_REQUEST_VERSION, sql: this.text, params: this.targets.params, target, scan, subqueries: this.targets.values };
  }

  /** The partial outputs of every owner (a key join's two scans already joined and run here). */
  async outputs(plan: SelectPlan, target: number): Promise<readonly unknown[]> {
    const rowSource = plan.rowSource;
    switch (rowSource.kind) {
      case 'single-row':
        return [runLocally(plan, [new Array<unknown>(plan.width).fill(null)])];
      case 'map': {
        const table = plan.sources[rowSource.driver]!.layout.name;
        const access = rowSource.access;
        if (access.kind !== 'keys') return this.host.map(table, this.request(target, 0));
        if (access.keys.length === 0) return [];
        return this.host.map(table, this.request(target, 0), access.partitions);
      }
      case 'key-join': {
        const [left, right] = rowSource.scans.map((scan) => plan.sources[scan.source]!.layout.name) as [string, string];
        const [leftOutputs, rightOutputs] = await Promise.all([this.host.map(left, this.request(target, 0)), this.host.map(right, this.request(target, 1))]);
        return [runLocally(plan, joinByKey(plan, rowSource, flatten(leftOutputs), flatten(rightOutputs)))];
      }
    }
  }

  async rows(plan: SelectPlan, target: number): Promise<unknown[][]> {
    return reduce(plan, await this.outputs(plan, target));
  }

  /** Runs every subquery, innermost first (a nested subquery comes later in pre-order). */
  async computeSubqueries(): Promise<void> {
    for (let target = this.targets.subqueries.length; target >= 1; target--) {
      const plan = this.targets.plan(target);
      checkSingleColumn(plan);
      const rows = await this.rows(plan, target);
      this.targets.values[target - 1] = { values: rows.map((row) => row[0] ?? null), kind: plan.kinds[0]! };
    }
  }

  /** For EXPLAIN: subqueries planned but not run. */
  planSubqueries(): SelectPlan[] {
    const plans: SelectPlan[] = [];
    for (let target = this.targets.subqueries.length; target >= 1; target--) {
      const plan = this.targets.plan(target);
      checkSingleColumn(plan);
      this.targets.values[target - 1] = { values: [], kind: plan.kinds[0]! };
      plans.unshift(plan);
    }
    return plans;
  }
}

function checkSingleColumn(plan: SelectPlan): void {
  if (plan.columns.length !== 1) throw new SqlError(`subquery has too ${plan.columns.length > 1 ? 'many' : 'few'} columns`);
}

export function flatten(outputs: readonly unknown[]): unknown[] {
  return outputs.flatMap((output) => {
    if (!Array.isArray(output)) throw new SqlError('a map phase answered with a malformed output');
    return output as unknown[];
  });
}
