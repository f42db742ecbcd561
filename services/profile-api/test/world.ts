import { createMemoryProfileStore } from '../../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../../adapters/local/memory-segment-store';
import { profileDocument } from '../../../test/fixtures/profile-document';
import { identityStoreAfter } from './identity-journey';

/** "Now" of the test world (the profiles' figures are relative to it). */
export const WORLD_NOW = Date.parse('2026-01-05T12:00:00.000Z');

/** Ann: anonymous, then e-mail + phone, then logged in (two merges); Bob: a user id only. */
export async function world() {
  const { store: identities, profileIds } = await identityStoreAfter([
    { eventId: 'e1', timestamp: '2026-01-01T10:00:00.000Z', identity: { anonymousId: 'anon-1' } },
    {
      eventId: 'e2',
      timestamp: '2026-01-01T10:05:00.000Z',
      identity: { anonymousId: 'anon-1', email: 'ann@x.io', phone: '+14155552671' },
    },
    { eventId: 'e3', timestamp: '2026-01-02T09:00:00.000Z', identity: { userId: 'u-1', email: 'ann@x.io' } },
    { eventId: 'b1', timestamp: '2026-01-03T09:00:00.000Z', identity: { userId: 'bob' } },
  ]);
  const [anonId, emailId, ann, bob] = profileIds as [string, string, string, string];
  const profiles = createMemoryProfileStore({ now: () => WORLD_NOW });
  const written = await profiles.write([
    {
      kind: 'put',
      expectedVersion: null,
      document: profileDocument(ann, {
        traits: { email: 'ann@x.io', plan: 'pro' },
        firstSeen: '2026-01-01T10:00:00.000Z',
        lastSeen: '2026-01-03T18:00:00.000Z',
        totalEvents: 5,
        totalPageViews: 3,
        totalPurchases: 1,
        lifetimeValue: 120.5,
        eventCounts: { page_view: 3, purchase: 1, signup: 1 },
        daily: [
          {
            day: '2025-10-20',
            events: 1,
            pageViews: 0,
            purchases: 1,
            revenue: 80,
            eventCounts: { purchase: 1 },
          },
          {
            day: '2026-01-03',
            events: 4,
            pageViews: 3,
            purchases: 1,
            revenue: 40.5,
            eventCounts: { purchase: 1 },
          },
        ],
        sessions: { count: 2, totalDurationMs: 600_000 },
        mergedFrom: [anonId, emailId],
      }),
    },
    { kind: 'put', expectedVersion: null, document: profileDocument(bob, { traits: { name: 'Bob' } }) },
  ]);
  if (!written.ok) throw new Error('could not write the test profiles');
  const timeline = ['10', '11', '12', '13', '14'].map((hour, i) => ({
    eventId: `ev-${i}`,
    eventName: i === 4 ? 'purchase' : 'page_view',
    timestamp: `2026-01-03T${hour}:00:00.000Z`,
    source: 'web',
    properties: { n: i },
  }));
  await profiles.appendActivity(ann, timeline, WORLD_NOW + 86_400_000);
  const segments = createMemorySegmentStore();
  await segments.defineSegment({ segmentId: 'high_value', source: 'realtime', description: 'LTV over 100' });
  await segments.defineSegment({ segmentId: 'churn_risk', source: 'sql' });
  await segments.defineSegment({ segmentId: 'empty_one', source: 'sql' });
  await segments.apply([
    {
      kind: 'add',
      membership: {
        segmentId: 'high_value',
        profileId: ann,
        source: 'realtime',
        enteredAt: '2026-01-03T14:00:00.000Z',
      },
    },
    {
      kind: 'add',
      membership: {
        segmentId: 'churn_risk',
        profileId: ann,
        source: 'sql',
        enteredAt: '2026-01-04T00:00:00.000Z',
      },
    },
    {
      kind: 'add',
      membership: {
        segmentId: 'churn_risk',
        profileId: bob,
        source: 'sql',
        enteredAt: '2026-01-04T00:00:00.000Z',
      },
    },
  ]);
  return { identities, profiles, segments, ids: { anonId, emailId, ann, bob } };
}
