/**
 * Warehouse: full model build and a segment refresh over P profiles / 10·P events, on PGlite and on a
 * real PostgreSQL 15 server, and the membership diff + sync of M rows into the memory SegmentStore.
 * Baseline (same run, same database): one bare aggregation over the events table (`count(*)`,
 * `count(distinct ...)` by profile key), the least any profile build must do; the ratio says how many
 * such scans the 24 models cost.
 *
 * Entry-file knobs: `WAREHOUSE_BENCH_PROFILES` (default 1,000,000), `WAREHOUSE_BENCH_SYNC_ROWS`
 * (default 1,000,000), `WAREHOUSE_BENCH_TARGETS` (`postgres,pglite`).
 */
import { join } from 'node:path';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { createPostgresWarehouse } from '../../adapters/local/postgres-warehouse';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { createSegmentSync } from '../../services/segment-sync/segment-sync';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject } from '../../services/warehouse/project';
import { createSqlRunner, formatFailure } from '../../services/warehouse/runner';
import { startPostgresServer } from '../../test/support/postgres-server';
import { descendantsCpuSeconds, ownCpuSeconds } from '../lib/descendant-cpu';
import { type BenchRow, report } from '../lib/report';

const PROFILES = Number(process.env.WAREHOUSE_BENCH_PROFILES ?? 1_000_000);
const EVENTS = PROFILES * 10;
const SYNC_ROWS = Number(process.env.WAREHOUSE_BENCH_SYNC_ROWS ?? 1_000_000);
const TARGETS = (process.env.WAREHOUSE_BENCH_TARGETS ?? 'postgres,pglite').split(',');
/** `WAREHOUSE_BENCH_PARTS=sync`: only the membership sync (on the PostgreSQL server); default both. */
const PARTS = (process.env.WAREHOUSE_BENCH_PARTS ?? 'build,sync').split(',');
const AS_OF = "'2024-07-01 00:00:00'";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Synthetic lake rows straight into lake.events (generation is not what is measured). */
async function generateEvents(warehouse: Warehouse): Promise<void> {
  await createLakeLoader({ lakeDir: '/nonexistent' }, { warehouse }).prepare();
  await warehouse.query('truncate lake.events');
  await warehouse.query(`
    insert into lake.events (event_id, type, event_name, event_timestamp, received_at, source,
      identity_user_id, identity_anonymous_id, identity_email, properties, traits, context)
    select
      'e' || g,
      case when g % 20 = 0 then 'identify' else 'track' end,
      case when g % 20 = 0 then 'identify' when g % 10 = 3 then 'purchase' when g % 50 = 7 then 'signup' when g % 10 < 8 then 'page_view' else 'add_to_cart' end,
      timestamp '2024-04-01' + ((g::bigint * 7919) % (90 * 86400)) * interval '1 second',
      timestamp '2024-04-01' + ((g::bigint * 7919) % (90 * 86400)) * interval '1 second',
      'web',
      case when g % 20 = 0 and (g % ${PROFILES}) % 2 = 0 then 'u' || (g % ${PROFILES}) end,
      'a' || (g % ${PROFILES}),
      case when g % 20 = 0 and (g % ${PROFILES}) % 2 = 0 then 'p' || (g % ${PROFILES}) || '@example.org' end,
      case when g % 10 = 3 then '{"amount": ' || (g % 300) || '.5}' else '{}' end,
      case when g % 20 = 0 then '{"plan": "p' || (g % 3) || '"}' else '{}' end,
      '{}'
    from generate_series(1, ${EVENTS}) as g`);
  await warehouse.query('analyze lake.events');
}

