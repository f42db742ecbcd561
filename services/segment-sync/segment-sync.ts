import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { Warehouse } from '../../contracts/ports/warehouse';
import type { SegmentChange } from '../../contracts/profile';
import { splitStatements } from '../warehouse/sql-scan';
import {
  afterRunStatements,
  dialectSetupStatements,
  finishStatements,
  membershipDiffSql,
  OPEN_RUNS_SQL,
  OUTBOX_BATCH_SQL,
  OUTBOX_CLEAR_SQL,
  PROGRESS_SQL,
  planStatements,
} from './sync-statements';

/** Settings of the segment sync. */
export const SegmentSyncConfig = z.object({
  /** Schema of the models (`segment_memberships` lives there). */
  schema: z.string().min(1).default('analytics'),
  /**
   * Changes per batch: one store call (stores split it as they must), one flush of events, one progress
   * update. At 500, a million changes were 2,000 lake files and progress updates (38 s against 20 s).
   */
  batchSize: z.number().int().min(1).max(100_000).default(10_000),
  /** SQL segments to register in the store (listed even with no members). */
  segments: z
    .array(z.object({ segmentId: z.string().min(1), description: z.string().optional() }))
    .default([]),
});
export type SegmentSyncConfig = z.input<typeof SegmentSyncConfig>;

/** A `segment_entered` / `segment_exited` with an id that is the same if it is ever emitted again. */
export interface IdentifiedSegmentChange {
  readonly changeId: string;
  readonly change: SegmentChange;
}

/** Progress of a sync: changes done of changes planned. */
export interface SyncProgress {
  readonly runId: string;
  readonly done: number;
  readonly planned: number;
}

