import type { WarehouseDialect, WarehouseStatement } from '../../contracts/ports/warehouse';

/** The synced copy, the outbox and the runs (see `sync-tables.sql`). */
const SYNCED = 'tributary_sync.synced_memberships';
const OUTBOX = 'tributary_sync.outbox';
const RUNS = 'tributary_sync.runs';

export const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Memberships to add (in the model, not synced) and to remove (synced, no longer in the model): one
 * full outer join, so each table is read once (two anti-joins read both twice).
 */
export function membershipDiffSql(memberships: string): string {
  return `
    select coalesce(d.segment_id, s.segment_id) as segment_id,
           coalesce(d.profile_id, s.profile_id) as profile_id,
           case when s.profile_id is null then 'entered' else 'exited' end as change,
           case when s.profile_id is null then d.computed_at else s.entered_at end as entered_at
    from ${memberships} d
    full outer join ${SYNCED} s on s.segment_id = d.segment_id and s.profile_id = d.profile_id
    where s.profile_id is null or d.profile_id is null`;
}

/**
 * Plans a run: the diff into the outbox with dense sequence numbers 1..n, and the run row with its
 * count, in one transaction. The numbering has no order: it is assigned once here and read back from
 * the outbox, so a resumed run sees the same numbers (sorting a million keys cost more than the rest
 * of the plan).
 */
export function planStatements(memberships: string, runId: string, startedAt: string): WarehouseStatement[] {
  const run = sqlText(runId);
  return [
    `insert into ${OUTBOX} (run_id, seq, segment_id, profile_id, change, entered_at)
     select ${run}, row_number() over (), segment_id, profile_id, change, entered_at
     from (${membershipDiffSql(memberships)}) diff`,
    `insert into ${RUNS} (run_id, started_at, status, planned, done_seq)
     select ${run}, cast(${sqlText(startedAt)} as timestamp), 'planned', count(*), 0
     from ${OUTBOX} where run_id = ${run}`,
  ];
}

/** One batch of the outbox, by sequence range (`$1` run, `$2`..`$3` the range). */
export const OUTBOX_BATCH_SQL = `select seq, segment_id, profile_id, change, entered_at from ${OUTBOX}
  where run_id = $1 and seq between $2 and $3 order by seq`;

/** The run's progress moves past a batch. */
export const PROGRESS_SQL = `update ${RUNS} set done_seq = $2 where run_id = $1`;

/**
 * Ends a run in one transaction: the synced copy follows the whole run (exits out, entries in) and the
 * run is done. Its outbox rows go in the same transaction on Redshift; on PostgreSQL the outbox is
 * truncated after it instead ({@link OUTBOX_CLEAR_SQL}; deleting a million rows was a tenth of a sync).
 */
export function finishStatements(runId: string, dialect: WarehouseDialect): WarehouseStatement[] {
  const params = [runId];
  return [
    {
      sql: `delete from ${SYNCED} using ${OUTBOX}
            where outbox.run_id = $1 and outbox.change = 'exited'
              and synced_memberships.segment_id = outbox.segment_id and synced_memberships.profile_id = outbox.profile_id`,
      params,
    },
    {
      sql: `insert into ${SYNCED} (segment_id, profile_id, entered_at)
            select segment_id, profile_id, entered_at from ${OUTBOX} where run_id = $1 and change = 'entered'`,
      params,
    },
    { sql: `update ${RUNS} set status = 'done' where run_id = $1`, params },
    ...(dialect === 'postgres' ? [] : [{ sql: `delete from ${OUTBOX} where run_id = $1`, params }]),
  ];
}

/** Open runs: the outbox may be cleared only when there is none. */
export const OPEN_RUNS_SQL = `select count(*) as open from ${RUNS} where status = 'planned'`;

/**
 * PostgreSQL: empties the outbox after a run, when no run is open (a run planned meanwhile by another
 * sync would lose its plan and finish with nothing applied; the next sync plans those changes again).
 * Redshift's TRUNCATE commits on its own, so there the rows go with the run's transaction instead.
 */
export const OUTBOX_CLEAR_SQL = `truncate ${OUTBOX}`;

/**
 * Statements after `sync-tables.sql`, per dialect. PostgreSQL: batches are read by sequence, which
 * needs an index; on `seq` alone, as the outbox holds one open run at a time (with `run_id` in front
 * the index was twice the size and its upkeep a third of the plan). The synced copy is only ever
 * joined whole (hash joins), so an index on it was only a cost on every insert (the largest part of a
 * big sync) and goes.
 */
export function dialectSetupStatements(dialect: WarehouseDialect): string[] {
  return dialect === 'postgres'
    ? [
        `create index if not exists outbox_seq on ${OUTBOX} (seq)`,
        'drop index if exists tributary_sync.outbox_run_seq',
        'drop index if exists tributary_sync.synced_segment_profile',
      ]
    : [];
}

/**
 * After a run changed the synced copy: fresh statistics, so the next diff's planner knows its size
 * (PostgreSQL's autovacuum may not have run yet; with a stale estimate it picked a sort-merge join that
 * took seven times as long). Redshift analyzes on its own.
 */
export function afterRunStatements(dialect: WarehouseDialect): string[] {
  return dialect === 'postgres' ? [`analyze ${SYNCED}`] : [];
}
