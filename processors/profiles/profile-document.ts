import type { DailyActivity, ProfileDocument } from '../../contracts/profile';
import {
  createAccumulator,
  type DayBucket,
  mergeAccumulators,
  type ProfileAccumulator,
  type TraitEntry,
} from './accumulator';
import { DAY_MS, type ProfileConfig } from './profile-config';

/** What a document needs besides the accumulator. */
export interface DocumentMeta {
  readonly profileId: string;
  readonly version: number;
  readonly mergedFrom: readonly string[];
  readonly updatedAt: string;
  /** Sessions whose window ended at or before this watermark count as closed. */
  readonly watermark: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoDay = (day: number) => iso(day * DAY_MS).slice(0, 10);

function dailyOf(bucket: DayBucket): DailyActivity {
  return {
    day: isoDay(bucket.day),
    events: bucket.events,
    pageViews: bucket.pageViews,
    purchases: bucket.purchases,
    revenue: bucket.revenueCents / 100,
    eventCounts: Object.fromEntries(bucket.eventCounts),
  };
}

/** The serving document of a (merged) accumulator; sessions still open at `meta.watermark` are left out. */
export function toDocument(
  acc: ProfileAccumulator,
  meta: DocumentMeta,
  settings: Pick<ProfileConfig, 'sessionGapMs'>,
): ProfileDocument {
  const traits: Record<string, unknown> = {};
  const traitTimes: Record<string, string> = {};
  for (const name of [...acc.traits.keys()].sort()) {
    const e = acc.traits.get(name) as TraitEntry;
    Object.defineProperty(traits, name, { value: e.v, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(traitTimes, name, {
      value: iso(e.t),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  let count = acc.closedSessions;
  let totalDurationMs = acc.closedSessionMs;
  const gap = settings.sessionGapMs;
  for (let i = 0; i < acc.sessions.length; i += 2) {
    const last = acc.sessions[i + 1] as number;
    if (last + gap - 1 > meta.watermark) break;
    count++;
    totalDurationMs += last - (acc.sessions[i] as number);
  }
  const doc: ProfileDocument = {
    profileId: meta.profileId,
    version: meta.version,
    traits,
    traitTimes,
    firstSeen: iso(acc.firstSeen),
    lastSeen: iso(acc.lastSeen),
    totalEvents: acc.totalEvents,
    totalPageViews: acc.totalPageViews,
    totalPurchases: acc.totalPurchases,
    lifetimeValue: acc.revenueCents / 100,
    eventCounts: Object.fromEntries([...acc.eventCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    daily: acc.daily.map(dailyOf),
    sessions: { count, totalDurationMs },
    mergedFrom: [...meta.mergedFrom].sort(),
    appliedSequences: Object.fromEntries([...acc.sequences].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    updatedAt: meta.updatedAt,
  };
  if (acc.lastPage !== null) {
    const { t, ...page } = acc.lastPage;
    doc.lastPage = { ...page, timestamp: iso(t) };
  }
  if (acc.signup !== null) doc.signup = { timestamp: iso(acc.signup.t), properties: acc.signup.properties };
  return doc;
}

/** The accumulator a stored document stands for (its sessions all closed, no recent activity). */
export function fromDocument(doc: ProfileDocument): ProfileAccumulator {
  const acc = createAccumulator();
  for (const [name, v] of Object.entries(doc.traits)) {
    const t = doc.traitTimes[name];
    acc.traits.set(name, { v, t: t === undefined ? Date.parse(doc.firstSeen) : Date.parse(t) });
  }
  acc.firstSeen = Date.parse(doc.firstSeen);
  acc.lastSeen = Date.parse(doc.lastSeen);
  acc.totalEvents = doc.totalEvents;
  acc.totalPageViews = doc.totalPageViews;
  acc.totalPurchases = doc.totalPurchases;
  acc.revenueCents = Math.round(doc.lifetimeValue * 100);
  acc.eventCounts = new Map(Object.entries(doc.eventCounts));
  if (doc.lastPage !== undefined) {
    const { timestamp, ...page } = doc.lastPage;
    acc.lastPage = { ...page, t: Date.parse(timestamp) };
  }
  if (doc.signup !== undefined)
    acc.signup = { t: Date.parse(doc.signup.timestamp), properties: { ...doc.signup.properties } };
  acc.daily = doc.daily.map((d) => ({
    day: Math.floor(Date.parse(`${d.day}T00:00:00.000Z`) / DAY_MS),
    events: d.events,
    pageViews: d.pageViews,
    purchases: d.purchases,
    revenueCents: Math.round(d.revenue * 100),
    eventCounts: new Map(Object.entries(d.eventCounts)),
  }));
  acc.closedSessions = doc.sessions.count;
  acc.closedSessionMs = doc.sessions.totalDurationMs;
  acc.sequences = new Map(Object.entries(doc.appliedSequences));
  return acc;
}

/**
 * Merges two profile documents (associative and commutative): counters add, traits and the last page
 * go to the latest event time, first seen / signup to the earliest, day buckets add per day. The result
 * is named `profileId` (by default the smaller id, so the operation stays commutative); the other ids
 * go to `mergedFrom`.
 */
export function mergeProfiles(
  a: ProfileDocument,
  b: ProfileDocument,
  profileId: string = [a.profileId, b.profileId].sort()[0] as string,
): ProfileDocument {
  const acc = mergeAccumulators(fromDocument(a), fromDocument(b), {
    sessionGapMs: 0,
    recentActivityLimit: 1,
  });
  const mergedFrom = new Set([...a.mergedFrom, ...b.mergedFrom, a.profileId, b.profileId]);
  mergedFrom.delete(profileId);
  return toDocument(
    acc,
    {
      profileId,
      version: Math.max(a.version, b.version),
      mergedFrom: [...mergedFrom],
      updatedAt: [a.updatedAt, b.updatedAt].sort()[1] as string,
      watermark: Number.POSITIVE_INFINITY,
    },
    { sessionGapMs: 0 },
  );
}
