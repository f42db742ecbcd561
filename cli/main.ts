import { Command, CommanderError } from 'commander';
import { registerDevCommand } from './commands/dev';
import { registerImportCrm } from './commands/import-crm';
import { registerProfileCommand } from './commands/profile';
import { registerReplayCommand } from './commands/replay';
import { registerSegmentsCommand } from './commands/segments';
import { registerSegmentsRefresh } from './commands/segments-refresh';
import { registerSendCommand } from './commands/send';
import { registerSqlCommands } from './commands/sql';
import { registerStatusCommand } from './commands/status';
import { EXIT_FAILED, EXIT_USAGE } from './exit-codes';

/** The `cdp` command line: one sub-command per file under cli/commands/. */
export function buildCli(): Command {
  const program = new Command('cdp').description('Tributary customer data platform').version('0.1.0');
  // before the sub-commands are added, so that they inherit it: parse errors throw (exit code 2, below)
  program.exitOverride().showHelpAfterError('(add --help for usage)');
  registerDevCommand(program);
  registerImportCrm(program);
  registerReplayCommand(program);
  registerStatusCommand(program);
  registerSendCommand(program);
  registerProfileCommand(program);
  registerSegmentsCommand(program);
  registerSqlCommands(program);
  registerSegmentsRefresh(program);
  return program;
}

/**
 * Runs the CLI on `argv` and sets the exit code: 0 (or the command's own), 2 for a bad command line
 * (commander has already printed why), 1 on an unexpected error.
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildCli().parseAsync([...argv]);
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = EXIT_FAILED;
  }
}

if (require.main === module) void main(process.argv);
