import { Command, Option } from 'commander';
import { Shoal } from '@shoal/client';
import { nonEmpty, parseEndpoint } from './option-parsers.js';
import { formatResult } from './result-table.js';
import { formatError, runRepl } from './sql-repl.js';

interface SqlFlags {
  readonly endpoint: string;
  readonly authToken?: string;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;

/** `shoal sql`: one statement, or a prompt without one. */
export function sqlCommand(): Command {
  return new Command('sql')
    .description('run one SQL statement and print its result, or start a SQL prompt when none is given')
    .argument('[statement]', 'the statement to run, e.g. "SELECT * FROM customers LIMIT 5"')
    .option('--endpoint <host:port>', 'node to connect to', parseEndpoint, '127.0.0.1:7700')
    .addOption(new Option('--auth-token <token>', "the node's client token").env('SHOAL_AUTH_TOKEN').argParser(nonEmpty))
    .action(async (statement: string | undefined, flags: SqlFlags) => {
      process.exitCode = await runSqlCommand(statement, flags);
    });
}

/** Connects, runs the statement (or the prompt), closes; resolves to the exit code. */
async function runSqlCommand(statement: string | undefined, flags: SqlFlags): Promise<number> {
  let grid: Shoal;
  try {
    grid = await Shoal.connect({ endpoints: [flags.endpoint], ...(flags.authToken === undefined ? {} : { authToken: flags.authToken }) });
  } catch (err) {
    process.stderr.write(formatError(err));
    return EXIT_FAILED;
  }
  try {
    if (statement !== undefined) return await runOnce(grid, statement);
    await runRepl((text) => grid.sql(text, []), { input: process.stdin, output: process.stdout, errors: process.stderr, interactive: process.stdin.isTTY === true });
    return EXIT_OK;
  } finally {
    await grid.close();
  }
}

async function runOnce(grid: Shoal, statement: string): Promise<number> {
  try {
    process.stdout.write(formatResult(await grid.sql(statement, [])));
    return EXIT_OK;
  } catch (err) {
    process.stderr.write(formatError(err));
    return EXIT_FAILED;
  }
}