async function benchTarget(name: string, warehouse: Warehouse, rows: BenchRow[]): Promise<void> {
  if (!PARTS.includes('build')) return;
  const project = await loadProject(join(__dirname, '..', '..', 'sql'));
  let t0 = process.hrtime.bigint();
  await generateEvents(warehouse);
  console.log(`${name}: generated ${EVENTS} events in ${seconds(t0).toFixed(1)} s`);

  t0 = process.hrtime.bigint();
  await warehouse.query(
    'create temp table bench_baseline as select identity_anonymous_id, count(*) as n, count(distinct event_name) as names, max(event_timestamp) as last_seen from lake.events group by identity_anonymous_id',
  );
  const baseline = seconds(t0);

  const runner = createSqlRunner({ vars: { as_of: AS_OF } }, { warehouse, project });
  t0 = process.hrtime.bigint();
  const run = await runner.run();
  const build = seconds(t0);
  if (!run.ok) throw new Error(run.failures.map(formatFailure).join('\n'));
  const slowest = [...run.built].sort((a, b) => b.ms - a.ms).slice(0, 4);
  console.log(
    `${name}: build ${build.toFixed(1)} s; slowest ${slowest.map((m) => `${m.name} ${(m.ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
  const profiles = await warehouse.query('select count(*) as n from analytics.dim_profiles');

  const store = createMemorySegmentStore();
  let emitted = 0;
  const sync = createSegmentSync(
    { batchSize: 5000 },
    {
      warehouse,
      store,
      emit: async (c) => {
        emitted += c.length;
      },
      now: () => new Date(),
    },
  );
  t0 = process.hrtime.bigint();
  const refreshRun = await createSqlRunner(
    { vars: { as_of: "'2024-07-02 00:00:00'" } },
    { warehouse, project },
  ).run();
  const summary = await sync.sync();
  const refresh = seconds(t0);
  if (!refreshRun.ok) throw new Error('refresh build failed');

  rows.push(
    {
      metric: `${name}: model build, ${PROFILES.toLocaleString('en')} profiles / ${EVENTS.toLocaleString('en')} events (s)`,
      value: build,
      unit: 's',
      baseline,
      baselineName: 'one aggregation scan of the events',
      ratio: build / baseline,
      ...(name === 'postgres' ? { target: '< 30 s', met: build < 30 } : {}),
    },
    {
      metric: `${name}: refresh = rebuild + sync of ${summary.entered} memberships (s)`,
      value: refresh,
      unit: 's',
      baseline,
      ratio: refresh / baseline,
    },
    { metric: `${name}: profiles built`, value: Number(profiles.rows[0]?.n), unit: 'profiles' },
  );
  console.log(`${name}: refresh ${refresh.toFixed(1)} s, ${summary.entered} entered, ${emitted} events`);
}

async function benchSync(warehouse: Warehouse, rows: BenchRow[]): Promise<void> {
  if (!PARTS.includes('sync')) return;
  await warehouse.query('drop schema if exists tributary_sync cascade');
  await warehouse.query('create schema if not exists analytics');
  await warehouse.query('drop table if exists analytics.segment_memberships cascade');
  await warehouse.query(
    `create table analytics.segment_memberships as select 'seg-' || (g % 5) as segment_id, 'prof_' || g as profile_id, timestamp '2024-07-01' as computed_at from generate_series(1, ${SYNC_ROWS}) as g`,
  );
  const store = createMemorySegmentStore();
  let emitted = 0;
  const sync = createSegmentSync(
    { batchSize: 10_000 },
    {
      warehouse,
      store,
      emit: async (c) => {
        emitted += c.length;
      },
      now: () => new Date(),
    },
  );
  const cpu = () => ({ node: ownCpuSeconds(), postgres: descendantsCpuSeconds() });
  const cpuSince = (before: ReturnType<typeof cpu>) => {
    const now = cpu();
    return {
      node: now.node - before.node,
      postgres:
        now.postgres === undefined || before.postgres === undefined
          ? undefined
          : now.postgres - before.postgres,
    };
  };
  let cpu0 = cpu();
  let t0 = process.hrtime.bigint();
  const first = await sync.sync();
  const initial = seconds(t0);
  const initialCpu = cpuSince(cpu0);
  // A tenth of the members change: 5 % leave, 5 % join.
  await warehouse.query(
    `delete from analytics.segment_memberships where profile_id like '%0' or profile_id like '%5'`,
  );
  await warehouse.query(
    `insert into analytics.segment_memberships select 'seg-new', 'prof_' || g, timestamp '2024-07-02' from generate_series(1, ${Math.round(SYNC_ROWS / 10)}) as g`,
  );
  cpu0 = cpu();
  t0 = process.hrtime.bigint();
  const second = await sync.sync();
  const incremental = seconds(t0);
  const incrementalCpu = cpuSince(cpu0);
  t0 = process.hrtime.bigint();
  await warehouse.query('select count(*) from analytics.segment_memberships');
  const scan = seconds(t0);
  rows.push(
    {
      metric: `postgres: diff + sync of ${first.entered.toLocaleString('en')} new memberships (s)`,
      value: initial,
      unit: 's',
      baseline: scan,
      baselineName: 'count(*) of the memberships',
      ratio: initial / scan,
      target: '< 10 s',
      met: initial < 10,
    },
    {
      metric: `postgres: diff + sync of ${(second.entered + second.exited).toLocaleString('en')} changes over ${SYNC_ROWS.toLocaleString('en')} memberships (s)`,
      value: incremental,
      unit: 's',
    },
    // CPU time says what the sync costs when other work shares the machine (wall time says the load).
    ...(
      [
        ['new memberships', initialCpu],
        ['changes', incrementalCpu],
      ] as const
    ).flatMap(([what, c]) => [
      { metric: `postgres: sync of the ${what}, Node CPU (s)`, value: c.node, unit: 's' },
      ...(c.postgres === undefined
        ? []
        : [
            {
              metric: `postgres: sync of the ${what}, PostgreSQL server CPU (s)`,
              value: c.postgres,
              unit: 's',
            },
          ]),
    ]),
  );
  console.log(
    `sync: ${initial.toFixed(1)} s initial (${emitted} events; CPU Node ${initialCpu.node.toFixed(1)} s, PostgreSQL ${initialCpu.postgres?.toFixed(1) ?? '?'} s), ${incremental.toFixed(1)} s for ${second.entered} + ${second.exited} (CPU Node ${incrementalCpu.node.toFixed(1)} s, PostgreSQL ${incrementalCpu.postgres?.toFixed(1) ?? '?'} s)`,
  );
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  if (TARGETS.includes('postgres')) {
    const server = await startPostgresServer();
    const warehouse = createPostgresWarehouse({ url: server.url });
    try {
      await benchTarget('postgres', warehouse, rows);
      await benchSync(warehouse, rows);
    } finally {
      await warehouse.close();
      await server.stop();
    }
  }
  if (TARGETS.includes('pglite')) {
    const warehouse = await createPgliteWarehouse();
    try {
      await benchTarget('pglite', warehouse, rows);
    } finally {
      await warehouse.close();
    }
  }
  report({
    title: 'Warehouse: model build, segment refresh and membership sync',
    notes: `${PROFILES.toLocaleString('en')} profiles / ${EVENTS.toLocaleString('en')} events, sync of ${SYNC_ROWS.toLocaleString('en')} memberships; PostgreSQL 15 server started by the bench (fsync off), PGlite in process.`,
    rows,
  });
}

void main();
