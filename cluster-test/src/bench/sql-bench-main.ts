import { log } from './bench-session.js';
import { missedSqlTargets, sqlMarkdown } from './sql-bench-report.js';
import { runSqlBench, sqlOutcomeConsole } from './sql-bench.js';

/**
 * The SQL benchmark alone (`npm run build && node cluster-test/dist/bench/sql-bench-main.js`;
 * SHOAL_BENCH_SQL_ROWS for fewer rows): prints the table and its markdown, writes no file.
 */
const outcome = await runSqlBench();
process.stdout.write(`\n${sqlOutcomeConsole(outcome)}\n\n`);
if (outcome.ok) {
  const missed = missedSqlTargets(outcome.value);
  process.stdout.write(missed.length === 0 ? 'All SQL targets met.\n' : `SQL targets missed:\n${missed.map((m) => `  - ${m}\n`).join('')}`);
  process.stdout.write(`\n${sqlMarkdown(outcome.value)}\n`);
} else {
  log('the SQL benchmark did not complete');
}
process.exit(outcome.ok ? 0 : 1);
