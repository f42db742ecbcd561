import { ProfileView } from '../../contracts/profile';
import { type RunningApis, startApis, TEST_READ_KEY } from '../../services/profile-api/test/start-apis';
import { WORLD_NOW, world } from '../../services/profile-api/test/world';
import { runCli } from '../test/run-cli';

describe('cdp profile / cdp segments against a listening Profile API', () => {
  let apis: RunningApis;
  let w: Awaited<ReturnType<typeof world>>;
  let conn: string[];

  beforeAll(async () => {
    w = await world();
    apis = await startApis({
      profiles: w.profiles,
      segments: w.segments,
      identities: w.identities,
      clock: () => WORLD_NOW,
    });
    conn = ['--url', apis.url, '--key', TEST_READ_KEY];
  });
  afterAll(async () => {
    await apis.close();
  });

  it('cdp profile get <id> --json prints the ProfileView; a merged-away id gives the survivor', async () => {
    const run = await runCli(['profile', 'get', w.ids.anonId, '--json', ...conn]);
    expect(run.code).toBe(0);
    const view = ProfileView.parse(JSON.parse(run.stdout));
    expect(view.profile.profileId).toBe(w.ids.ann);
    expect(view.mergedFrom).toBe(w.ids.anonId);
  });

  it('cdp profile get --email / --user-id finds the profile (email matched case-insensitively)', async () => {
    const byEmail = await runCli(['profile', 'get', '--email', 'Ann@X.io', ...conn]);
    expect(byEmail.code).toBe(0);
    expect(byEmail.stdout).toContain(`Profile ${w.ids.ann}`);
    expect(byEmail.stdout).toContain('email=ann@x.io');
    expect(byEmail.stdout).toContain('high_value (realtime)');
    expect(byEmail.stdout).toContain('purchase  (web)');
    const byUser = await runCli(['profile', 'get', '--user-id', 'bob', '--json', ...conn]);
    expect(ProfileView.parse(JSON.parse(byUser.stdout)).profile.profileId).toBe(w.ids.bob);
  });

  it('reads the URL and key from the environment when no flag is given', async () => {
    const run = await runCli(['profile', 'get', '--user-id', 'bob', '--json'], {
      CDP_URL: apis.url,
      CDP_READ_KEY: TEST_READ_KEY,
    });
    expect(run.code).toBe(0);
  });

  it('exits 1 with the message when nothing is found, the key is wrong or the CDP is not there', async () => {
    const missing = await runCli(['profile', 'get', '--email', 'nobody@x.io', ...conn]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('no profile has this email');
    const wrongKey = await runCli(['segments', 'list', '--url', apis.url, '--key', 'wrong']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('wrong read key');
    const noSegment = await runCli(['segments', 'members', 'nope', ...conn]);
    expect(noSegment.code).toBe(1);
    const down = await runCli(['segments', 'list', '--url', 'http://127.0.0.1:1', '--key', 'k']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the CDP');
  });

  it('exits 2 on a bad command line, saying why', async () => {
    for (const args of [
      ['profile', 'get', ...conn],
      ['profile', 'get', 'p1', '--email', 'a@b.io', ...conn],
      ['profile', 'get', 'p1', '--url', apis.url],
      ['segments', 'members', ...conn],
      ['segments', 'members', 'vip', '--limit', 'ten', ...conn],
      ['segments', 'list', '--bogus'],
      ['nonsense'],
    ]) {
      const run = await runCli(args, { CDP_READ_KEY: '' });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(/error: /);
    }
    const help = await runCli(['segments', 'members', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
  });

  it('cdp segments list shows real-time and SQL segments; members pages through with --all', async () => {
    const list = await runCli(['segments', 'list', ...conn]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').filter(Boolean)).toEqual([
      'SEGMENT     SOURCE    MEMBERS  DESCRIPTION',
      'churn_risk  sql             2',
      'empty_one   sql             0',
      'high_value  realtime        1  LTV over 100',
    ]);
    const one = await runCli(['segments', 'members', 'churn_risk', '--limit', '1', ...conn]);
    expect(one.stdout.trim().split('\n')).toHaveLength(1);
    expect(one.stderr).toContain('more members: --cursor ');
    const cursor = one.stderr.split('--cursor ')[1]!.trim();
    const rest = await runCli([
      'segments',
      'members',
      'churn_risk',
      '--limit',
      '1',
      '--cursor',
      cursor,
      ...conn,
    ]);
    const all = await runCli([
      'segments',
      'members',
      'churn_risk',
      '--limit',
      '1',
      '--all',
      '--json',
      ...conn,
    ]);
    expect(all.code).toBe(0);
    const members = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).profileId);
    expect(members.sort()).toEqual([w.ids.ann, w.ids.bob].sort());
    expect([one.stdout, rest.stdout].map((s) => s.split('\t')[0]).sort()).toEqual(members.sort());
  });
});
