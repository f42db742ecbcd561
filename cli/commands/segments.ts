import type { Command } from 'commander';
import type { SegmentMembership } from '../../contracts/profile';
import {
  type ConnectionFlags,
  connectionFor,
  positiveInt,
  usageError,
  withConnectionOptions,
} from '../command-options';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes';
import { createProfileApiClient } from '../profile-api-client';

interface ListFlags extends ConnectionFlags {
  json?: boolean;
}

interface MembersFlags extends ConnectionFlags {
  limit?: string;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

const EXIT_HELP = '\nExit codes: 0 ok, 1 not found or the CDP refused/unreachable, 2 bad command line.';

/** Registers `cdp segments list` and `cdp segments members <id>`. */
export function registerSegmentsCommand(program: Command): void {
  const segments = program.command('segments').description('segments of a running CDP (real-time and SQL)');

  const list = segments
    .command('list')
    .description('every segment with its source (realtime or sql) and member count')
    .option('--json', 'print JSON')
    .addHelpText('after', EXIT_HELP);
  withConnectionOptions(list, 'read').action(async (flags: ListFlags) => {
    const connection = connectionFor(list, flags, 'read');
    const result = await createProfileApiClient(connection).listSegments();
    if (!result.ok) {
      console.error(result.message);
      process.exitCode = EXIT_FAILED;
      return;
    }
    const rows = result.value.segments;
    if (flags.json) console.log(JSON.stringify(result.value, null, 2));
    else if (rows.length === 0) console.log('no segments');
    else {
      const width = Math.max(7, ...rows.map((s) => s.segmentId.length));
      console.log(`${'SEGMENT'.padEnd(width)}  SOURCE    MEMBERS  DESCRIPTION`);
      for (const s of rows) {
        console.log(
          `${s.segmentId.padEnd(width)}  ${s.source.padEnd(8)}  ${String(s.memberCount).padStart(7)}  ${s.description ?? ''}`.trimEnd(),
        );
      }
    }
    process.exitCode = EXIT_OK;
  });

  const members = segments
    .command('members')
    .description("a segment's members (profile id and when they entered), one page or --all")
    .argument('<id>', 'segment id (see cdp segments list)')
    .option('--limit <n>', 'members per page (1-1000, default 50)')
    .option('--cursor <cursor>', 'continue from the cursor a previous page printed')
    .option('--all', 'read every page')
    .option('--json', 'print JSON lines, one member per line')
    .addHelpText('after', EXIT_HELP);
  withConnectionOptions(members, 'read').action(async (id: string, flags: MembersFlags) => {
    const limit = positiveInt(members, '--limit', flags.limit, 1000);
    if (flags.all && flags.cursor !== undefined) usageError(members, '--all and --cursor do not go together');
    const connection = connectionFor(members, flags, 'read');
    const client = createProfileApiClient(connection);
    let cursor = flags.cursor;
    const print = (m: SegmentMembership) =>
      console.log(flags.json ? JSON.stringify(m) : `${m.profileId}\t${m.enteredAt}`);
    for (;;) {
      const page = await client.listMembers(id, {
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) {
        console.error(page.message);
        process.exitCode = EXIT_FAILED;
        return;
      }
      page.value.items.forEach(print);
      cursor = page.value.nextCursor;
      if (!flags.all || cursor === undefined) break;
    }
    if (cursor !== undefined) console.error(`more members: --cursor ${cursor}`);
    process.exitCode = EXIT_OK;
  });
}
