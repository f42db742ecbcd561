import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrometheus } from '../../runtime/local/metrics';
import { REPO_ROOT, spawnCdp, startCdpDev, tempDataDir } from '../../test/e2e/support/cdp-dev-process';

jest.setTimeout(120_000);

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return parsePrometheus(text)
    .filter((s) => s.name === name)
    .reduce((sum, s) => sum + s.value, 0);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached in 20 s');
}

describe('cdp dev', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('prints URL, data folder and generated keys, keeps the keys, and resumes after SIGTERM without replaying', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const first = await startCdpDev({ dataDir, env: { CDP_CHECKPOINT_INTERVAL_MS: '200' } });
    try {
      // Act
      const res = await fetch(`${first.url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': first.writeKey },
        body: JSON.stringify({ userId: 'u-1', event: 'Tried Tributary' }),
      });
      await until(async () => (await metric(first.url, 'tributary_events_processed_total')) === 1);
      const code = await first.stop('SIGTERM');
      const second = await startCdpDev({ dataDir });
      try {
        // Assess
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
        expect(code).toBe(0);
        expect(first.output()).toMatch(/SIGTERM received/);
        expect(first.output()).toContain(`data folder  ${dataDir}`);
        expect(first.output()).toMatch(/read key\s+\S+, generated, kept in/);
        expect(second.writeKey).toBe(first.writeKey);
        expect(second.readKey).toBe(first.readKey);
        expect(second.output()).not.toMatch(/generated/);
        expect(second.output()).toMatch(/Restored checkpoint \d+; replaying 0 events/);
        expect(await metric(second.url, 'tributary_events_processed_total')).toBe(0);
        expect(await metric(second.url, 'tributary_shard_end_sequence')).toBe(1);
      } finally {
        await second.kill9();
      }
    } finally {
      await first.kill9();
    }
  });

  it('uses the write keys of CDP_WRITE_KEYS and refuses others; stops on SIGINT with exit code 0', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const dev = await startCdpDev({ dataDir, env: { CDP_WRITE_KEYS: 'k-ios:ios, k-crm:crm' } });
    try {
      const send = (key: string) =>
        fetch(`${dev.url}/v1/identify`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
          },
          body: JSON.stringify({ userId: 'u-1', traits: { email: 'a@b.co' } }),
        });
      // Act
      const good = await send('k-crm');
      const bad = await send('other');
      const code = await dev.stop('SIGINT');
      // Assess
      expect(good.status).toBe(200);
      expect(bad.status).toBe(401);
      expect(dev.output()).not.toMatch(/write key.*generated/);
      expect(code).toBe(0);
    } finally {
      await dev.kill9();
    }
  });

  it.each([
    [{ CDP_WRITE_KEYS: 'no-source-here' }, /CDP_WRITE_KEYS: write key entry .* is not key:source/],
    [{ CDP_SHARDS: 'lots' }, /CDP_SHARDS: must be a number/],
    [{ CDP_DURABILITY: 'maybe' }, /CDP_DURABILITY: .*fsync/],
    [
      { CDP_SEGMENTS_FILE: '/no/such/segments.yaml' },
      /segmentsFile \(CDP_SEGMENTS_FILE, --segments\): cannot read segment definitions \/no\/such\/segments.yaml: ENOENT/,
    ],
  ])('refuses a bad setting %j with a message naming it and exit code 2', async (env, message) => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    // Act
    const run = spawnCdp(['dev'], { PORT: '0', CDP_DATA_DIR: dataDir, ...env });
    const code = await run.exited;
    // Assess
    expect(code).toBe(2);
    expect(run.output()).toMatch(message);
  });

  it('evaluates the real-time segments of --segments instead of the shipped ones, and refuses a bad rule with exit code 2', async () => {
    // Prepare
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const file = join(dataDir, 'segments.yaml');
    writeFileSync(
      file,
      [
        'segments:',
        '  - id: tried-tributary',
        '    name: Tried Tributary',
        '    description: Sent at least one event.',
        '    rule: { field: totalEvents, operator: gte, value: 1 }',
        '',
      ].join('\n'),
    );
    const badFile = join(dataDir, 'bad-segments.json');
    writeFileSync(
      badFile,
      JSON.stringify({
        segments: [{ id: 'sql-mine', name: 'x', rule: { field: 'totalEvents', operator: 'gt', value: 1 } }],
      }),
    );
    const dev = await startCdpDev({ dataDir, args: ['--segments', file] });
    try {
      // Act
      await fetch(`${dev.url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': dev.writeKey },
        body: JSON.stringify({ userId: 'u-1', event: 'Tried Tributary' }),
      });
      const auth = { authorization: `Bearer ${dev.readKey}` };
      let members: unknown[] = [];
      await until(async () => {
        const res = await fetch(`${dev.url}/v1/segments/tried-tributary/members`, { headers: auth });
        members = res.status === 200 ? ((await res.json()) as { items: unknown[] }).items : [];
        return members.length === 1;
      });
      const listed = (await (await fetch(`${dev.url}/v1/segments`, { headers: auth })).json()) as {
        segments: { segmentId: string; source: string }[];
      };
      const bad = spawnCdp(['dev', '--segments', badFile], { PORT: '0', CDP_DATA_DIR: tempDataDir() });
      const badCode = await bad.exited;
      // Assess
      expect(dev.output()).toMatch(/segments\s+1 real-time \(.*segments\.yaml\)/);
      expect(listed.segments.filter((s) => s.source === 'realtime').map((s) => s.segmentId)).toEqual([
        'tried-tributary',
      ]);
      expect(members).toHaveLength(1);
      expect(badCode).toBe(2);
      expect(bad.output()).toMatch(/segmentsFile .*segments\[0\]\.id: must not start with `sql-`/);
    } finally {
      await dev.kill9();
    }
  });

  it('compiles with the build npm start runs first (prestart: tsc -p tsconfig.build.json)', () => {
    // Act
    const build = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noEmit'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    // Assess
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
  });
});
