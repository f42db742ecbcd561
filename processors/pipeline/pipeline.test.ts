import { deserialize, serialize } from 'node:v8';
import type { CanonicalEvent, CanonicalIdentity } from '../../contracts/canonical-event';
import type { ProfileDocument } from '../../contracts/profile';
import { createSeedJourney } from '../../test/fixtures/scenarios/seed-journey';
import type { PipelineCheckpoint } from './profile-pipeline';
import { asRecords, createTestPipeline, type TestPipeline, testRules } from './test-support';

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

function ev(
  id: string,
  at: string,
  identity: CanonicalIdentity,
  name = 'page_view',
  props = {},
): CanonicalEvent {
  return {
    eventId: id,
    type: name === 'page_view' ? 'page' : name === 'identify' ? 'identify' : 'track',
    eventName: name,
    timestamp: at,
    receivedAt: at,
    source: 'web',
    identity,
    properties: props,
    traits: {},
    context: {},
  };
}

const strip = ({ updatedAt: _u, version: _v, ...rest }: ProfileDocument) => rest;

async function storeView(t: TestPipeline) {
  const docs = t.profiles.all().sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
  const memberships = [];
  for (const d of docs) memberships.push(...(await t.segments.getMemberships(d.profileId)));
  return { docs: docs.map(strip), memberships };
}

