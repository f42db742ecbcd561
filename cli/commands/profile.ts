import type { Command } from 'commander';
import { type ConnectionFlags, connectionFor, usageError, withConnectionOptions } from '../command-options';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes';
import { formatProfile } from '../format-profile';
import { createProfileApiClient } from '../profile-api-client';

interface ProfileGetFlags extends ConnectionFlags {
  email?: string;
  userId?: string;
  anonymousId?: string;
  phone?: string;
  json?: boolean;
}

/** Registers `cdp profile get <id> | --email e | --user-id u | --anonymous-id a | --phone p`. */
export function registerProfileCommand(program: Command): void {
  const profile = program.command('profile').description('read customer profiles from a running CDP');
  const get = profile
    .command('get')
    .description('show one profile: by id, or found by an identifier (e-mail, user id, ...)')
    .argument('[id]', 'profile id (a merged-away id answers with the surviving profile)')
    .option('--email <email>', 'find the profile by e-mail (matched as the collector stores it: lower-case)')
    .option('--user-id <id>', 'find the profile by user id')
    .option('--anonymous-id <id>', 'find the profile by anonymous id')
    .option('--phone <phone>', 'find the profile by phone number (E.164, e.g. +14155552671)')
    .option('--json', 'print the whole ProfileView as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 found, 1 not found or the CDP refused/unreachable, 2 bad command line.\n' +
        'Examples:\n  cdp profile get prof_3f2a...\n  cdp profile get --email ann@example.com --json',
    );
  withConnectionOptions(get, 'read').action(async (id: string | undefined, flags: ProfileGetFlags) => {
    const lookups: { type: string; value: string }[] = [];
    for (const [type, value] of [
      ['email', flags.email],
      ['user_id', flags.userId],
      ['anonymous_id', flags.anonymousId],
      ['phone', flags.phone],
    ] as const) {
      if (value !== undefined) lookups.push({ type, value });
    }
    if ((id === undefined ? 0 : 1) + lookups.length !== 1) {
      usageError(get, 'give exactly one of <id>, --email, --user-id, --anonymous-id or --phone');
    }
    const connection = connectionFor(get, flags, 'read');
    const client = createProfileApiClient(connection);
    const lookup = lookups[0];
    const result = lookup
      ? await client.lookupProfile(lookup.type, lookup.value)
      : await client.getProfile(id!);
    if (!result.ok) {
      console.error(result.message);
      process.exitCode = EXIT_FAILED;
      return;
    }
    console.log(flags.json ? JSON.stringify(result.value, null, 2) : formatProfile(result.value));
    process.exitCode = EXIT_OK;
  });
}
