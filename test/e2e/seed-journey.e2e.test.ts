import { Analytics } from '@segment/analytics-node';
import { ProfileView } from '../../contracts/profile';
import {
  EventsPage,
  IdentitiesResponse,
  MembersPage,
  SegmentList,
} from '../../services/profile-api/api-schemas';
import { createSeedJourney, type SegmentCall } from '../fixtures/scenarios/seed-journey';
import { type CdpDevProcess, spawnCdp, startCdpDev } from './support/cdp-dev-process';
import { profileApiReader } from './support/profile-api-reader';

jest.setTimeout(240_000);

const MINUTE = 60_000;

/** Sends one scenario call through the Segment Node SDK, as an app would. */
function sendThroughSdk(analytics: Analytics, call: SegmentCall): void {
  const { type, ...rest } = call;
  const params = rest as Record<string, unknown> & { messageId: string; timestamp: string };
  switch (type) {
    case 'page':
      analytics.page(params as Parameters<Analytics['page']>[0]);
      return;
    case 'track':
      analytics.track(params as Parameters<Analytics['track']>[0]);
      return;
    case 'identify':
      analytics.identify(params as Parameters<Analytics['identify']>[0]);
      return;
    default:
      throw new Error(`the seed journey has no ${type} call`);
  }
}

/** Runs `cdp <args>` as a child process; resolves with its exit code and output. */
async function cdp(args: readonly string[], env: Record<string, string> = {}) {
  const run = spawnCdp(args, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

const near = (iso: string, expected: string) => Math.abs(Date.parse(iso) - Date.parse(expected)) < MINUTE;

describe('the seed journey through a real cdp dev process', () => {
  let dev: CdpDevProcess;
  const journey = createSeedJourney();
  const userId = journey.anchor.value;
  let api: ReturnType<typeof profileApiReader>;
  let view: ProfileView;

  beforeAll(async () => {
    // Prepare: cdp dev on a free port, its own data folder
    dev = await startCdpDev({ env: { CDP_CHECKPOINT_INTERVAL_MS: '1000' } });
    api = profileApiReader(dev.url, dev.readKey);
    // Act: the journey through the Segment SDK (its retry of seed-08 included)
    const analytics = new Analytics({ writeKey: dev.writeKey, host: dev.url, flushAt: 5, maxRetries: 3 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    for (const call of journey.calls) sendThroughSdk(analytics, call);
    await analytics.closeAndFlush({ timeout: 30_000 });
    expect(errors).toEqual([]);
    view = await api.waitForProfile(
      'user_id',
      userId,
      (v) =>
        v.profile.totalEvents === journey.expected.totalEvents &&
        v.segments.length >= journey.expectedSegmentsAt(Date.now()).length,
    );
  });
  afterAll(async () => {
    expect(await dev?.stop()).toBe(0);
  });

  it('lands in one profile with the right counters, identifiers and segments', () => {
    const e = journey.expected;
    expect(view.mergedFrom).toBeUndefined();
    expect(view.profile).toMatchObject({
      totalEvents: e.totalEvents,
      totalPageViews: e.totalPageViews,
      totalPurchases: e.totalPurchases,
      lifetimeValue: e.lifetimeValue,
      eventCounts: e.eventCounts,
      traits: expect.objectContaining(e.traits),
      lastPage: { url: e.lastPage.url, path: e.lastPage.path, title: e.lastPage.title },
      signup: { properties: e.signup.properties },
    });
    // event times carry the SDK's clock-skew correction (a few ms on one machine)
    expect(near(view.profile.firstSeen, e.firstSeen)).toBe(true);
    expect(near(view.profile.lastSeen, e.lastSeen)).toBe(true);
    expect(view.profile.daysSinceLastVisit).toBe(
      Math.floor((Date.now() - Date.parse(e.lastSeen)) / 86_400_000),
    );
    expect(view.profile.last7Days).toEqual({ purchases: 4, revenue: e.lifetimeValue, pageViews: 5 });
    expect(
      [...view.profile.identifiers].sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1)),
    ).toEqual(journey.identifiers);
    expect(view.segments.map((s) => s.segmentId).sort()).toEqual(
      journey.expectedSegmentsAt(Date.now()).sort(),
    );
    expect(view.segments.every((s) => s.source === 'realtime')).toBe(true);
    expect(view.recentActivity.map((a) => a.eventId)).toEqual(
      journey.calls
        .slice(0, 12)
        .map((c) => c.messageId)
        .reverse(),
    );
  });

  it('answers every lookup route with a 302 to that profile, the e-mail matched case-insensitively', async () => {
    for (const [type, value] of [
      ['user_id', userId],
      ['email', 'Ann.Lee@Example.ORG'],
      ['anonymous_id', 'anon-laptop-7f3a'],
      ['anonymous_id', 'anon-phone-19c2'],
    ] as const) {
      const res = await api.get(`/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value)}`);
      expect({ type, status: res.status, location: res.location }).toEqual({
        type,
        status: 302,
        location: `/v1/profiles/${view.profile.profileId}`,
      });
    }
    expect((await api.get('/v1/profiles/lookup?type=email&value=nobody@example.org')).status).toBe(404);
    expect((await api.get(`/v1/profiles/${view.profile.profileId}`, null)).status).toBe(401);
    expect(
      (await api.get(`/v1/profiles/${view.profile.profileId}`, 'Bearer wrong-key-0123456789')).status,
    ).toBe(401);
    expect((await api.get(`/v1/profiles/${view.profile.profileId}/events?limit=0`)).status).toBe(400);
  });

  it('explains the identities with their merges, and answers merged-away ids with the survivor', async () => {
    const res = await api.get(`/v1/profiles/${view.profile.profileId}/identities`);
    expect(res.status).toBe(200);
    const body = IdentitiesResponse.parse(res.json);
    expect(
      body.identities.map((i) => i.identifier).sort((a, b) => (a.type + a.value < b.type + b.value ? -1 : 1)),
    ).toEqual(journey.identifiers);
    expect(body.identities.find((i) => i.anchor)?.identifier).toEqual(journey.anchor);
    expect(body.merges.length).toBeGreaterThan(0);
    for (const i of body.identities.filter((x) => !x.anchor)) expect(i.joinedBy).toBeDefined();
    const oldIds = [...new Set(body.merges.flatMap((m) => m.from))];
    for (const old of oldIds) {
      const merged = await api.get(`/v1/profiles/${old}`);
      expect(merged.status).toBe(200);
      const survivor = ProfileView.parse(merged.json);
      expect(survivor.profile.profileId).toBe(view.profile.profileId);
      expect(survivor.mergedFrom).toBe(old);
    }
  });

  it('pages through the timeline, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.get(
        `/v1/profiles/${view.profile.profileId}/events?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = EventsPage.parse(res.json);
      seen.push(...page.items.map((i) => i.eventId));
      cursor = page.nextCursor;
    } while (cursor !== undefined && seen.length < 100);
    expect(seen).toEqual(
      journey.calls
        .slice(0, 12)
        .map((c) => c.messageId)
        .reverse(),
    );
  });

  it('lists the segments with their source and the profile among the members', async () => {
    const list = SegmentList.parse((await api.get('/v1/segments')).json);
    const expected = journey.expectedSegmentsAt(Date.now());
    for (const id of expected) {
      expect(list.segments.find((s) => s.segmentId === id)).toMatchObject({
        source: 'realtime',
        memberCount: 1,
      });
      const members = MembersPage.parse((await api.get(`/v1/segments/${id}/members`)).json);
      expect(members.items.map((m) => m.profileId)).toEqual([view.profile.profileId]);
    }
  });

  it('shows the same through the CLI', async () => {
    const conn = ['--url', dev.url, '--key', dev.readKey];
    const byEmail = await cdp(['profile', 'get', '--email', 'ANN.LEE@example.org', '--json', ...conn]);
    expect(byEmail.code).toBe(0);
    const fromCli = ProfileView.parse(JSON.parse(byEmail.output));
    expect(fromCli.profile).toMatchObject({
      profileId: view.profile.profileId,
      totalEvents: journey.expected.totalEvents,
      lifetimeValue: journey.expected.lifetimeValue,
    });
    const human = await cdp(['profile', 'get', view.profile.profileId], {
      CDP_URL: dev.url,
      CDP_READ_KEY: dev.readKey,
    });
    expect(human.code).toBe(0);
    expect(human.output).toContain(`user_id=${userId}`);
    const list = await cdp(['segments', 'list', ...conn]);
    expect(list.code).toBe(0);
    for (const id of journey.expectedSegmentsAt(Date.now()))
      expect(list.output).toMatch(new RegExp(`${id}\\s+realtime\\s+1`));
    const members = await cdp(['segments', 'members', 'high-value-customers', ...conn]);
    expect(members).toMatchObject({ code: 0 });
    expect(members.output.trim().split('\t')[0]).toBe(view.profile.profileId);
    // no --url / --key: found through the data folder of the running cdp dev
    const local = await cdp(['profile', 'get', '--user-id', userId, '--json'], { CDP_DATA_DIR: dev.dataDir });
    expect(local.code).toBe(0);
    expect(ProfileView.parse(JSON.parse(local.output)).profile.profileId).toBe(view.profile.profileId);
    const missing = await cdp(['profile', 'get', '--user-id', 'nobody', ...conn]);
    expect(missing.code).toBe(1);
    const usage = await cdp(['profile', 'get', ...conn]);
    expect(usage.code).toBe(2);
  });

  it('takes generated journeys from cdp send --count, every call accepted', async () => {
    const run = await cdp(['send', '--count', '300', '--seed', '11', '--no-progress'], {
      CDP_DATA_DIR: dev.dataDir,
    });
    expect(run.code).toBe(0);
    const m = /sent (\d+) calls: (\d+) accepted, 0 rejected/.exec(run.output);
    expect(Number(m?.[1])).toBeGreaterThan(200);
    expect(m?.[2]).toBe(m?.[1]);
  });
});