/** What the sync needs. */
export interface SegmentSyncDeps {
  readonly warehouse: Warehouse;
  readonly store: SegmentStore;
  /** Publishes enter/exit changes (event log, lake); called after the batch is in the store. */
  readonly emit: (changes: readonly IdentifiedSegmentChange[]) => Promise<void>;
  readonly now: () => Date;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** What a sync did. */
export interface SyncSummary {
  readonly runId: string;
  readonly resumed: boolean;
  readonly entered: number;
  readonly exited: number;
}

function syncTablesSql(): string {
  const candidates = [
    join(__dirname, 'sync-tables.sql'),
    join(__dirname, '..', '..', '..', 'services', 'segment-sync', 'sync-tables.sql'),
  ];
  return readFileSync(candidates.find((p) => existsSync(p)) ?? (candidates[0] as string), 'utf8');
}

async function prepareSyncTables(warehouse: Warehouse): Promise<void> {
  for (const s of splitStatements(syncTablesSql())) await warehouse.query(s);
  for (const s of dialectSetupStatements(warehouse.dialect)) await warehouse.query(s);
}

/** What a sync would change now, per segment, without writing anything to a store. */
export async function previewSegmentSync(
  input: Pick<SegmentSyncConfig, 'schema'>,
  deps: { readonly warehouse: Warehouse },
): Promise<{ segmentId: string; entered: number; exited: number }[]> {
  const schema = input.schema ?? 'analytics';
  await prepareSyncTables(deps.warehouse);
  const r = await deps.warehouse.query(
    `select segment_id, sum(case when change = 'entered' then 1 else 0 end) as entered,
            sum(case when change = 'exited' then 1 else 0 end) as exited
     from (${membershipDiffSql(`${schema}.segment_memberships`)}) diff group by segment_id order by segment_id`,
  );
  return r.rows.map((row) => ({
    segmentId: String(row.segment_id),
    entered: Number(row.entered),
    exited: Number(row.exited),
  }));
}

/**
 * Syncs `segment_memberships` to the serving store. The diff against what was last synced (one full
 * outer join, set-based in the warehouse) is planned into an outbox (one transaction, dense sequence
 * numbers), then applied batch by batch: store writes (one call per batch), then enter/exit events,
 * then the run's progress moves past the batch; the next batch is read, and the last one's progress
 * written, while a batch goes to the store. The synced copy follows when the run ends. A crash leaves
 * a planned run that the next sync finishes first, so a rerun converges; events re-sent for the one
 * batch in flight at the crash carry the same `changeId`. Statements: `sync-statements.ts`.
 */
export function createSegmentSync(input: SegmentSyncConfig, deps: SegmentSyncDeps) {
  const config = SegmentSyncConfig.parse(input);
  const { warehouse, store } = deps;
  const memberships = `${config.schema}.segment_memberships`;

  const prepare = () => prepareSyncTables(warehouse);

  const plan = async (): Promise<{ runId: string; planned: number }> => {
    const startedAt = deps.now().toISOString();
    // Time for people, random for uniqueness (two runs in one millisecond, or a frozen clock).
    const runId = `sync-${startedAt.replace(/[^0-9]/g, '').slice(0, 17)}-${randomBytes(4).toString('hex')}`;
    await warehouse.batch(planStatements(memberships, runId, startedAt.replace('T', ' ').replace('Z', '')));
    const r = await warehouse.query('select planned from tributary_sync.runs where run_id = $1', [runId]);
    return { runId, planned: Number(r.rows[0]?.planned ?? 0) };
  };

  /**
   * 32 hex digits, the same whenever `(runId, seq)` is emitted again: 20 of the run's SHA-256, then the
   * sequence number (hashing each change was a tenth of a big sync's Node time).
   */
  const changeIdsOf = (runId: string) => {
    const prefix = createHash('sha256').update(runId).digest('hex').slice(0, 20);
    return (seq: number) => prefix + seq.toString(16).padStart(12, '0');
  };

  return {
    /** Plans (or resumes) and applies the membership diff; see the factory's comment for guarantees. */
    async sync(): Promise<SyncSummary> {
      await prepare();
      // Every SQL segment is registered as such (source `sql`), members or not.
      const found = await warehouse.query(`select distinct segment_id from ${memberships}`);
      const ids = new Map(config.segments.map((s) => [s.segmentId, s.description]));
      for (const r of found.rows)
        if (!ids.has(String(r.segment_id))) ids.set(String(r.segment_id), undefined);
      for (const [segmentId, description] of ids) {
        await store.defineSegment(
          description === undefined
            ? { segmentId, source: 'sql' }
            : { segmentId, source: 'sql', description },
        );
      }
      const open = await warehouse.query(
        "select run_id, planned from tributary_sync.runs where status = 'planned' order by started_at limit 1",
      );
      const resumed = open.rows.length > 0;
      const { runId, planned } = resumed
        ? { runId: String(open.rows[0]?.run_id), planned: Number(open.rows[0]?.planned) }
        : await plan();
      let entered = 0;
      let exited = 0;
      const progressRow = await warehouse.query(
        'select done_seq from tributary_sync.runs where run_id = $1',
        [runId],
      );
      // Sequence numbers are dense (1..planned): batch k is a range, and progress is one number.
      let done = Number(progressRow.rows[0]?.done_seq ?? 0);
      deps.onProgress?.({ runId, done, planned });
      const changeId = changeIdsOf(runId);
      const read = (from: number) => {
        if (from > planned) return Promise.resolve(undefined);
        const rows = warehouse.query(OUTBOX_BATCH_SQL, [runId, from, from + config.batchSize - 1]);
        rows.catch(() => undefined); // awaited below; a failure while this batch is applied is not unhandled
        return rows;
      };
      const record = async (seq: number): Promise<void> => {
        await warehouse.query(PROGRESS_SQL, [runId, seq]);
        deps.onProgress?.({ runId, done: seq, planned });
      };
      let recorded: Promise<void> = Promise.resolve();
      // The next batch is read while this one goes to the store (the outbox does not change meanwhile).
      let next = read(done + 1);
      while (done < planned) {
        const batch = await next;
        if (batch === undefined || batch.rows.length === 0) break;
        const last = Number(batch.rows[batch.rows.length - 1]?.seq);
        next = read(last + 1);
        const writes: MembershipWrite[] = [];
        const changes: IdentifiedSegmentChange[] = [];
        const timestamp = deps.now().toISOString();
        for (const r of batch.rows) {
          const segmentId = String(r.segment_id);
          const profileId = String(r.profile_id);
          const change = r.change === 'entered' ? 'entered' : 'exited';
          if (change === 'entered') {
            entered++;
            writes.push({
              kind: 'add',
              membership: { segmentId, profileId, source: 'sql', enteredAt: String(r.entered_at) },
            });
          } else {
            exited++;
            writes.push({ kind: 'remove', segmentId, profileId });
          }
          changes.push({
            changeId: changeId(Number(r.seq)),
            change: { segmentId, profileId, source: 'sql', change, timestamp },
          });
        }
        try {
          await store.apply(writes);
        } catch (error: unknown) {
          await recorded.catch(() => undefined); // what the last batch did is kept for the rerun
          throw error;
        }
        // The last batch's progress was written while this one went to the store (store writes are
        // idempotent); it is durable before this batch's events go out, so only this batch's can repeat.
        await recorded;
        await deps.emit(changes);
        recorded = record(last);
        recorded.catch(() => undefined); // awaited with the next batch (or after the loop)
        done = last;
      }
      await recorded;
      await next; // a read past the end may still be running
      // The synced copy follows the whole run at once, with the run's end (one transaction).
      await warehouse.batch(finishStatements(runId, warehouse.dialect));
      if (warehouse.dialect === 'postgres') {
        const stillOpen = await warehouse.query(OPEN_RUNS_SQL);
        if (Number(stillOpen.rows[0]?.open) === 0) await warehouse.query(OUTBOX_CLEAR_SQL);
      }
      for (const statement of afterRunStatements(warehouse.dialect)) await warehouse.query(statement);
      return { runId, resumed, entered, exited };
    },
  };
}

/** A sync as {@link createSegmentSync} makes it. */
export type SegmentSync = ReturnType<typeof createSegmentSync>;
