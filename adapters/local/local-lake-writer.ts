import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { dtPartitionPrefix, GLUE_TABLES, type GlueTableDefinition } from '../../contracts/aws-resources';
import {
  type LakeRecord,
  type LakeTable,
  type LakeWriter,
  lakeLine,
} from '../../contracts/ports/lake-writer';
import { syncDirectory, writeFileDurably } from '../../processors/engine/checkpoint/checkpoint-files';

const gzipAsync = promisify(gzip);

/**
 * Configuration of the local lake. `commitMode`:
 * - `flush`: every `flush()` writes the buffered rows as new files (names unique per call).
 * - `checkpoint`: the embedded runtime's exactly-once mode (Flink's two-phase file sink). `write` and
 *   `flush` only stage rows in memory: until a checkpoint they are recoverable by replaying the event
 *   log from the previous checkpoint's offsets. `commit(checkpointId)` writes the staged rows as files
 *   named `part-<checkpointId>` before the checkpoint itself is stored, and on restore
 *   `discardAfter(restoredId)` deletes files of checkpoints that never completed, which a replay writes
 *   again. So every row lands once, and a row of a checkpointed event is never lost on kill -9.
 */
export const LocalLakeWriterConfig = z.object({
  /** `<data>/lake`. */
  directory: z.string().min(1),
  commitMode: z.enum(['flush', 'checkpoint']).default('flush'),
  /** gzip level (1 fastest … 9 smallest). */
  gzipLevel: z.number().int().min(1).max(9).default(6),
});
export type LocalLakeWriterConfig = z.input<typeof LocalLakeWriterConfig>;

/** The local lake writer: the `LakeWriter` port plus checkpoint commits. */
export interface LocalLakeWriter extends LakeWriter {
  /** Writes every staged row as files of checkpoint `checkpointId` (replacing any earlier ones of that id). */
  commit(checkpointId: number): Promise<{ files: number; rows: number }>;
  /** Deletes files of checkpoints after `checkpointId` (they never completed); returns how many. */
  discardAfter(checkpointId: number): number;
  /** Rows written but not yet in files. */
  stagedRows(): number;
}

/** Files written by `commit`: `part-<checkpointId>.json.gz`. */
const CHECKPOINT_PART = /^part-(\d{12})\.json\.gz$/;
const tablesByName = new Map<string, GlueTableDefinition>(GLUE_TABLES.map((t) => [t.name, t]));

/** The Glue definition of a lake table (the layout both lakes share). */
function tableOf(name: LakeTable): GlueTableDefinition {
  const table = tablesByName.get(name);
  if (!table) throw new Error(`unknown lake table ${name}`);
  return table;
}

/**
 * Creates the local lake: GZIP JSON lines under `<directory>/<table>/dt=YYYY-MM-DD/part-*.json.gz`,
 * the same prefixes and row format as the S3 lake (`GLUE_TABLES`, `dtPartitionPrefix`). Files appear
 * atomically (temporary name, fsync, rename, fsync of the folder).
 */
export function createLocalLakeWriter(input: LocalLakeWriterConfig): LocalLakeWriter {
  const config = LocalLakeWriterConfig.parse(input);
  mkdirSync(config.directory, { recursive: true });
  /** Staged lines by partition folder (relative to the lake). */
  let staged = new Map<string, string[]>();
  let stagedCount = 0;
  let flushCounter = 0;
  let chain: Promise<unknown> = Promise.resolve();

  /**
   * Writes each partition's file; all at once (a job catching up takes a long round between two awaits).
   * Nothing runs before the next event-loop turn (a checkpoint's pause, which took the rows, is over
   * then), and each partition's lines are joined in a task of its own; folders are fsynced off the loop.
   */
  async function writeParts(parts: Map<string, string[]>, fileName: string): Promise<number> {
    await Promise.all(
      [...parts].map(async ([folder, lines]) => {
        await yieldToEventLoop();
        const dir = join(config.directory, folder);
        await mkdir(dir, { recursive: true });
        const data = await gzipAsync(`${lines.join('\n')}\n`, { level: config.gzipLevel });
        // written and fsynced off the event loop (a checkpoint's files are written while the job goes on)
        await writeFileDurably(join(dir, fileName), data);
        await syncDirectory(dir);
      }),
    );
    return parts.size;
  }

  function take(): { parts: Map<string, string[]>; rows: number } {
    const parts = staged;
    const rows = stagedCount;
    staged = new Map();
    stagedCount = 0;
    return { parts, rows };
  }

  /** Runs lake file writes one after the other, in call order. */
  function serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  }

  return {
    async write(records: readonly LakeRecord[]): Promise<void> {
      for (const r of records) {
        const folder = dtPartitionPrefix(tableOf(r.table), r.timestamp);
        let lines = staged.get(folder);
        if (lines === undefined) {
          lines = [];
          staged.set(folder, lines);
        }
        lines.push(lakeLine(r));
      }
      stagedCount += records.length;
    },

    flush(): Promise<void> {
      // rows wait for the next commit, whose own promise reports how its files went
      if (config.commitMode === 'checkpoint') return Promise.resolve();
      const { parts } = take();
      const name = `part-${String(Date.now()).padStart(12, '0')}-${(flushCounter++).toString(36)}${randomBytes(3).toString('hex')}.json.gz`;
      return serialize(async () => {
        await writeParts(parts, name);
      });
    },

    commit(checkpointId: number) {
      const { parts, rows } = take();
      return serialize(async () => ({
        files: await writeParts(parts, `part-${String(checkpointId).padStart(12, '0')}.json.gz`),
        rows,
      }));
    },

    discardAfter(checkpointId: number): number {
      let deleted = 0;
      for (const table of GLUE_TABLES) {
        const tableDir = join(config.directory, table.prefix);
        let partitions: string[];
        try {
          partitions = readdirSync(tableDir);
        } catch {
          continue;
        }
        for (const partition of partitions) {
          const dir = join(tableDir, partition);
          for (const name of readdirSync(dir)) {
            const m = CHECKPOINT_PART.exec(name);
            if (name.endsWith('.tmp') || (m !== null && Number(m[1]) > checkpointId)) {
              rmSync(join(dir, name), { force: true });
              deleted++;
            }
          }
        }
      }
      return deleted;
    },

    stagedRows: () => stagedCount,
  };
}
