import fc from 'fast-check';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { profileFigures } from '../../contracts/profile-figures';
import {
  addEvent,
  createAccumulator,
  LATE_FOR_DAILY,
  LATE_FOR_SESSIONS,
  mergeAccumulators,
  type ProfileAccumulator,
} from './accumulator';
import { accumulatorInput } from './accumulator-input';
import { createEventClassifier } from './classify-event';
import { expireState } from './expire-state';
import { ProfileConfig } from './profile-config';
import { mergeProfiles, toDocument, toSlicesDocument } from './profile-document';

const config = ProfileConfig.parse({});
const classifier = createEventClassifier(config.mapping);
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const MIN = 60_000;

function event(id: string, t: number, name: string, extra: Partial<CanonicalEvent> = {}): CanonicalEvent {
  const timestamp = new Date(t).toISOString();
  return {
    eventId: id,
    type: name === 'identify' ? 'identify' : 'track',
    eventName: name,
    timestamp,
    receivedAt: timestamp,
    source: 'web',
    identity: { userId: 'u1' },
    properties: {},
    traits: {},
    context: {},
    ...extra,
  };
}

function fold(events: readonly CanonicalEvent[], watermark = Number.NEGATIVE_INFINITY): ProfileAccumulator {
  const acc = createAccumulator();
  for (const e of events)
    addEvent(acc, accumulatorInput(e, Date.parse(e.timestamp), classifier), watermark, config);
  return acc;
}

const view = (acc: ProfileAccumulator) => ({
  doc: toDocument(
    acc,
    {
      profileId: 'p',
      version: 1,
      mergedFrom: [],
      updatedAt: '2026-01-01T00:00:00.000Z',
      watermark: Infinity,
    },
    config,
  ),
  sessions: acc.sessions,
  recent: acc.recent,
});

const arbEvent = fc
  .record({
    id: fc.uuid(),
    minute: fc.integer({ min: 0, max: 60 * 24 * 5 }),
    name: fc.constantFrom('page_view', 'purchase', 'Order Completed', 'signup', 'identify', 'clicked'),
    amount: fc.integer({ min: 0, max: 50_000 }).map((c) => c / 100),
    plan: fc.constantFrom('free', 'pro', 'team'),
    page: fc.constantFrom('/a', '/b', '/c'),
  })
  .map(({ id, minute, name, amount, plan, page }) =>
    event(id, T0 + minute * MIN, name, {
      properties:
        name === 'purchase'
          ? { amount }
          : name === 'Order Completed'
            ? { revenue: amount }
            : name === 'page_view'
              ? { url: page }
              : {},
      traits: name === 'identify' ? { plan } : {},
    }),
  );

