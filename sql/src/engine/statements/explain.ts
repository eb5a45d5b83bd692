import type { Statement } from '../../ast.js';
import type { SqlResult } from '../../sql-host.js';
import type { Access } from '../plan/access-path.js';
import type { SelectPlan } from '../plan/select-plan.js';
import type { Source } from '../plan/sources.js';
import type { ReadRunner } from './read-runner.js';

/** EXPLAIN: which phase runs where, over which partitions, by which index. Nothing is run. */
export function explain(statement: Statement, run: ReadRunner): SqlResult {
  const lines: string[] = [];
  run.planSubqueries().forEach((plan, i) => {
    lines.push(`subquery ${i + 1} (run first, its values sent with the map requests):`);
    lines.push(...describeSelect(plan).map((line) => `  ${line}`));
  });
  lines.push(...describeStatement(statement, run));
  return { command: 'EXPLAIN', columns: ['QUERY PLAN'], rows: lines.map((line) => [line]), rowCount: lines.length };
}

function describeStatement(statement: Statement, run: ReadRunner): string[] {
  switch (statement.kind) {
    case 'select':
      return describeSelect(run.targets.plan(0));
    case 'update':
      return [...describeSelect(run.targets.plan(0)), `write on the receiving node: put the updated rows of "${statement.table}" (remove + insert where the primary key changes)`];
    case 'delete':
      return [...describeSelect(run.targets.plan(0)), `write on the receiving node: remove the matched keys of "${statement.table}"`];
    case 'insert':
      return describeInsert(statement);
    default:
      return [`${statement.kind}: runs on the receiving node`];
  }
}

function describeInsert(statement: Extract<Statement, { kind: 'insert' }>): string[] {
  const rows = `${statement.rows.length} row${statement.rows.length === 1 ? '' : 's'}`;
  const action = statement.onConflict?.action;
  if (!action) {
    const check = statement.rows.length > 1 ? ['point lookup of the new keys on their partitions: refuse existing keys before writing'] : [];
    return [...check, `write: putIfAbsent ${rows} into "${statement.table}" on their partitions' primaries`];
  }
  if (action.kind === 'nothing') return [`write: putIfAbsent ${rows} into "${statement.table}", counting only the inserted`];
  return [
    `point lookup of the ${rows}' keys on their partitions: read the existing rows of "${statement.table}"`,
    'reduce on the receiving node: apply DO UPDATE SET to existing rows, the rest are new',
    'write: put the updated rows, putIfAbsent the new ones',
  ];
}

export function describeSelect(plan: SelectPlan): string[] {
  const rowSource = plan.rowSource;
  const lines: string[] = [];
  if (rowSource.kind === 'single-row') lines.push('evaluate on the receiving node (no FROM)');
  if (rowSource.kind === 'map') {
    const driver = plan.sources[rowSource.driver]!;
    lines.push(describeAccess(driver, rowSource.access));
    if (rowSource.driverFilter) lines.push(`  filter: WHERE conditions on "${driver.name}"`);
    for (const step of rowSource.steps) {
      const source = plan.sources[step.source]!;
      lines.push(`  ${step.kind} join replicated "${source.layout.name}"${source.name === source.layout.name ? '' : ` as ${source.name}`} from the node's own copy (${step.hash ? 'hash on an equality' : 'nested loop'})`);
    }
  }
  if (rowSource.kind === 'key-join') {
    for (const scan of rowSource.scans) {
      const source = plan.sources[scan.source]!;
      lines.push(`${describeScan(source)}: scan${scan.filter ? ' with the conditions pushed to it' : ''}, rows sent to the receiving node`);
    }
    lines.push(`reduce on the receiving node: ${rowSource.joinKind} hash join on the primary keys`);
  }
  if (plan.filter) lines.push('  filter: remaining WHERE conditions');
  lines.push(...describeSink(plan), describeReduce(plan));
  return lines;
}

function describeScan(source: Source): string {
  const info = source.layout.info;
  return `map on the primaries of ${info.mode} "${info.name}"'s ${info.partitions} partitions`;
}

function describeAccess(source: Source, access: Access): string {
  switch (access.kind) {
    case 'keys':
      return `point lookup on ${access.partitions.length} partition${access.partitions.length === 1 ? '' : 's'} of "${source.layout.name}" (${access.keys.length} primary key${access.keys.length === 1 ? '' : 's'})`;
    case 'index':
      return `${describeScan(source)}: index range scan using "${access.index}" (${access.columns.join(', ')})`;
    case 'scan':
      return `${describeScan(source)}: full scan`;
  }
}

function describeSink(plan: SelectPlan): string[] {
  const sink = plan.sink;
  switch (sink.kind) {
    case 'aggregate':
      return [`  partial aggregation per owner: ${sink.keys.length} group key${sink.keys.length === 1 ? '' : 's'}, ${sink.aggregates.length} aggregate${sink.aggregates.length === 1 ? '' : 's'}`];
    case 'project': {
      const extras = [sink.distinct ? 'local DISTINCT' : '', sink.keep ? `keep ${sink.keep.order ? 'top' : 'first'} ${sink.keep.count} rows` : ''].filter(Boolean);
      return [`  projection${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`];
    }
    case 'fetch':
      return ['  read the matching rows and their keys'];
  }
}

function describeReduce(plan: SelectPlan): string {
  const steps: string[] = [];
  if (plan.sink.kind === 'aggregate') steps.push('merge groups', 're-aggregate');
  else steps.push('concatenate');
  if (plan.finish.having) steps.push('HAVING');
  if (plan.finish.distinct) steps.push('DISTINCT');
  if (plan.finish.order.length > 0) steps.push('sort');
  if (plan.finish.offset > 0) steps.push('offset');
  if (plan.finish.limit !== undefined) steps.push('limit');
  return `reduce on the receiving node: ${steps.join(', ')}`;
}