describe('createProfilePipeline', () => {
  it('refuses invalid records with a path and a reason, and events without a usable identifier', async () => {
    // Prepare
    const good = ev('ok-1', '2026-11-01T10:00:00.000Z', { userId: 'u1' });
    const t = createTestPipeline(
      [
        asRecords([
          '{not json',
          JSON.stringify({ ...good, eventId: 'bad-time', timestamp: 'yesterday' }),
          JSON.stringify({
            ...good,
            eventId: 'no-id',
            identity: { userId: 'null', anonymousId: 'undefined' },
          }),
          good,
        ]),
      ],
      { now: NOW },
    );
    // Act
    await t.pipeline.runToEnd();
    // Assess
    expect(t.rejected.map((r) => [r.sequenceNumber, r.reason, r.errors[0]?.path])).toEqual([
      ['1000', 'invalid', ''],
      ['1001', 'invalid', 'timestamp'],
      ['1002', 'no-identifier', 'identity (user_id)'],
    ]);
    expect(JSON.stringify(t.rejected)).not.toContain('null');
    expect(t.profiles.all().map((d) => d.totalEvents)).toEqual([1]);
  });

  it('merges move state exactly once: survivor holds everything, losers are deleted, activity follows', async () => {
    // Prepare: anonymous browsing flushed as its own profile before the signup merges it
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW, config: { maxBatchSize: 1 } });
    // Act
    while (await t.pipeline.step()) await t.pipeline.flush();
    const summary = await t.pipeline.finish();
    // Assess
    const docs = t.profiles.all();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.totalEvents).toBe(journey.expected.totalEvents);
    expect(docs[0]?.mergedFrom.length).toBeGreaterThanOrEqual(2);
    const merges = t.lake.rows.filter((r) => r.table === 'identity_merges');
    expect(merges.map((r) => r.row.from_profile_id).sort()).toEqual(docs[0]?.mergedFrom);
    for (const gone of docs[0]?.mergedFrom ?? []) {
      expect(await t.profiles.get(gone)).toBeUndefined();
      expect((await t.profiles.listActivity(gone, { limit: 10 })).items).toEqual([]);
    }
    const activity = await t.profiles.listActivity(docs[0]?.profileId ?? '', { limit: 100 });
    expect(activity.items).toHaveLength(12);
    expect(summary.profilesWritten).toBe(1);
  });

  it('writes profiles conditionally on the versions it wrote itself, without reading them back', async () => {
    // Prepare
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW, config: { maxBatchSize: 2 } });
    let reads = 0;
    const getMany = t.profiles.getMany.bind(t.profiles);
    t.profiles.getMany = (ids) => {
      reads++;
      return getMany(ids);
    };
    // Act
    while (await t.pipeline.step()) await t.pipeline.flush();
    await t.pipeline.finish();
    // Assess
    expect(reads).toBe(0);
    const docs = t.profiles.all();
    expect(docs.map((d) => d.totalEvents)).toEqual([12]);
    expect(docs[0]?.version).toBeGreaterThan(1); // written several times, each on the version it wrote
  });

  it('splits a profile back apart after an unmerge, moving the detached identifier with its events', async () => {
    // Prepare: a shared kiosk browsed anonymously, then used once by a logged-in customer
    const t = createTestPipeline(
      [
        asRecords([
          ev('k-1', '2026-11-02T08:00:00.000Z', { anonymousId: 'kiosk' }),
          ev('k-2', '2026-11-02T08:01:00.000Z', { anonymousId: 'kiosk' }),
          ev('u-1', '2026-11-02T08:02:00.000Z', { anonymousId: 'kiosk', userId: 'u1' }, 'purchase', {
            amount: 30,
          }),
          ev('u-2', '2026-11-03T09:00:00.000Z', { userId: 'u1' }),
        ]),
      ],
      { now: NOW, bounded: false },
    );
    await t.pipeline.step();
    await t.pipeline.flush();
    const user = t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'u1' }) ?? '';
    const before = await t.profiles.get(user);
    const why = t.pipeline.identity.explain({ type: 'anonymous_id', value: 'kiosk' });
    // Act
    const cut = t.pipeline.identity.unmerge({
      kind: 'identifier',
      identifier: { type: 'anonymous_id', value: 'kiosk' },
    });
    if (!cut.ok) throw new Error(cut.message);
    t.pipeline.applyIdentityChanges(cut.value);
    await t.pipeline.flush();
    // Assess
    expect(before?.totalEvents).toBe(4);
    expect(why?.chain).toEqual([expect.objectContaining({ eventId: 'u-1', rule: 'same-event' })]);
    const kiosk = t.pipeline.identity.profileIdOf({ type: 'anonymous_id', value: 'kiosk' }) ?? '';
    expect(kiosk).not.toBe(user);
    expect(await t.profiles.get(user)).toMatchObject({
      totalEvents: 2,
      totalPurchases: 1,
      lifetimeValue: 30,
    });
    expect(await t.profiles.get(kiosk)).toMatchObject({
      totalEvents: 2,
      totalPageViews: 2,
      totalPurchases: 0,
    });
    expect(t.profiles.all().reduce((n, d) => n + d.totalEvents, 0)).toBe(4);
  });

  it('retries a failed flush whole: nothing computed before the failure is lost', async () => {
    // Prepare: the profile store fails once
    const journey = createSeedJourney({ now: NOW });
    const t = createTestPipeline([asRecords(journey.events)], { now: NOW, rules: testRules, bounded: false });
    const write = t.profiles.write.bind(t.profiles);
    let failures = 1;
    t.profiles.write = async (writes) => {
      if (failures-- > 0) throw new Error('store unavailable');
      return write(writes);
    };
    await t.pipeline.step();
    // Act
    await expect(t.pipeline.flush()).rejects.toThrow('store unavailable');
    await t.pipeline.flush();
    // Assess
    const id = t.pipeline.identity.profileIdOf(journey.anchor) ?? '';
    expect((await t.profiles.get(id))?.totalEvents).toBe(12);
    expect((await t.segments.getMemberships(id)).map((m) => m.segmentId)).toEqual(['big-spenders', 'buyers']);
    const rows = (table: string) => t.lake.rows.filter((r) => r.table === table);
    expect(rows('segment_changes')).toHaveLength(2);
    expect(rows('identity_merges').length).toBeGreaterThan(0);
  });

  it('keeps the family tablet with the profile that used it first, in either arrival order', async () => {
    // Prepare: the mother logs in on the tablet on Monday, the kid on Tuesday; anonymous browsing after
    const events = [
      ev('m-login', '2026-11-02T08:00:00.000Z', { userId: 'mother', anonymousId: 'tablet' }, 'identify'),
      ev('k-login', '2026-11-03T16:00:00.000Z', { userId: 'kid', anonymousId: 'tablet' }, 'identify'),
      ev('browse-1', '2026-11-03T16:05:00.000Z', { anonymousId: 'tablet' }),
      ev('browse-2', '2026-11-03T16:06:00.000Z', { anonymousId: 'tablet' }),
      ev('k-buy', '2026-11-03T16:10:00.000Z', { userId: 'kid' }, 'purchase', { amount: 5 }),
    ];
    const results = [];
    for (const order of [events, [...events].reverse()]) {
      const t = createTestPipeline([asRecords(order)], { now: NOW });
      // Act
      await t.pipeline.runToEnd();
      results.push({ view: await storeView(t), t });
    }
    // Assess
    const [a, b] = results;
    expect(a?.view.docs.map(({ appliedSequences: _s, mergedFrom: _m, ...d }) => d)).toEqual(
      b?.view.docs.map(({ appliedSequences: _s, mergedFrom: _m, ...d }) => d),
    );
    const t = a?.t as TestPipeline;
    const mother = await t.profiles.get(
      t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'mother' }) ?? '',
    );
    const kid = await t.profiles.get(
      t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'kid' }) ?? '',
    );
    expect(mother?.totalEvents).toBe(3);
    expect(mother?.totalPageViews).toBe(2);
    expect(kid).toMatchObject({ totalEvents: 2, totalPurchases: 1, lifetimeValue: 5 });
    expect(t.pipeline.identity.explain({ type: 'anonymous_id', value: 'tablet' })?.notMerged).toEqual([
      expect.objectContaining({ eventId: 'k-login', status: 'blocked-by-limit' }),
    ]);
  });

  it('never merges accounts through test@example.com or a "null" user id', async () => {
    // Prepare
    const events: CanonicalEvent[] = [];
    for (let i = 0; i < 50; i++) {
      events.push(
        ev(
          `t-${i}`,
          '2026-11-05T10:00:00.000Z',
          { userId: `acct-${i}`, email: 'test@example.com' },
          'signup',
        ),
      );
      events.push(ev(`n-${i}`, '2026-11-05T11:00:00.000Z', { userId: 'null', anonymousId: `device-${i}` }));
    }
    const t = createTestPipeline([asRecords(events)], { now: NOW });
    // Act
    await t.pipeline.runToEnd();
    // Assess
    const docs = t.profiles.all();
    expect(docs).toHaveLength(100);
    expect(docs.every((d) => d.totalEvents === 1)).toBe(true);
    expect(t.lake.rows.filter((r) => r.table === 'identity_merges')).toEqual([]);
  });

  it('counts an event beyond allowed lateness in lifetime figures and sends it to the late-events output', async () => {
    // Prepare: a purchase 120 days older than everything else
    const t = createTestPipeline(
      [
        asRecords([
          ev('now-1', '2026-11-10T10:00:00.000Z', { userId: 'u1' }),
          ev('old-1', '2026-07-13T10:00:00.000Z', { userId: 'u1' }, 'purchase', { amount: 42 }),
        ]),
      ],
      { now: NOW, config: { maxBatchSize: 1 } },
    );
    // Act
    await t.pipeline.runToEnd();
    // Assess
    const doc = t.profiles.all()[0];
    expect(doc).toMatchObject({ totalEvents: 2, totalPurchases: 1, lifetimeValue: 42 });
    expect(doc?.firstSeen).toBe('2026-07-13T10:00:00.000Z');
    expect(doc?.daily.map((d) => d.day)).toEqual(['2026-11-10']);
    expect(doc?.sessions.count).toBe(1);
    const late = t.lake.rows.filter((r) => r.table === 'late_events');
    expect(late).toEqual([
      {
        table: 'late_events',
        timestamp: '2026-07-13T10:00:00.000Z',
        row: expect.objectContaining({
          eventId: 'old-1',
          watermark: '2026-11-10T09:58:59.999Z',
          operator: 'profiles:profiles/daily,profiles/sessions',
        }),
      },
    ]);
    expect(t.pipeline.stats().late).toBe(1);
  });

  it('publishes an event far behind the watermark once: its session is closed at once, no timer republishes it', async () => {
    // Prepare: u2's event is two days behind the watermark (within the sessions' allowed lateness)
    const t = createTestPipeline(
      [
        asRecords([
          ev('u1-1', '2026-11-10T10:00:00.000Z', { userId: 'u1' }),
          ev('u2-1', '2026-11-08T10:00:00.000Z', { userId: 'u2' }),
          ev('u1-2', '2026-11-10T10:05:00.000Z', { userId: 'u1' }),
        ]),
      ],
      // unbounded: the shard does not end (an ended shard emits no watermark)
      { now: NOW, config: { maxBatchSize: 1 }, bounded: false },
    );
    await t.pipeline.step();
    await t.pipeline.step();
    await t.pipeline.flush();
    const first = t.profiles.all().find((d) => d.lastSeen.startsWith('2026-11-08'));
    expect(first).toMatchObject({ version: 1, sessions: { count: 1, totalDurationMs: 0 } });
    // Act: the watermark moves on
    await t.pipeline.step();
    await t.pipeline.flush();
    // Assess: u2 was not written again (u1 was, for its new event)
    const docs = t.profiles.all();
    expect(docs.find((d) => d.profileId === first?.profileId)?.version).toBe(1);
    expect(docs.find((d) => d.profileId !== first?.profileId)?.version).toBe(2);
    expect(t.pipeline.stats().late).toBe(0);
  });

  it('a flush in slices lets other tasks run in between and writes what a flush in one piece writes', async () => {
    // Prepare: 40 profiles with merges (anonymous, then identified), two identical pipelines
    const events: CanonicalEvent[] = [];
    for (let u = 0; u < 40; u++) {
      events.push(ev(`a-${u}`, '2026-11-10T10:00:00.000Z', { anonymousId: `anon-${u}` }));
      events.push(
        ev(`i-${u}`, '2026-11-10T10:01:00.000Z', { anonymousId: `anon-${u}`, userId: `u-${u}` }, 'identify'),
      );
      events.push(ev(`o-${u}`, '2026-11-10T10:02:00.000Z', { userId: `u-${u}` }, 'purchase', { amount: u }));
    }
    const whole = createTestPipeline([asRecords(events)], { now: NOW, rules: testRules });
    let yields = 0;
    let othersRan = 0;
    const sliced = createTestPipeline([asRecords(events)], {
      now: NOW,
      rules: testRules,
      publishSlices: {
        sliceMs: 0, // yield at every step of the flush
        yield: () =>
          new Promise((resolve) => {
            yields++;
            setImmediate(resolve);
          }),
      },
    });
    // Act
    await whole.pipeline.runToEnd();
    await sliced.pipeline.step();
    const other = setInterval(() => othersRan++, 0);
    try {
      await sliced.pipeline.runToEnd();
    } finally {
      clearInterval(other);
    }
    // Assess
    expect(yields).toBeGreaterThan(40);
    expect(othersRan).toBeGreaterThan(0);
    expect(await storeView(sliced)).toEqual(await storeView(whole));
    expect(sliced.lake.rows).toEqual(whole.lake.rows);
  });

  it('moves profiles in and out of segments on time alone (processing-time timers)', async () => {
    // Prepare: a buyer whose last visit is 2 days before now; "quiet" = no visit for more than 3 days
    const last = NOW - 2 * DAY;
    const t = createTestPipeline(
      [asRecords([ev('b-1', new Date(last).toISOString(), { userId: 'u1' }, 'purchase', { amount: 9 })])],
      { now: NOW, rules: testRules, bounded: false },
    );
    await t.pipeline.step();
    await t.pipeline.flush();
    const id = t.pipeline.identity.profileIdOf({ type: 'user_id', value: 'u1' }) ?? '';
    const before = (await t.segments.getMemberships(id)).map((m) => m.segmentId);
    // Act: two days later, no new event
    t.clock.advance(2 * DAY + MIN);
    await t.pipeline.step();
    const summary = await t.pipeline.flush();
    // Assess
    expect(before).toEqual(['buyers']);
    expect((await t.segments.getMemberships(id)).map((m) => m.segmentId)).toEqual(['buyers', 'quiet']);
    expect(summary.segmentChanges).toBe(1);
    expect(t.lake.rows.filter((r) => r.table === 'segment_changes').map((r) => r.row)).toEqual([
      expect.objectContaining({ segment_id: 'buyers', change: 'enter', origin: 'stream' }),
      expect.objectContaining({
        segment_id: 'quiet',
        profile_id: id,
        change: 'enter',
        changed_at: new Date(NOW + 2 * DAY + MIN).toISOString(),
      }),
    ]);
  });

  it('restores a checkpoint after a crash and ends exactly like an uninterrupted run', async () => {
    // Prepare
    const journey = createSeedJourney({ now: NOW });
    const extra = Array.from({ length: 30 }, (_, i) =>
      ev(`x-${i}`, new Date(journey.base + i * 37 * MIN).toISOString(), { anonymousId: `dev-${i % 4}` }),
    );
    const events = [...journey.events, ...extra].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    const records = asRecords(events);
    const config = { maxBatchSize: 3 };
    const reference = createTestPipeline([records], { now: NOW, config, rules: testRules });
    await reference.pipeline.runToEnd();
    const crashed = createTestPipeline([records], { now: NOW, config, rules: testRules });
    for (let i = 0; i < 6; i++) await crashed.pipeline.step();
    const checkpoint = deserialize(serialize(await crashed.pipeline.checkpoint())) as PipelineCheckpoint;
    for (let i = 0; i < 5; i++) await crashed.pipeline.step();
    await crashed.pipeline.flush(); // the stores are now ahead of the checkpoint; then the process dies
    // Act
    const restored = createTestPipeline([records], {
      config,
      rules: testRules,
      restoreFrom: checkpoint,
      stores: crashed,
    });
    await restored.pipeline.step();
    const replayed = await restored.pipeline.flush(); // replays what the stores already hold
    await restored.pipeline.runToEnd();
    // Assess
    expect(await storeView(restored)).toEqual(await storeView(reference));
    expect(replayed.staleSkipped).toBeGreaterThan(0);
    expect(restored.pipeline.stats().records).toBe(records.length - 6 * 3);
    const ids = (t: TestPipeline) =>
      [...new Set(t.lake.rows.filter((r) => r.table === 'events').map((r) => r.row.eventId))].sort();
    expect(ids(restored)).toEqual(ids(reference));
  });
});
