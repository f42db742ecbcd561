import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { Warehouse } from '../../contracts/ports/warehouse';
import type { SegmentChange } from '../../contracts/profile';
import { splitStatements } from '../warehouse/sql-scan';

/** Settings of the segment sync. */
export const SegmentSyncConfig = z.object({
  /** Schema of the models (`segment_memberships` lives there). */
  schema: z.string().min(1).default('analytics'),
  /** Membership writes per store call (DynamoDB BatchWrite takes 25 items, two per membership). */
  batchSize: z.number().int().min(1).max(100_000).default(500),
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

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Memberships to add (in the model, not synced) and to remove (synced, no longer in the model). */
function membershipDiffSql(memberships: string): string {
  return `
    select d.segment_id, d.profile_id, 'entered' as change, d.computed_at as entered_at
    from ${memberships} d
    left join tributary_sync.synced_memberships s on s.segment_id = d.segment_id and s.profile_id = d.profile_id
    where s.profile_id is null
    union all
    select s.segment_id, s.profile_id, 'exited', s.entered_at
    from tributary_sync.synced_memberships s
    left join ${memberships} d on d.segment_id = s.segment_id and d.profile_id = s.profile_id
    where d.profile_id is null`;
}

async function prepareSyncTables(warehouse: Warehouse): Promise<void> {
  for (const s of splitStatements(syncTablesSql())) await warehouse.query(s);
  // Batches are read by sequence: PostgreSQL needs an index for that (Redshift has none; it scans).
  if (warehouse.dialect === 'postgres') {
    await warehouse.query('create index if not exists outbox_run_seq on tributary_sync.outbox (run_id, seq)');
    await warehouse.query(
      'create index if not exists synced_segment_profile on tributary_sync.synced_memberships (segment_id, profile_id)',
    );
  }
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
 * Syncs `segment_memberships` to the serving store. The diff against what was last synced is planned
 * into an outbox in the warehouse (one transaction), then applied batch by batch: store writes, then
 * enter/exit events, then the batch is marked done together with the synced copy. A crash leaves a
 * planned run that the next sync finishes first, so a rerun converges; events re-sent for the one batch
 * in flight at the crash carry the same `changeId`.
 */
export function createSegmentSync(input: SegmentSyncConfig, deps: SegmentSyncDeps) {
  const config = SegmentSyncConfig.parse(input);
  const { warehouse, store } = deps;
  const memberships = `${config.schema}.segment_memberships`;
  const diffSql = membershipDiffSql(memberships);

  const prepare = () => prepareSyncTables(warehouse);

  const plan = async (): Promise<{ runId: string; planned: number }> => {
    const startedAt = deps.now().toISOString();
    const runId = `sync-${startedAt.replace(/[^0-9]/g, '').slice(0, 17)}`;
    await warehouse.batch([
      `insert into tributary_sync.outbox (run_id, seq, segment_id, profile_id, change, entered_at, done)
       select ${sqlText(runId)}, row_number() over (order by change, segment_id, profile_id), segment_id, profile_id, change, entered_at, false
       from (${diffSql}) diff`,
      `insert into tributary_sync.runs (run_id, started_at, status, planned)
       select ${sqlText(runId)}, cast(${sqlText(startedAt.replace('T', ' ').replace('Z', ''))} as timestamp), 'planned', count(*)
       from tributary_sync.outbox where run_id = ${sqlText(runId)}`,
    ]);
    const r = await warehouse.query('select planned from tributary_sync.runs where run_id = $1', [runId]);
    return { runId, planned: Number(r.rows[0]?.planned ?? 0) };
  };

  const changeId = (runId: string, seq: number) =>
    createHash('sha256').update(`${runId}:${seq}`).digest('hex').slice(0, 32);

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
      const doneBefore = await warehouse.query(
        'select count(*) as n from tributary_sync.outbox where run_id = $1 and done',
        [runId],
      );
      let done = Number(doneBefore.rows[0]?.n ?? 0);
      deps.onProgress?.({ runId, done, planned });
      for (;;) {
        const batch = await warehouse.query(
          `select seq, segment_id, profile_id, change, entered_at from tributary_sync.outbox
           where run_id = $1 and not done order by seq limit ${config.batchSize}`,
          [runId],
        );
        if (batch.rows.length === 0) break;
        const rows = batch.rows.map((r) => ({
          seq: Number(r.seq),
          segmentId: String(r.segment_id),
          profileId: String(r.profile_id),
          change: r.change === 'entered' ? ('entered' as const) : ('exited' as const),
          enteredAt: String(r.entered_at),
        }));
        const writes: MembershipWrite[] = rows.map((r) =>
          r.change === 'entered'
            ? {
                kind: 'add',
                membership: {
                  segmentId: r.segmentId,
                  profileId: r.profileId,
                  source: 'sql',
                  enteredAt: r.enteredAt,
                },
              }
            : { kind: 'remove', segmentId: r.segmentId, profileId: r.profileId },
        );
        await store.apply(writes);
        const timestamp = deps.now().toISOString();
        await deps.emit(
          rows.map((r) => ({
            changeId: changeId(runId, r.seq),
            change: {
              segmentId: r.segmentId,
              profileId: r.profileId,
              source: 'sql',
              change: r.change,
              timestamp,
            },
          })),
        );
        const first = rows[0]?.seq as number;
        const last = rows[rows.length - 1]?.seq as number;
        await warehouse.batch([
          {
            sql: `insert into tributary_sync.synced_memberships (segment_id, profile_id, entered_at)
                  select segment_id, profile_id, entered_at from tributary_sync.outbox
                  where run_id = $1 and seq between $2 and $3 and change = 'entered' and not done`,
            params: [runId, first, last],
          },
          {
            sql: `delete from tributary_sync.synced_memberships using tributary_sync.outbox
                  where outbox.run_id = $1 and outbox.seq between $2 and $3 and outbox.change = 'exited' and not outbox.done
                    and synced_memberships.segment_id = outbox.segment_id and synced_memberships.profile_id = outbox.profile_id`,
            params: [runId, first, last],
          },
          {
            sql: 'update tributary_sync.outbox set done = true where run_id = $1 and seq between $2 and $3',
            params: [runId, first, last],
          },
        ]);
        for (const r of rows) {
          if (r.change === 'entered') entered++;
          else exited++;
        }
        done += rows.length;
        deps.onProgress?.({ runId, done, planned });
      }
      await warehouse.batch([
        { sql: "update tributary_sync.runs set status = 'done' where run_id = $1", params: [runId] },
        { sql: 'delete from tributary_sync.outbox where run_id = $1', params: [runId] },
      ]);
      return { runId, resumed, entered, exited };
    },
  };
}

/** A sync as {@link createSegmentSync} makes it. */
export type SegmentSync = ReturnType<typeof createSegmentSync>;
