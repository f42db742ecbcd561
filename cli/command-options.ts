import type { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes';

/** The `--url` / `--key` flags every command that talks to a running CDP takes. */
export interface ConnectionFlags {
  url?: string;
  key?: string;
}

/** Adds `--url` and `--key`, naming the environment variables they fall back to. */
export function withConnectionOptions(command: Command, keyKind: 'read' | 'write'): Command {
  return command
    .option('--url <url>', 'base URL of the running CDP (env CDP_URL, default http://127.0.0.1:8080)')
    .option(
      '--key <key>',
      keyKind === 'read'
        ? 'the read key (env CDP_READ_KEY)'
        : 'a write key (env CDP_WRITE_KEY, else the first key of CDP_WRITE_KEYS)',
    );
}

/** Stops with a usage error: the message (commander adds a hint to `--help`), exit code 2. */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, {
    exitCode: EXIT_USAGE,
    code: 'cdp.usage',
  });
  throw new Error(message); // not reached: command.error exits or throws
}

/** A positive integer option, or a usage error. */
export function positiveInt(command: Command, name: string, text: string | undefined, max: number) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    usageError(command, `${name} must be a whole number from 1 to ${max}, got "${text}"`);
  }
  return n;
}
