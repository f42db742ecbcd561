/**
 * Warehouse: full model build and a segment refresh over P profiles / 10·P events, on PGlite and on a
 * real PostgreSQL 15 server, and the membership diff + sync of M rows into the memory SegmentStore.
 * Baseline (same run, same database): one bare aggregation over the events table (`count(*)`,
 * `count(distinct ...)` by profile key), the least any profile build must do; the ratio says how many
 * such scans the 24 models cost.
 *
 * The database's CPU seconds (PostgreSQL: the server's backends and parallel workers, from /proc;
 * PGlite: this process) are reported beside the wall times: other work on a shared machine inflates wall time far more than CPU time.
 *
 * Entry-file knobs: `WAREHOUSE_BENCH_PROFILES` (default 1,000,000), `WAREHOUSE_BENCH_PGLITE_PROFILES`
 * (default 100,000: PGlite is single-threaded and in process), `WAREHOUSE_BENCH_SYNC_ROWS` (default
 * 1,000,000), `WAREHOUSE_BENCH_CONCURRENCY` (default 2), `WAREHOUSE_BENCH_TARGETS` (`postgres,pglite`),
 * `WAREHOUSE_BENCH_PARTS` (`build,refresh,sync`).
 */
import { loadavg } from 'node:os';
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
import { ownCpuSeconds, serverCpuSeconds } from '../lib/process-cpu';
import { type BenchRow, report } from '../lib/report';

const PROFILES = Number(process.env.WAREHOUSE_BENCH_PROFILES ?? 1_000_000);
// PGlite runs single-threaded in this process, about 3x slower than the server: a tenth of the scale
// keeps the whole bench within minutes (it took 173 s at 100,000 profiles before the model work).
const PGLITE_PROFILES = Number(process.env.WAREHOUSE_BENCH_PGLITE_PROFILES ?? Math.min(PROFILES, 100_000));
/** Models built at once on PostgreSQL (`WAREHOUSE_BENCH_CONCURRENCY`, default 2: the machine's cores). */
const MODEL_CONCURRENCY = Number(process.env.WAREHOUSE_BENCH_CONCURRENCY ?? 2);
const SYNC_ROWS = Number(process.env.WAREHOUSE_BENCH_SYNC_ROWS ?? 1_000_000);
const TARGETS = (process.env.WAREHOUSE_BENCH_TARGETS ?? 'postgres,pglite').split(',');
/**
 * `WAREHOUSE_BENCH_PARTS`: `build` (the full build), `refresh` (a second build + the sync of its
 * memberships; needs `build`), `sync` (the membership sync of M rows); default all three.
 */
const PARTS = (process.env.WAREHOUSE_BENCH_PARTS ?? 'build,refresh,sync').split(',');
const AS_OF = "'2024-07-01 00:00:00'";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const load = () => (loadavg()[0] ?? 0).toFixed(1);

/**
 * The server as an analytics warehouse is configured (memory for sorts and hashes, WAL room for
 * building tables of 10M rows without checkpoints in between); JIT off: it compiled for 1 to 2.5 s
 * per model at 1M events (the planner's estimates of the models' CTEs are far too high). Two parallel
 * workers per query (PostgreSQL's default, stated because the models depend on it): most of the build
 * is a chain of models that each wait for the one before, so a model's scans and hash joins use the
 * second core; the Redshift shims are `parallel safe` so that the models calling them get such plans.
 */
const SERVER_SETTINGS = {
  shared_buffers: '1GB',
  work_mem: '256MB',
  maintenance_work_mem: '512MB',
  max_wal_size: '8GB',
  max_parallel_workers_per_gather: '2',
  jit: 'off',
};

/**
 * Text sorts by bytes (Redshift's order; for UTF-8 the same order as the environment's C.UTF-8, so
 * results do not change), which lets PostgreSQL sort on abbreviated keys: the sort of 1M events by
 * profile and time took 1.6 s instead of 4.0 s. Character classes (lower/upper) keep the environment's.
 */
const SERVER_COLLATION = 'C';

/** CPU seconds of the database so far: the server's processes, or this process for PGlite. */
type CpuClock = () => number | undefined;

/** CPU seconds `cpu` counted since `c0` (undefined when either reading is missing). */
function cpuSince(cpu: CpuClock, c0: number | undefined): number | undefined {
  const now = cpu();
  return now === undefined || c0 === undefined ? undefined : now - c0;
}

