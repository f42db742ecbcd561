import type { Command } from 'commander';
import { type Connection, resolveConnection } from './connection';
import { EXIT_USAGE } from './exit-codes';
import { readLocalDevFiles } from './local-dev-files';

/** The `--url` / `--key` flags every command that talks to a running CDP takes. */
export interface ConnectionFlags {
  url?: string;
  key?: string;
}

/** Adds `--url` and `--key`, naming the environment variables they fall back to. */
export function withConnectionOptions(command: Command, keyKind: 'read' | 'write'): Command {
  return command
    .option(
      '--url <url>',
      'base URL of the running CDP (env CDP_URL, else the cdp dev running on CDP_DATA_DIR or ./.tributary, else http://127.0.0.1:8080)',
    )
    .option(
      '--key <key>',
      keyKind === 'read'
        ? 'the read key (env CDP_READ_KEY, else the one cdp dev keeps in its data folder)'
        : 'a write key (env CDP_WRITE_KEY, else the first of CDP_WRITE_KEYS, else the one cdp dev keeps)',
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

/**
 * The connection of a command, from its flags, the environment and the data folder of a local `cdp dev`
 * (`CDP_DATA_DIR`, else `./.tributary`); a usage error when there is no key. The one place the commands
 * that talk to a running CDP read `process.env`.
 */
export function connectionFor(command: Command, flags: ConnectionFlags, kind: 'read' | 'write'): Connection {
  const env = process.env;
  const local = readLocalDevFiles(env.CDP_DATA_DIR || '.tributary');
  const connection = resolveConnection(flags, env, kind, local);
  if (!connection.ok) usageError(command, connection.error);
  return connection.value;
}
