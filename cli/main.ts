import { Command } from 'commander';
import { registerDevCommand } from './commands/dev';
import { registerImportCrm } from './commands/import-crm';
import { registerSegmentsRefresh } from './commands/segments-refresh';
import { registerSqlCommands } from './commands/sql';

/** The `cdp` command line: one sub-command per file under cli/commands/. */
export function buildCli(): Command {
  const program = new Command('cdp').description('Tributary customer data platform').version('0.1.0');
  registerDevCommand(program);
  registerImportCrm(program);
  registerSqlCommands(program);
  registerSegmentsRefresh(program);
  return program;
}

/** Runs the CLI on `argv` and sets the exit code (1 on an unexpected error). */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildCli().parseAsync([...argv]);
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);