describe('profile accumulators', () => {
  it('counts the seed semantics: page views, purchases (both mappings), signup, traits, sessions', () => {
    // Prepare
    const events = [
      event('1', T0, 'page_view', { properties: { url: 'https://x.io/a', title: 'A' } }),
      event('2', T0 + 10 * MIN, 'page_view', { context: { page: { url: 'https://x.io/b', path: '/b' } } }),
      event('3', T0 + 20 * MIN, 'signup', {
        identity: { email: 'ann@x.io' },
        context: { campaign: { source: 'newsletter' } },
        properties: { plan: 'pro' },
      }),
      event('4', T0 + 2 * 60 * MIN, 'purchase', { properties: { amount: 19.99 } }),
      event('5', T0 + 2 * 60 * MIN + 5 * MIN, 'Order Completed', { properties: { total: '5.01' } }),
      event('6', T0 + 3 * 60 * MIN, 'identify', { traits: { name: 'Ann' } }),
    ];
    // Act
    const { doc } = view(fold(events));
    // Assess
    expect(doc).toMatchObject({
      totalEvents: 6,
      totalPageViews: 2,
      totalPurchases: 2,
      lifetimeValue: 25,
      eventCounts: { identify: 1, 'Order Completed': 1, page_view: 2, purchase: 1, signup: 1 },
      firstSeen: '2026-03-01T09:00:00.000Z',
      lastSeen: '2026-03-01T12:00:00.000Z',
      lastPage: { url: 'https://x.io/b', path: '/b', timestamp: '2026-03-01T09:10:00.000Z' },
      signup: {
        timestamp: '2026-03-01T09:20:00.000Z',
        properties: { plan: 'pro', signupSource: 'newsletter' },
      },
      traits: { email: 'ann@x.io', signupSource: 'newsletter', name: 'Ann' },
      sessions: { count: 3, totalDurationMs: 25 * MIN },
    });
    expect(doc.daily).toEqual([
      {
        day: '2026-03-01',
        events: 6,
        pageViews: 2,
        purchases: 2,
        revenue: 25,
        eventCounts: { page_view: 2, signup: 1, purchase: 1, 'Order Completed': 1, identify: 1 },
      },
    ]);
    expect(profileFigures(doc, T0 + 60 * MIN).last7Days).toEqual({ purchases: 2, revenue: 25, pageViews: 2 });
  });

  it('gives the same state for any order of the same events', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { minLength: 1, maxLength: 30 }), fc.integer(), (events, seed) => {
        const shuffled =
          fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), { seed, numRuns: 1 })[0] ?? [];
        expect(view(fold(shuffled))).toEqual(view(fold(events)));
      }),
      { numRuns: 200 },
    );
  });

  it('merges associatively and commutatively, equal to folding the union', () => {
    fc.assert(
      fc.property(
        fc.array(arbEvent, { minLength: 1, maxLength: 12 }),
        fc.array(arbEvent, { minLength: 1, maxLength: 12 }),
        fc.array(arbEvent, { minLength: 1, maxLength: 12 }),
        (xs, ys, zs) => {
          const [a, b, c] = [fold(xs), fold(ys), fold(zs)];
          const left = mergeAccumulators(mergeAccumulators(a, b, config), c, config);
          const right = mergeAccumulators(a, mergeAccumulators(c, b, config), config);
          expect(view(left)).toEqual(view(right));
          expect(view(left)).toEqual(view(fold([...xs, ...ys, ...zs])));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('builds the document of several slices exactly as the document of their merge', () => {
    const meta = {
      profileId: 'p',
      version: 1,
      mergedFrom: ['b', 'a'],
      updatedAt: '2026-01-01T00:00:00.000Z',
      watermark: T0 + 3 * 86_400_000,
    };
    fc.assert(
      fc.property(
        fc.array(fc.array(arbEvent, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (groups, squeeze) => {
          // Squeezed into four minutes: ties between slices (traits, last page, signup) and shared days.
          const at = (e: CanonicalEvent) =>
            squeeze
              ? { ...e, timestamp: new Date(T0 + ((Date.parse(e.timestamp) - T0) % (4 * MIN))).toISOString() }
              : e;
          const slices = groups.map((g) => fold(g.map(at)));
          const merged = slices.reduce((a, b) => mergeAccumulators(a, b, config));
          // JSON text: property order too (documents are stored and compared as JSON).
          expect(JSON.stringify(toSlicesDocument(slices, meta, config))).toBe(
            JSON.stringify(toDocument(merged, meta, config)),
          );
          const sequences = new Map([
            ['shard-2', '7'],
            ['shard-1', '12'],
          ]);
          expect(
            toSlicesDocument(slices, { ...meta, appliedSequences: sequences }, config).appliedSequences,
          ).toEqual({
            'shard-1': '12',
            'shard-2': '7',
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a too-late event in lifetime figures but not in the windows it missed', () => {
    // Prepare
    const acc = fold([event('1', T0, 'page_view')]);
    const watermark = T0 + 100 * 86_400_000;
    // Act
    const late = addEvent(
      acc,
      accumulatorInput(
        event('2', T0 + 60_000, 'purchase', { properties: { amount: 10 } }),
        T0 + 60_000,
        classifier,
      ),
      watermark,
      config,
    );
    // Assess
    expect(late).toBe(LATE_FOR_DAILY | LATE_FOR_SESSIONS);
    expect(acc.totalPurchases).toBe(1);
    expect(acc.revenueCents).toBe(1000);
    expect(acc.daily[0]?.purchases).toBe(0);
  });

  it('closes a session spanning two slices once, and expires old buckets and activity', () => {
    // Prepare: one session of two identifiers (anonymous browsing, then signup), a day apart from another
    const anon = fold([event('1', T0, 'page_view'), event('2', T0 + 5 * MIN, 'page_view')]);
    const known = fold([event('3', T0 + 20 * MIN, 'signup'), event('4', T0 + 3 * 86_400_000, 'page_view')]);
    // Act
    expireState([anon, known], T0 + 8 * 86_400_000 + 60 * MIN, T0, config);
    const merged = view(mergeAccumulators(anon, known, config)).doc;
    const closedFirst = anon.closedSessions + known.closedSessions;
    expireState([anon, known], T0 + 200 * 86_400_000, T0 + 400 * 86_400_000, config);
    // Assess
    expect(closedFirst).toBe(1);
    expect(anon.closedSessionMs).toBe(20 * MIN);
    expect(merged.sessions).toEqual({ count: 2, totalDurationMs: 20 * MIN });
    expect(known.daily).toEqual([]);
    expect(known.recent).toEqual([]);
    expect(anon.closedSessions + known.closedSessions).toBe(2);
  });

  it('merges stored documents associatively and commutatively', () => {
    fc.assert(
      fc.property(
        fc.array(arbEvent, { maxLength: 8 }),
        fc.array(arbEvent, { maxLength: 8 }),
        fc.array(arbEvent, { maxLength: 8 }),
        (xs, ys, zs) => {
          const docOf = (events: CanonicalEvent[], id: string) => {
            const d = view(fold(events.length === 0 ? [event(`${id}-e`, T0, 'x')] : events)).doc;
            return { ...d, profileId: id };
          };
          const [a, b, c] = [docOf(xs, 'a'), docOf(ys, 'b'), docOf(zs, 'c')];
          expect(mergeProfiles(mergeProfiles(a, b), c)).toEqual(mergeProfiles(a, mergeProfiles(c, b)));
          expect(mergeProfiles(a, b).mergedFrom).toEqual(['b']);
        },
      ),
      { numRuns: 100 },
    );
  });
});