/** Synthetic lake rows straight into lake.events (generation is not what is measured). */
async function generateEvents(warehouse: Warehouse, profileCount: number): Promise<void> {
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
      case when g % 20 = 0 and (g % ${profileCount}) % 2 = 0 then 'u' || (g % ${profileCount}) end,
      'a' || (g % ${profileCount}),
      case when g % 20 = 0 and (g % ${profileCount}) % 2 = 0 then 'p' || (g % ${profileCount}) || '@example.org' end,
      case when g % 10 = 3 then '{"amount": ' || (g % 300) || '.5}' else '{}' end,
      case when g % 20 = 0 then '{"plan": "p' || (g % 3) || '"}' else '{}' end,
      '{}'
    from generate_series(1, ${profileCount * 10}) as g`);
  await warehouse.query('analyze lake.events');
}

async function benchTarget(
  name: string,
  profileCount: number,
  warehouse: Warehouse,
  cpu: CpuClock,
  rows: BenchRow[],
): Promise<void> {
  if (!PARTS.includes('build')) return;
  const eventCount = profileCount * 10;
  // Independent models at once on the server (its pool has 4 connections); PGlite has one.
  const concurrency = name === 'postgres' ? MODEL_CONCURRENCY : 1;
  const project = await loadProject(join(__dirname, '..', '..', 'sql'));
  let t0 = process.hrtime.bigint();
  await generateEvents(warehouse, profileCount);
  console.log(`${name}: generated ${eventCount} events in ${seconds(t0).toFixed(1)} s (load ${load()})`);

  t0 = process.hrtime.bigint();
  let c0 = cpu();
  await warehouse.query(
    'create temp table bench_baseline as select identity_anonymous_id, count(*) as n, count(distinct event_name) as names, max(event_timestamp) as last_seen from lake.events group by identity_anonymous_id',
  );
  const baseline = seconds(t0);
  const baselineCpu = cpuSince(cpu, c0);

  // Per model: wall time from the runner, database CPU from the clock between two models' log lines
  // (models that overlap share it out unevenly: approximate when concurrency > 1).
  const modelCpu = new Map<string, number>();
  let lastCpu = cpu();
  const runner = createSqlRunner(
    { vars: { as_of: AS_OF }, concurrency },
    {
      warehouse,
      project,
      log: (line) => {
        const built = /^built \S+ [^.]+\.(\S+) /.exec(line);
        const now = cpu();
        if (built && now !== undefined && lastCpu !== undefined)
          modelCpu.set(built[1] as string, now - lastCpu);
        lastCpu = now;
      },
    },
  );
  t0 = process.hrtime.bigint();
  c0 = cpu();
  const run = await runner.run();
  const build = seconds(t0);
  const buildCpu = cpuSince(cpu, c0);
  if (!run.ok) throw new Error(run.failures.map(formatFailure).join('\n'));
  console.log(
    `${name}: build ${build.toFixed(1)} s${buildCpu === undefined ? '' : `, database CPU ${buildCpu.toFixed(1)} s`} (load ${load()}); per model (wall s / database CPU s):`,
  );
  for (const m of [...run.built].sort((a, b) => b.ms - a.ms)) {
    const c = modelCpu.get(m.name);
    console.log(
      `  ${m.name.padEnd(28)} ${(m.ms / 1000).toFixed(2).padStart(7)}${c === undefined ? '' : ` ${c.toFixed(2).padStart(7)}`}`,
    );
  }
  const profiles = await warehouse.query('select count(*) as n from analytics.dim_profiles');
  rows.push(
    {
      metric: `${name}: model build, ${profileCount.toLocaleString('en')} profiles / ${eventCount.toLocaleString('en')} events (s)`,
      value: build,
      unit: 's',
      baseline,
      baselineName: 'one aggregation scan of the events',
      ratio: build / baseline,
      // The target is for the full scale (issue 8); a smaller run is not held to it.
      ...(name === 'postgres' && profileCount >= 1_000_000 ? { target: '< 30 s', met: build < 30 } : {}),
    },
    ...(buildCpu === undefined || baselineCpu === undefined
      ? []
      : [
          {
            metric: `${name}: model build, database CPU (s)`,
            value: buildCpu,
            unit: 's',
            baseline: baselineCpu,
            baselineName: 'database CPU of the aggregation scan',
            ratio: buildCpu / baselineCpu,
          },
        ]),
    { metric: `${name}: profiles built`, value: Number(profiles.rows[0]?.n), unit: 'profiles' },
  );
  if (PARTS.includes('refresh'))
    await benchRefresh(name, warehouse, project, concurrency, cpu, { baseline, baselineCpu }, rows);
}

/** A refresh: the models rebuilt at a later as-of time, then the sync of the memberships it wrote. */
async function benchRefresh(
  name: string,
  warehouse: Warehouse,
  project: Awaited<ReturnType<typeof loadProject>>,
  concurrency: number,
  cpu: CpuClock,
  { baseline, baselineCpu }: { baseline: number; baselineCpu: number | undefined },
  rows: BenchRow[],
): Promise<void> {
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
  const t0 = process.hrtime.bigint();
  const c0 = cpu();
  const refreshRun = await createSqlRunner(
    { vars: { as_of: "'2024-07-02 00:00:00'" }, concurrency },
    { warehouse, project },
  ).run();
  const summary = await sync.sync();
  const refresh = seconds(t0);
  const refreshCpu = cpuSince(cpu, c0);
  if (!refreshRun.ok) throw new Error('refresh build failed');
  rows.push(
    {
      metric: `${name}: refresh = rebuild + sync of ${summary.entered} memberships (s)`,
      value: refresh,
      unit: 's',
      baseline,
      ratio: refresh / baseline,
    },
    ...(refreshCpu === undefined || baselineCpu === undefined
      ? []
      : [
          {
            metric: `${name}: refresh, database CPU (s)`,
            value: refreshCpu,
            unit: 's',
            baseline: baselineCpu,
            ratio: refreshCpu / baselineCpu,
          },
        ]),
  );
  console.log(`${name}: refresh ${refresh.toFixed(1)} s, ${summary.entered} entered, ${emitted} events`);
}

async function benchSync(
  warehouse: Warehouse,
  serverPid: number | undefined,
  rows: BenchRow[],
): Promise<void> {
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
  const cpu = () => ({ node: ownCpuSeconds(), postgres: serverCpuSeconds(serverPid) });
  const bothCpuSince = (before: ReturnType<typeof cpu>) => {
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
  const initialCpu = bothCpuSince(cpu0);
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
  const incrementalCpu = bothCpuSince(cpu0);
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
      // the target is for 1,000,000 rows (issue 8); a smaller run is not held to it
      ...(SYNC_ROWS >= 1_000_000 ? { target: '< 10 s', met: initial < 10 } : {}),
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
  const loadAtStart = load();
  if (TARGETS.includes('postgres')) {
    const server = await startPostgresServer({ collation: SERVER_COLLATION, settings: SERVER_SETTINGS });
    const warehouse = createPostgresWarehouse({ url: server.url });
    try {
      await benchTarget('postgres', PROFILES, warehouse, () => serverCpuSeconds(server.pid), rows);
      await benchSync(warehouse, server.pid, rows);
    } finally {
      await warehouse.close();
      await server.stop();
    }
  }
  if (TARGETS.includes('pglite')) {
    const warehouse = await createPgliteWarehouse();
    try {
      // PGlite runs in this process: its CPU is this process's (the bench's own share is small).
      await benchTarget('pglite', PGLITE_PROFILES, warehouse, ownCpuSeconds, rows);
    } finally {
      await warehouse.close();
    }
  }
  report({
    title: 'Warehouse: model build, segment refresh and membership sync',
    notes: `${PROFILES.toLocaleString('en')} profiles / ${(PROFILES * 10).toLocaleString('en')} events on PostgreSQL${TARGETS.includes('pglite') ? `, ${PGLITE_PROFILES.toLocaleString('en')} / ${(PGLITE_PROFILES * 10).toLocaleString('en')} on PGlite` : ''}; sync of ${SYNC_ROWS.toLocaleString('en')} memberships. PostgreSQL 15 server started by the bench (fsync off; lc_collate=${SERVER_COLLATION}, ${Object.entries(
      SERVER_SETTINGS,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}), ${MODEL_CONCURRENCY} models at a time on PostgreSQL, PGlite in process. 1-minute load average at start / end: ${loadAtStart} / ${load()} (2 cores; wall times suffer above that, CPU less).`,
    rows,
  });
}

void main();
