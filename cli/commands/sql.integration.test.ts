import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventsByDay } from '../../test/support/lake-files';
import { JOURNEY_AS_OF, journeyEvents } from '../../test/support/warehouse-journey';
import { buildCli } from '../main';

jest.setTimeout(180_000);

const SQL_DIR = join(__dirname, '..', '..', 'sql');

async function cdp(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  process.exitCode = 0;
  try {
    await buildCli().parseAsync(['node', 'cdp', ...args]);
    return { code: Number(process.exitCode ?? 0), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = 0;
  }
}

describe('cdp sql / cdp segments refresh on the embedded warehouse (PGlite files in the data folder)', () => {
  let data: string;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'tributary-data-'));
    await writeEventsByDay(join(data, 'lake'), journeyEvents());
  });

  test('run, test and refresh report what they did', async () => {
    // Act
    const run = await cdp([
      'sql',
      'run',
      '--data',
      data,
      '--project',
      SQL_DIR,
      '--as-of',
      `${JOURNEY_AS_OF}Z`,
      '--concurrency',
      '2',
    ]);
    const test = await cdp(['sql', 'test', '--data', data, '--project', SQL_DIR]);
    const refresh = await cdp([
      'segments',
      'refresh',
      '--data',
      data,
      '--project',
      SQL_DIR,
      '--as-of',
      `${JOURNEY_AS_OF}Z`,
    ]);

    // Assess
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/lake: \d+ new files, 37 rows, 0 unreadable lines/);
    expect(run.out).toMatch(/24 models built/);
    expect(run.out).toContain('PGlite has one connection: building one model at a time');
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/\n\d+ passed, 0 failed$/);
    expect(refresh.out).toContain('sql-high-value-customers: +1 entered, -0 exited');
  });

  test('bad flags exit 2 with the reason; non-portable SQL exits 1 naming file and line', async () => {
    // Prepare
    const project = await mkdtemp(join(tmpdir(), 'tributary-sql-'));
    await cp(SQL_DIR, project, { recursive: true });
    await writeFile(
      join(project, 'models', 'marts', 'names.sql'),
      "select\n  string_agg(profile_id, ',') as ids\nfrom {{ ref('dim_profiles') }}\n",
    );

    // Act
    const badTime = await cdp(['sql', 'run', '--data', data, '--as-of', 'yesterday']);
    const badTarget = await cdp(['sql', 'run', '--data', data, '--target', 'oracle']);
    const badConcurrency = await cdp(['segments', 'refresh', '--data', data, '--concurrency', 'two']);
    const check = await cdp(['sql', 'check', '--project', project]);

    // Assess
    expect(badTime).toMatchObject({ code: 2, err: '--as-of must be an ISO-8601 time, got "yesterday"' });
    expect(badTarget.code).toBe(2);
    expect(badConcurrency).toMatchObject({
      code: 2,
      err: '--concurrency must be a whole number from 1 to 32, got "two"',
    });
    expect(check.code).toBe(1);
    expect(check.err).toContain('models/marts/names.sql:2 model names: not portable: string_agg');
  });

  test('cdp parity: zero differences on the seed journey; a bad events file exits 2 with its line', async () => {
    // Prepare
    const bad = join(data, 'bad-events.jsonl');
    await writeFile(bad, '{"eventId": "x"}\n');

    // Act
    const seed = await cdp(['parity', '--project', SQL_DIR, '--now', '2026-11-20T12:00:00Z']);
    const refused = await cdp(['parity', '--events', bad]);

    // Assess
    expect(seed).toMatchObject({ code: 0, err: '' });
    expect(seed.out).toContain('13 events, 1 processor profiles, 1 warehouse profiles, 0 differences');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/bad-events\.jsonl:1: /);
  });
});
