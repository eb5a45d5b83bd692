#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { cdcCommand } from './cdc-command.js';
import { clusterCommand } from './cluster-command.js';
import { nodeCommand } from './node-command.js';
import { sqlCommand } from './sql-command.js';
import { statusCommand } from './status-command.js';

/** Exit code for bad flags or arguments, as most Unix tools use. */
const USAGE_ERROR = 2;

const program = new Command('shoal')
  .description('Shoal: an in-memory data grid for Node.js')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addCommand(nodeCommand())
  .addCommand(clusterCommand())
  .addCommand(statusCommand())
  .addCommand(sqlCommand())
  .addCommand(cdcCommand());
for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)');

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and version end with code 0; everything else commander rejects is a usage error.
  process.exit(err.exitCode === 0 ? 0 : USAGE_ERROR);
}
