import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { ProfileView } from '../../contracts/profile';
import { EventsPage, IdentitiesResponse, MembersPage, SegmentList } from './api-schemas';
import { createProfileApi } from './create-profile-api';
import { get } from './test/http-get';
import { TEST_READ_KEY as READ_KEY, startApis, TEST_WRITE_KEY } from './test/start-apis';
import { WORLD_NOW as NOW, world } from './test/world';

const AUTH = `Bearer ${READ_KEY}`;

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe.each([
  ['through the port (copies)', false],
  ["with the embedded store's zero-copy serving reads", true],
])('Profile API against a listening server, %s', (_reads, zeroCopy) => {
  let app: FastifyInstance;
  let url: string;
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world();
    app = createProfileApi(
      { readKey: READ_KEY },
      {
        profiles: w.profiles,
        segments: w.segments,
        identities: w.identities,
        clock: () => NOW,
        ...(zeroCopy ? { servingReads: w.profiles } : {}),
      },
    );
    url = await listen(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 401 without a read key or with a wrong one, on every route', async () => {
    for (const path of [
      `/v1/profiles/${w.ids.ann}`,
      '/v1/profiles/lookup?type=email&value=ann@x.io',
      `/v1/profiles/${w.ids.ann}/identities`,
      `/v1/profiles/${w.ids.ann}/events`,
      '/v1/segments',
      '/v1/segments/high_value/members',
    ]) {
      for (const authorization of [
        undefined,
        'Bearer wrong-key',
        `Basic ${READ_KEY}`,
        `Bearer ${READ_KEY}x`,
      ]) {
        const res = await get(url + path, authorization);
        expect({ path, status: res.status, error: (res.json as { error?: string }).error }).toEqual({
          path,
          status: 401,
          error: 'unauthorized',
        });
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
  });

  it('serves a profile as a ProfileView: counters, figures relative to now, identifiers, segments, activity', async () => {
    // Act
    const res = await get(`${url}/v1/profiles/${w.ids.ann}`, AUTH);
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const view = ProfileView.parse(res.json);
    expect(view.mergedFrom).toBeUndefined();
    expect(view.profile).toMatchObject({
      profileId: w.ids.ann,
      traits: { email: 'ann@x.io', plan: 'pro' },
      totalEvents: 5,
      lifetimeValue: 120.5,
      daysSinceLastVisit: 1,
      last7Days: { purchases: 1, revenue: 40.5, pageViews: 3 },
      last30Days: { purchases: 1, revenue: 40.5, pageViews: 3 },
      last90Days: { purchases: 2, revenue: 120.5, pageViews: 3 },
      today: { events: 0, purchases: 0, revenue: 0, pageViews: 0 },
      sessions: { count: 2, averageDurationMs: 300_000 },
    });
    expect(view.profile.identifiers).toEqual([
      { type: 'anonymous_id', value: 'anon-1' },
      { type: 'email', value: 'ann@x.io' },
      { type: 'phone', value: '+14155552671' },
      { type: 'user_id', value: 'u-1' },
    ]);
    expect(view.segments.map((s) => [s.segmentId, s.source])).toEqual([
      ['churn_risk', 'sql'],
      ['high_value', 'realtime'],
    ]);
    expect(view.recentActivity.map((a) => a.eventId)).toEqual(['ev-4', 'ev-3', 'ev-2', 'ev-1', 'ev-0']);
  });

  it('answers a merged-away id with the survivor and says so, following a chain of redirects', async () => {
    for (const old of [w.ids.anonId, w.ids.emailId]) {
      const res = await get(`${url}/v1/profiles/${old}`, AUTH);
      expect(res.status).toBe(200);
      const view = ProfileView.parse(res.json);
      expect(view.profile.profileId).toBe(w.ids.ann);
      expect(view.mergedFrom).toBe(old);
    }
  });

  it('looks up by any identifier, normalized as on ingest, with a 302 to the profile', async () => {
    for (const [type, value] of [
      ['email', '  ANN@X.io '],
      ['user_id', 'u-1'],
      ['anonymous_id', 'anon-1'],
      ['phone', '+1 415-555-2671'],
    ]) {
      const res = await get(
        `${url}/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value!)}`,
        AUTH,
      );
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/v1/profiles/${w.ids.ann}`);
      expect(res.json).toEqual({ profileId: w.ids.ann, location: `/v1/profiles/${w.ids.ann}` });
    }
    // a client that follows the redirect (same origin keeps the Authorization header) lands on the profile
    const followed = await fetch(`${url}/v1/profiles/lookup?type=user_id&value=bob`, {
      headers: { authorization: AUTH },
    });
    expect(followed.status).toBe(200);
    expect(ProfileView.parse(await followed.json()).profile.profileId).toBe(w.ids.bob);
  });

  it('answers 404 with a message for an unknown identifier or profile, and never echoes the value', async () => {
    const unknown = await get(`${url}/v1/profiles/lookup?type=email&value=nobody@x.io`, AUTH);
    expect(unknown).toMatchObject({
      status: 404,
      json: { error: 'not_found', message: 'no profile has this email' },
    });
    const custom = await get(`${url}/v1/profiles/lookup?type=crm_id&value=C-1`, AUTH);
    expect(custom.status).toBe(404);
    for (const path of [
      '/v1/profiles/prof_nope',
      '/v1/profiles/prof_nope/identities',
      '/v1/profiles/prof_nope/events',
    ]) {
      const res = await get(url + path, AUTH);
      expect(res).toMatchObject({
        status: 404,
        json: { error: 'not_found', message: 'no profile prof_nope' },
      });
    }
    expect(await get(`${url}/v1/segments/nope/members`, AUTH)).toMatchObject({
      status: 404,
      json: { error: 'not_found', message: 'no segment nope' },
    });
  });

  it('answers 400 with the field and the reason for bad parameters', async () => {
    const cases: [string, string, string][] = [
      ['/v1/profiles/lookup?value=a@b.io', 'query.type', 'required'],
      ['/v1/profiles/lookup?type=email', 'query.value', 'required'],
      ['/v1/profiles/lookup?type=email&value=nope', 'query.value', 'not an email address'],
      ['/v1/profiles/lookup?type=phone&value=12', 'query.value', 'E.164'],
      ['/v1/profiles/lookup?type=Not%20A%20Type&value=x', 'query.type', 'snake_case'],
      ['/v1/profiles/lookup?type=email&type=phone&value=a@b.io', 'query.type', 'string'],
      [`/v1/profiles/${w.ids.ann}/events?limit=0`, 'query.limit', 'at least 1'],
      [`/v1/profiles/${w.ids.ann}/events?limit=1001`, 'query.limit', 'at most 1000'],
      [`/v1/profiles/${w.ids.ann}/events?limit=ten`, 'query.limit', 'whole number'],
      [`/v1/profiles/${w.ids.ann}/events?limit=1.5`, 'query.limit', 'whole number'],
      [`/v1/profiles/${w.ids.ann}/events?cursor=made-up`, 'query.cursor', 'not a cursor'],
      ['/v1/segments/churn_risk/members?limit=-1', 'query.limit', 'at least 1'],
      ['/v1/segments/churn_risk/members?cursor=', 'query.cursor', 'empty'],
    ];
    for (const [path, field, reason] of cases) {
      const res = await get(url + path, AUTH);
      const body = res.json as {
        error: string;
        message: string;
        errors: { path: string; message: string }[];
      };
      expect({ path, status: res.status, error: body.error }).toEqual({
        path,
        status: 400,
        error: 'invalid_parameter',
      });
      expect(body.errors).toEqual(
        expect.arrayContaining([{ path: field, message: expect.stringContaining(reason) }]),
      );
      expect(body.message).toContain(field);
    }
  });

  it("pages through a profile's events, newest first, with cursors bound to the profile", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(
        `${url}/v1/profiles/${w.ids.ann}/events?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        AUTH,
      );
      expect(res.status).toBe(200);
      const page = EventsPage.parse(res.json);
      seen.push(...page.items.map((i) => i.eventId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual(['ev-4', 'ev-3', 'ev-2', 'ev-1', 'ev-0']);
    expect(pages).toBe(3);

    const first = EventsPage.parse((await get(`${url}/v1/profiles/${w.ids.ann}/events?limit=2`, AUTH)).json);
    const foreign = await get(
      `${url}/v1/profiles/${w.ids.bob}/events?cursor=${encodeURIComponent(first.nextCursor!)}`,
      AUTH,
    );
    expect(foreign.status).toBe(400);
    // a merged-away id pages the survivor's timeline, and its cursors work with the live id
    const viaOld = EventsPage.parse(
      (await get(`${url}/v1/profiles/${w.ids.anonId}/events?limit=2`, AUTH)).json,
    );
    expect(viaOld).toMatchObject({ profileId: w.ids.ann, mergedFrom: w.ids.anonId });
    const next = await get(
      `${url}/v1/profiles/${w.ids.ann}/events?limit=2&cursor=${encodeURIComponent(viaOld.nextCursor!)}`,
      AUTH,
    );
    expect(EventsPage.parse(next.json).items.map((i) => i.eventId)).toEqual(['ev-2', 'ev-1']);
  });

  it('lists each identifier with the link and merge that brought it in', async () => {
    const res = await get(`${url}/v1/profiles/${w.ids.emailId}/identities`, AUTH);
    expect(res.status).toBe(200);
    const body = IdentitiesResponse.parse(res.json);
    expect(body.profileId).toBe(w.ids.ann);
    expect(body.mergedFrom).toBe(w.ids.emailId);
    expect(
      body.identities.map((i) => [i.identifier.type, i.anchor, i.joinedBy?.eventId, i.merge?.cause.eventId]),
    ).toEqual([
      ['anonymous_id', false, 'e3', 'e3'],
      ['email', false, 'e3', 'e3'],
      ['phone', false, 'e3', 'e3'],
      ['user_id', true, undefined, undefined],
    ]);
    expect(body.merges.map((m) => m.cause.eventId)).toEqual(['e2', 'e3']);
  });

  it('lists real-time and SQL segments side by side, and pages through members', async () => {
    const list = SegmentList.parse((await get(`${url}/v1/segments`, AUTH)).json);
    expect(list.segments).toEqual([
      { segmentId: 'churn_risk', source: 'sql', memberCount: 2 },
      { segmentId: 'empty_one', source: 'sql', memberCount: 0 },
      { segmentId: 'high_value', source: 'realtime', description: 'LTV over 100', memberCount: 1 },
    ]);
    const first = MembersPage.parse((await get(`${url}/v1/segments/churn_risk/members?limit=1`, AUTH)).json);
    expect(first.items).toHaveLength(1);
    expect(first.source).toBe('sql');
    const second = MembersPage.parse(
      (
        await get(
          `${url}/v1/segments/churn_risk/members?limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`,
          AUTH,
        )
      ).json,
    );
    expect(second.nextCursor).toBeUndefined();
    expect([...first.items, ...second.items].map((m) => m.profileId).sort()).toEqual(
      [w.ids.ann, w.ids.bob].sort(),
    );
    const empty = await get(`${url}/v1/segments/empty_one/members`, AUTH);
    expect(empty).toMatchObject({ status: 200, json: { segmentId: 'empty_one', items: [] } });
  });

  it('never answers a 5xx to odd input', async () => {
    const paths = [
      '/v1/profiles/%',
      '/v1/profiles/%E0%A4%A',
      '/v1/profiles/lookup?type=%&value=%',
      '/v1/profiles/lookup?type[]=email&value=x',
      `/v1/profiles/${'x'.repeat(300)}`,
      '/v1/profiles/%00/events?limit=%00',
      `/v1/profiles/lookup?type=email&value=${'a'.repeat(5000)}`,
      '/v1/segments/%F0%9F%92%A9/members?limit=1e3',
      `/v1/segments/a/members?cursor=${'x.'.repeat(1000)}`,
      '/v1/profiles/__proto__',
      '/v1/profiles/constructor/identities',
    ];
    for (const path of paths) {
      const res = await get(url + path, AUTH);
      expect({ path, server: res.status >= 500 }).toEqual({ path, server: false });
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('never answers a 5xx to random parameters on any route (property)', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('', '%', '%zz', '-1', '0', '1e9', 'NaN', '__proto__', 'email', 'phone', '.', '..'),
    );
    const enc = (t: string) => encodeURIComponent(t).replace(/%25/g, () => (t.length % 2 ? '%' : '%25'));
    await fc.assert(
      fc.asyncProperty(fc.nat(5), text, text, text, async (route, a, b, c) => {
        const paths = [
          `/v1/profiles/${enc(a)}`,
          `/v1/profiles/lookup?type=${enc(a)}&value=${enc(b)}`,
          `/v1/profiles/${enc(a)}/identities`,
          `/v1/profiles/${enc(a)}/events?limit=${enc(b)}&cursor=${enc(c)}`,
          `/v1/segments?${enc(a)}=${enc(b)}`,
          `/v1/segments/${enc(a)}/members?limit=${enc(b)}&cursor=${enc(c)}`,
        ];
        const res = await get(url + paths[route]!, AUTH);
        return res.status < 500;
      }),
      { numRuns: 300 },
    );
  });

  it('serves its OpenAPI document without a key', async () => {
    const res = await get(`${url}/profile-api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = res.json as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/profiles/lookup',
      '/v1/profiles/{id}',
      '/v1/profiles/{id}/events',
      '/v1/profiles/{id}/identities',
      '/v1/segments',
      '/v1/segments/{id}/members',
    ]);
    expect((await get(`${url}/profile-api/docs`)).status).toBeLessThan(400);
  });
});

describe('Profile API next to the collector in one app', () => {
  it('serves both APIs and both documents, each with its own auth', async () => {
    // Prepare
    const w = await world();
    const apis = await startApis({
      profiles: w.profiles,
      segments: w.segments,
      identities: w.identities,
      clock: () => NOW,
    });
    const url = apis.url;
    try {
      // Act
      const profile = await get(`${url}/v1/profiles/${w.ids.bob}`, AUTH);
      const ingest = await fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': TEST_WRITE_KEY },
        body: JSON.stringify({ userId: 'bob', event: 'Clicked' }),
      });
      // Assess
      expect(profile.status).toBe(200);
      expect(ingest.status).toBe(200);
      expect(apis.log.appendedCount()).toBe(1);
      expect((await get(`${url}/openapi.json`)).status).toBe(200);
      expect((await get(`${url}/profile-api/openapi.json`)).status).toBe(200);
      expect((await get(`${url}/v1/segments`, `Bearer ${TEST_WRITE_KEY}`)).status).toBe(401);
    } finally {
      await apis.close();
    }
  });
});
