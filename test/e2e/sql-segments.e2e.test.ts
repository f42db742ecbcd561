import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SegmentList } from '../../services/profile-api/api-schemas';
import { createSeedJourney } from '../fixtures/scenarios/seed-journey';
import { spawnCdp, startCdpDev, tempDataDir } from './support/cdp-dev-process';
import { readLakeTable } from './support/lake-files';
import { profileApiReader } from './support/profile-api-reader';

jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what}: not reached in 60 s`);
}

describe('SQL segments in cdp dev: refresh on request, served next to the real-time ones', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('builds the models from the lake, syncs sql memberships, emits changes, keeps them across kill -9', async () => {
    // Prepare: cdp dev with no schedule (refresh only on request), the seed journey sent and checkpointed
    const dataDir = tempDataDir('cdp-sql-segments-');
    dirs.push(dataDir);
    const env = { CDP_CHECKPOINT_INTERVAL_MS: '300', CDP_SEGMENT_REFRESH_MINUTES: '0' };
    const journey = createSeedJourney();
    const calls = journey.calls;
    let dev = await startCdpDev({ dataDir, env });
    try {
      const sent = await fetch(`${dev.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': dev.writeKey },
        body: JSON.stringify({ batch: calls }),
      });
      expect(sent.status).toBe(200);
      let api = profileApiReader(dev.url, dev.readKey);
      const before = await api.waitForProfile(
        'user_id',
        journey.anchor.value,
        (v) => v.profile.totalEvents === journey.expected.totalEvents && v.segments.length > 0,
      );
      const lakeDir = join(dataDir, 'lake');
      const uniqueEvents = calls.length - journey.duplicateDeliveries;
      await until(() => readLakeTable(lakeDir, 'events').length >= uniqueEvents, 'events in the lake');

      // Act: a write key may not start a refresh; `cdp segments refresh` asks the running process
      const withWriteKey = await fetch(`${dev.url}/v1/admin/segments/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dev.writeKey}` },
      });
      const cli = spawnCdp(['segments', 'refresh'], { CDP_DATA_DIR: dataDir });
      const cliCode = await cli.exited;
      const segments = SegmentList.parse((await api.get('/v1/segments')).json);
      const after = await api.get(`/v1/profiles/${before.profile.profileId}`);
      const again = await fetch(`${dev.url}/v1/admin/segments/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dev.readKey}` },
      });
      const againBody = (await again.json()) as Record<string, unknown>;

      // Assess: both kinds listed with their source; the profile holds both; the change is in the lake
      expect(withWriteKey.status).toBe(401);
      expect(cliCode).toBe(0);
      expect(cli.output()).toMatch(
        /refreshed in cdp dev at http:\/\/\S+: \d+ models built, \d+ new lake rows/,
      );
      expect(cli.output()).toMatch(/sync sync-\S+: \+[1-9]\d* entered, -0 exited/);
      const bySource = (source: string) =>
        segments.segments.filter((s) => s.source === source).map((s) => s.segmentId);
      expect(bySource('realtime')).toContain('high-value-customers');
      expect(bySource('sql')).toContain('sql-high-value-customers');
      expect(segments.segments.find((s) => s.segmentId === 'sql-high-value-customers')?.memberCount).toBe(1);
      expect(after.status).toBe(200);
      const memberships = (after.json as { segments: { segmentId: string; source: string }[] }).segments;
      expect(memberships).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ segmentId: 'high-value-customers', source: 'realtime' }),
          expect.objectContaining({ segmentId: 'sql-high-value-customers', source: 'sql' }),
        ]),
      );
      expect(again.status).toBe(200);
      expect(againBody).toMatchObject({ ok: true, entered: 0, exited: 0 });
      expect(
        readLakeTable(lakeDir, 'segment_changes').filter(
          (r) => r.origin === 'refresh' && r.segment_id === 'sql-high-value-customers',
        ),
      ).toEqual([
        expect.objectContaining({ profile_id: before.profile.profileId, change: 'enter', origin: 'refresh' }),
      ]);

      // Act: kill -9 (perhaps before a checkpoint held the sync), start again
      await dev.kill9();
      dev = await startCdpDev({ dataDir, env });
      api = profileApiReader(dev.url, dev.readKey);

      // Assess: the SQL membership is served again (from the checkpoint or the warehouse's record)
      const restarted = await api.waitForProfile('user_id', journey.anchor.value, (v) =>
        v.segments.some((m) => m.segmentId === 'sql-high-value-customers' && m.source === 'sql'),
      );
      expect(restarted.segments.map((m) => m.source)).toContain('realtime');
      expect(await dev.stop()).toBe(0);
    } finally {
      await dev.kill9();
    }
  });
});
