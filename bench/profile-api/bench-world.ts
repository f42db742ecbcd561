// The data of the Profile API benchmark: N profiles with realistic documents, identifiers, timelines and
// segment memberships, in the pipeline's memory stores. Deterministic, so the harness knows the ids.
import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { ActivityItem, DailyActivity, ProfileDocument } from '../../contracts/profile';
import { createMemoryIdentityStore, type IdentityWrite, profileIdFor } from '../../processors/identity';

/** The read key of the benchmark servers. */
export const BENCH_READ_KEY = 'rk_bench_0123456789abcdef';

/** "Now" of the benchmark world. */
export const BENCH_NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;

/** Profile id of the i-th bench profile (anchored on its user id, default identity settings). */
export function benchProfileId(i: number): string {
  return profileIdFor(`user_id:user-${i}`, 'prof_', '');
}

/** E-mail of the i-th bench profile. */
export function benchEmail(i: number): string {
  return `person.${i}@example.com`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function documentOf(i: number): ProfileDocument {
  const daily: DailyActivity[] = [];
  for (let d = 12; d >= 0; d -= 3) {
    daily.push({
      day: iso(BENCH_NOW - (d * 7 + (i % 5)) * DAY).slice(0, 10),
      events: 6,
      pageViews: 4,
      purchases: d % 2,
      revenue: (d % 2) * 49.9,
      eventCounts: { page_view: 4, product_viewed: 1, order_completed: d % 2 },
    });
  }
  const lastSeen = iso(BENCH_NOW - (i % 40) * DAY);
  return {
    profileId: benchProfileId(i),
    version: 3,
    traits: {
      email: benchEmail(i),
      name: `Person ${i}`,
      plan: i % 3 === 0 ? 'pro' : 'free',
      company: 'Acme',
    },
    traitTimes: { email: lastSeen, name: lastSeen, plan: lastSeen, company: lastSeen },
    firstSeen: iso(BENCH_NOW - 200 * DAY),
    lastSeen,
    totalEvents: 120,
    totalPageViews: 80,
    totalPurchases: 5,
    lifetimeValue: 249.5,
    eventCounts: { page_view: 80, product_viewed: 30, order_completed: 5, signed_up: 1 },
    lastPage: {
      url: 'https://shop.example/products/42',
      path: '/products/42',
      title: 'Product 42',
      timestamp: lastSeen,
    },
    signup: { timestamp: iso(BENCH_NOW - 200 * DAY), properties: { method: 'email', plan: 'free' } },
    daily,
    sessions: { count: 30, totalDurationMs: 30 * 420_000 },
    mergedFrom: [],
    appliedSequences: { 'shard-0': '1000' },
    updatedAt: lastSeen,
  };
}

function activityOf(i: number, count: number): ActivityItem[] {
  return Array.from({ length: count }, (_, k) => ({
    eventId: `ev-${i}-${k}`,
    eventName: k % 5 === 0 ? 'Order Completed' : 'Product Viewed',
    timestamp: iso(BENCH_NOW - (i % 40) * DAY - k * 3_600_000),
    source: 'web',
    properties: { productId: `p-${k}`, price: 19.99, currency: 'EUR' },
  }));
}

/** Builds the stores with `profiles` profiles (3 identifiers, `activity` timeline entries each). */
export async function buildBenchWorld(profiles: number, activity = 20) {
  // the clock stands still at BENCH_NOW, so timelines count as cold at once (coldTimelineAfterMs 0):
  // the world is what a long-running server holds, the timelines not written in the last minute packed
  const profileStore = createMemoryProfileStore({
    now: () => BENCH_NOW,
    maxActivityPerProfile: activity,
    coldTimelineAfterMs: 0,
  });
  const segmentStore = createMemorySegmentStore();
  const identityStore = createMemoryIdentityStore();
  await segmentStore.defineSegment({ segmentId: 'high_value', source: 'realtime', description: 'LTV > 200' });
  await segmentStore.defineSegment({ segmentId: 'churn_risk', source: 'sql' });
  const at = iso(BENCH_NOW);
  let writes: IdentityWrite[] = [];
  for (let i = 0; i < profiles; i++) {
    const doc = documentOf(i);
    const written = await profileStore.write([{ kind: 'put', document: doc, expectedVersion: null }]);
    if (!written.ok) throw new Error(`could not write profile ${i}`);
    await profileStore.appendActivity(doc.profileId, activityOf(i, activity), BENCH_NOW + 365 * DAY);
    for (const identifier of [
      { type: 'user_id', value: `user-${i}` },
      { type: 'email', value: benchEmail(i) },
      { type: 'anonymous_id', value: `anon-${i}-7d1c2f0e` },
    ]) {
      writes.push({
        kind: 'put-mapping',
        identifier,
        profileId: doc.profileId,
        expectedVersion: null,
        updatedAt: at,
      });
    }
    if (writes.length >= 99 || i === profiles - 1) {
      const res = await identityStore.transact(writes);
      if (!res.ok) throw new Error(`could not write identities: ${res.reason}`);
      writes = [];
    }
    const memberships = [];
    if (i % 2 === 0) memberships.push({ segmentId: 'high_value', source: 'realtime' as const });
    if (i % 7 === 0) memberships.push({ segmentId: 'churn_risk', source: 'sql' as const });
    await segmentStore.apply(
      memberships.map((m) => ({
        kind: 'add' as const,
        membership: { ...m, profileId: doc.profileId, enteredAt: at },
      })),
    );
  }
  // the writes packed all but the last few timelines as they went (a sweep follows the writes): the rest
  profileStore.packColdTimelines(Number.POSITIVE_INFINITY);
  // as cdp dev wires the Profile API: the embedded profile store's zero-copy reads too
  return {
    profiles: profileStore,
    segments: segmentStore,
    identities: identityStore,
    servingReads: profileStore,
  };
}
