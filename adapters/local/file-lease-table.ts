import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LeaseItem } from '../../contracts/aws-resources';
import { writeFileAtomic } from './file-event-log';

/** KCL's checkpoint value for "nothing processed yet: start at the oldest record". */
export const TRIM_HORIZON = 'TRIM_HORIZON';

/** Where a lease table lives and who owns its leases (one process owns every shard locally). */
export const FileLeaseTableConfig = z.object({
  directory: z.string().min(1),
  /** The consuming application (KCL's application name = the lease table's name). */
  application: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-"'),
  owner: z.string().min(1),
});
export type FileLeaseTableConfig = z.infer<typeof FileLeaseTableConfig>;

/**
 * A consumer's checkpoints in the shape of a KCL lease table (one `LeaseItem` per shard: `leaseKey` =
 * shard id, `checkpoint` = sequence number of the last processed record, `leaseCounter` bumped on
 * every write), kept as `<directory>/<application>.leases.json` and replaced atomically.
 */
export interface FileLeaseTable {
  /** Every lease, one per shard ever checkpointed. */
  list(): LeaseItem[];
  /** The last processed sequence number of a shard, or {@link TRIM_HORIZON}. */
  checkpointOf(shardId: string): string;
  /** Records the last processed sequence number of each shard given (one atomic write). */
  checkpoint(lastProcessed: ReadonlyMap<string, string>): void;
}

const LeaseFile = z.object({ leases: z.array(LeaseItem) });

/** Opens (or creates) a lease table; a damaged file is an error, never silently reset. */
export function openFileLeaseTable(input: FileLeaseTableConfig): FileLeaseTable {
  const config = FileLeaseTableConfig.parse(input);
  mkdirSync(config.directory, { recursive: true });
  const path = join(config.directory, `${config.application}.leases.json`);
  const leases = new Map<string, LeaseItem>();
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    const parsed = LeaseFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${path} is not a lease table: ${parsed.error.message}`);
    for (const lease of parsed.data.leases) leases.set(lease.leaseKey, lease);
  }

  return {
    list: () => [...leases.values()].map((l) => ({ ...l })),
    checkpointOf: (shardId) => leases.get(shardId)?.checkpoint ?? TRIM_HORIZON,
    checkpoint(lastProcessed) {
      let changed = false;
      for (const [shardId, sequence] of lastProcessed) {
        const current = leases.get(shardId);
        if (current?.checkpoint === sequence && current.leaseOwner === config.owner) continue;
        changed = true;
        leases.set(shardId, {
          leaseKey: shardId,
          leaseOwner: config.owner,
          leaseCounter: (current?.leaseCounter ?? 0) + 1,
          checkpoint: sequence,
          checkpointSubSequenceNumber: 0,
          ownerSwitchesSinceCheckpoint: 0,
        });
      }
      if (changed) {
        const sorted = [...leases.values()].sort((a, b) => a.leaseKey.localeCompare(b.leaseKey));
        writeFileAtomic(path, `${JSON.stringify({ leases: sorted }, null, 2)}\n`, config.directory);
      }
    },
  };
}
