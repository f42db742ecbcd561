import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject } from '../../services/warehouse/project';
import { createSqlRunner, formatFailure } from '../../services/warehouse/runner';
import { canonicalEvent, writeEventsByDay, writeLakeFile } from './lake-files';
import { JOURNEY_AS_OF, journeyEvents, profileIdOf } from './warehouse-journey';

const SQL_DIR = join(__dirname, '..', '..', 'sql');
const asOf = (t: string) => ({ as_of: `'${t}'` });

/** The same model tests on any warehouse (PGlite, a real PostgreSQL server). */
export function warehouseModelSuite(
  makeWarehouse: () => Promise<Warehouse>,
  options: { readonly concurrency?: number } = {},
): void {
  let warehouse: Warehouse;
  let lakeDir: string;

  beforeAll(async () => {
    warehouse = await makeWarehouse();
    lakeDir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
    await writeEventsByDay(lakeDir, journeyEvents());
    // The same event delivered twice (a retried Firehose put): counted once.
    const again = journeyEvents().filter((e) => e.eventId === 'ann-buy-0');
    await writeLakeFile(lakeDir, 'events', '2024-06-10', 'retry.json.gz', again);
  });

  afterAll(async () => {
    await warehouse?.close();
  });

  test('every model builds and every data test passes on the journey', async () => {
    // Prepare
    const project = await loadProject(SQL_DIR);
    const loaded = await createLakeLoader({ lakeDir }, { warehouse }).load();
    const runner = createSqlRunner({ vars: asOf(JOURNEY_AS_OF) }, { warehouse, project });

    // Act
    const run = await runner.run();
    const tests = await runner.test();

    // Assess
    expect(loaded.badLines).toEqual([]);
    expect(run.ok ? [] : run.failures.map(formatFailure)).toEqual([]);
    expect(run.ok && run.built.map((b) => b.name).sort()).toEqual(project.models.map((m) => m.name).sort());
    expect(
      tests.ok ? [] : [...tests.failures.map(formatFailure), ...tests.results.filter((r) => r.failures > 0)],
    ).toEqual([]);
    expect(tests.results.length).toBeGreaterThan(60);
  });

  test('every model has exactly the columns its schema yml documents, in order', async () => {
    // Prepare
    const project = await loadProject(SQL_DIR);

    // Act
    const r = await warehouse.query(
      "select table_name, column_name from information_schema.columns where table_schema = 'analytics' order by table_name, ordinal_position",
    );

    // Assess
    const actual = new Map<string, string[]>();
    for (const row of r.rows)
      actual.set(String(row.table_name), [
        ...(actual.get(String(row.table_name)) ?? []),
        String(row.column_name),
      ]);
    for (const m of project.models) {
      expect({ model: m.name, columns: actual.get(m.name) }).toEqual({
        model: m.name,
        columns: m.doc?.columns.map((c) => c.name),
      });
    }
  });

  test('profiles follow the identity rules and count every event once', async () => {
    // Act
    const r = await warehouse.query(
      'select profile_id, user_id, email, name, plan, total_events, total_page_views, total_purchases, lifetime_value, session_count, first_seen, last_seen from analytics.dim_profiles order by profile_id',
    );

    // Assess
    const byId = new Map(r.rows.map((row) => [row.profile_id, row]));
    expect(byId.get(profileIdOf('user_id:u1'))).toEqual({
      profile_id: profileIdOf('user_id:u1'),
      user_id: 'u1',
      email: 'ann@example.org',
      name: 'Ann',
      plan: 'pro',
      total_events: 9,
      total_page_views: 2,
      total_purchases: 4,
      lifetime_value: 800,
      session_count: 6,
      first_seen: '2024-05-01T10:00:00.000Z',
      last_seen: '2024-06-13T12:00:00.000Z',
    });
    expect(byId.get(profileIdOf('user_id:u3'))).toMatchObject({
      total_events: 2,
      total_purchases: 1,
      lifetime_value: 50,
    });
    expect(byId.get(profileIdOf('anonymous_id:bob-laptop'))).toMatchObject({
      total_page_views: 25,
      session_count: 1,
    });
    // "null" and test@ are blocked: the junk event belongs to its device alone.
    expect(byId.get(profileIdOf('anonymous_id:junk-device'))).toMatchObject({
      user_id: null,
      total_events: 1,
    });
    expect(r.rows).toHaveLength(4);
  });

  test('segment memberships hold exactly the expected profiles', async () => {
    // Act
    const r = await warehouse.query(
      'select segment_id, profile_id from analytics.segment_memberships order by segment_id, profile_id',
    );

    // Assess
    const members = r.rows.map((row) => `${row.segment_id} ${row.profile_id}`);
    expect(members).toEqual(
      expect.arrayContaining([
        `sql-high-value-customers ${profileIdOf('user_id:u1')}`,
        `sql-engaged-non-buyers ${profileIdOf('anonymous_id:bob-laptop')}`,
        `sql-at-risk-churners ${profileIdOf('user_id:u3')}`,
      ]),
    );
    expect(members.filter((m) => m.startsWith('sql-'))).toHaveLength(3);
  });

  test('new lake files load incrementally and a refresh merges the size history', async () => {
    // Prepare: Bob buys; a later refresh.
    const loader = createLakeLoader({ lakeDir }, { warehouse });
    const bobBuys = canonicalEvent({
      eventId: 'bob-buy',
      eventName: 'purchase',
      timestamp: '2024-06-29T10:00:00.000Z',
      identity: { anonymousId: 'bob-laptop' },
      properties: { amount: 30 },
    });
    await writeEventsByDay(lakeDir, [bobBuys]);
    const runner = createSqlRunner(
      { vars: asOf('2024-07-01 00:00:00') },
      { warehouse, project: await loadProject(SQL_DIR) },
    );

    // Act
    const loaded = await loader.load();
    const run = await runner.run();
    const history = await warehouse.query(
      "select cast(computed_at as varchar) as computed_at, members from analytics.segment_size_history where segment_id = 'sql-engaged-non-buyers' order by computed_at",
    );
    const engaged = await warehouse.query(
      "select count(*) as n from analytics.segment_memberships where segment_id = 'sql-engaged-non-buyers'",
    );

    // Assess
    expect(loaded.files).toBe(1);
    expect(loaded.rows).toBe(1);
    expect(run.ok && run.built.find((b) => b.name === 'segment_size_history')?.mode).toBe('merged');
    expect(history.rows.map((h) => h.members)).toEqual([1]);
    expect(engaged.rows[0]?.n).toBe(0);
  });

  // PostgreSQL servers only: PGlite has one connection, so its runs keep one model at a time.
  const concurrency = options.concurrency ?? 1;
  if (concurrency > 1)
    test(`models built ${concurrency} at a time give the same tables as one at a time`, async () => {
      // Prepare
      const project = await loadProject(SQL_DIR);
      await createLakeLoader({ lakeDir }, { warehouse }).load();
      const build = (schema: string, n: number) =>
        createSqlRunner({ vars: asOf(JOURNEY_AS_OF), schema, concurrency: n }, { warehouse, project }).run();

      // Act
      const serial = await build('one_at_a_time', 1);
      const parallel = await build('several_at_a_time', concurrency);

      // Assess
      expect(serial.ok ? [] : serial.failures.map(formatFailure)).toEqual([]);
      expect(parallel.ok ? [] : parallel.failures.map(formatFailure)).toEqual([]);
      expect(parallel.built.map((b) => b.name).sort()).toEqual(project.models.map((m) => m.name).sort());
      const differing: string[] = [];
      for (const m of project.models) {
        const r = await warehouse.query(
          `select (select count(*) from (select * from one_at_a_time.${m.name} except all select * from several_at_a_time.${m.name}) a)
            + (select count(*) from (select * from several_at_a_time.${m.name} except all select * from one_at_a_time.${m.name}) b) as n`,
        );
        if (Number(r.rows[0]?.n) !== 0) differing.push(m.name);
      }
      expect(differing).toEqual([]);
    });

  test('a failing model is named with its file, line and the database message', async () => {
    // Prepare: a copy of the project with a model that reads a column that does not exist, on line 4.
    const dir = await mkdtemp(join(tmpdir(), 'tributary-sql-'));
    await cp(SQL_DIR, dir, { recursive: true });
    await writeFile(
      join(dir, 'models', 'marts', 'broken_model.sql'),
      "-- reads a column that is not there\nselect\n  profile_id,\n  no_such_column\nfrom {{ ref('dim_profiles') }}\n",
    );
    const runner = createSqlRunner(
      { vars: asOf(JOURNEY_AS_OF), schema: 'broken' },
      { warehouse, project: await loadProject(dir) },
    );

    // Act
    const run = await runner.run();

    // Assess
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.reason).toBe('database');
    expect(formatFailure(run.failures[0] as never)).toMatch(
      /^models\/marts\/broken_model\.sql:4 model broken_model: .*no_such_column/,
    );
  });
}
