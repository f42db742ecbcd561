import type { DailyActivity, ProfileDocument } from '../../contracts/profile';
import {
  compareSequences,
  createAccumulator,
  type DayBucket,
  earlierSignup,
  mergeAccumulators,
  type ProfileAccumulator,
  pageValue,
  type TraitEntry,
  wins,
} from './accumulator';
import { DAY_MS, type ProfileConfig } from './profile-config';
import { unionSessions } from './session-intervals';
import { sortStrings } from './sort-strings';

/** What a document needs besides the accumulator. */
export interface DocumentMeta {
  readonly profileId: string;
  readonly version: number;
  readonly mergedFrom: readonly string[];
  readonly updatedAt: string;
  /** Sessions whose window ended at or before this watermark count as closed. */
  readonly watermark: number;
  /** `appliedSequences` of the document; the accumulators' own `sequences` merged when absent. */
  readonly appliedSequences?: ReadonlyMap<string, string> | undefined;
}

/**
 * ISO texts of recent times: a flush renders the same trait times, first-seen and day starts of every
 * profile again; a lookup is cheaper than `toISOString`. Cleared when full.
 */
const isoTexts = new Map<number, string>();
function iso(ms: number): string {
  let text = isoTexts.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString(); // RangeError for a non-finite time, as before
    if (isoTexts.size >= 65_536) isoTexts.clear();
    isoTexts.set(ms, text);
  }
  return text;
}
const isoDay = (day: number) => iso(day * DAY_MS).slice(0, 10);

/** `obj[key] = value` as an own data property, even for `__proto__` (what `Object.fromEntries` does). */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** `Object.fromEntries(map)` without the entry pairs. */
function objectOf<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  map.forEach((v, k) => {
    defineOwn(out, k, v);
  });
  return out;
}

/** The keys of `map` in ascending order. */
function sortedKeys(map: ReadonlyMap<string, unknown>): string[] {
  return sortStrings([...map.keys()]);
}

/** `Object.fromEntries` of the entries of `map` sorted by key. */
function sortedObjectOf<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of sortedKeys(map)) defineOwn(out, k, map.get(k));
  return out;
}

function dailyOf(bucket: DayBucket): DailyActivity {
  return {
    day: isoDay(bucket.day),
    events: bucket.events,
    pageViews: bucket.pageViews,
    purchases: bucket.purchases,
    revenue: bucket.revenueCents / 100,
    eventCounts: objectOf(bucket.eventCounts),
  };
}

/** The day buckets of several slices added per day, in day order (as `mergeAccumulators` gives them). */
function mergedDaily(slices: readonly ProfileAccumulator[]): DailyActivity[] {
  const all: DayBucket[] = [];
  for (const acc of slices) for (const b of acc.daily) all.push(b);
  // Insertion sort by day (few buckets), stable: one day's buckets stay in slice order.
  for (let i = 1; i < all.length; i++) {
    const x = all[i] as DayBucket;
    let j = i - 1;
    while (j >= 0 && (all[j] as DayBucket).day > x.day) {
      all[j + 1] = all[j] as DayBucket;
      j--;
    }
    all[j + 1] = x;
  }
  const out: DailyActivity[] = [];
  for (let i = 0; i < all.length; ) {
    const first = all[i] as DayBucket;
    let j = i + 1;
    while (j < all.length && (all[j] as DayBucket).day === first.day) j++;
    if (j === i + 1) out.push(dailyOf(first));
    else {
      const sum: DayBucket = { ...first, eventCounts: new Map(first.eventCounts) };
      for (let k = i + 1; k < j; k++) {
        const b = all[k] as DayBucket;
        sum.events += b.events;
        sum.pageViews += b.pageViews;
        sum.purchases += b.purchases;
        sum.revenueCents += b.revenueCents;
        b.eventCounts.forEach((n, name) => {
          sum.eventCounts.set(name, (sum.eventCounts.get(name) ?? 0) + n);
        });
      }
      out.push(dailyOf(sum));
    }
    i = j;
  }
  return out;
}

/** The serving document of a (merged) accumulator; sessions still open at `meta.watermark` are left out. */
export function toDocument(
  acc: ProfileAccumulator,
  meta: DocumentMeta,
  settings: Pick<ProfileConfig, 'sessionGapMs'>,
): ProfileDocument {
  return toSlicesDocument([acc], meta, settings);
}

/**
 * The serving document of the merge of `slices` (at least one), in their order: the same document as
 * `toDocument(slices.reduce(mergeAccumulators))`, without building the merged accumulator.
 */
export function toSlicesDocument(
  slices: readonly ProfileAccumulator[],
  meta: DocumentMeta,
  settings: Pick<ProfileConfig, 'sessionGapMs'>,
): ProfileDocument {
  const acc = slices[0];
  if (acc === undefined) throw new Error('a profile document needs at least one accumulator');
  const gap = settings.sessionGapMs;
  let traitEntries = acc.traits;
  let eventCounts = acc.eventCounts;
  let sequences = acc.sequences;
  let sessions = acc.sessions;
  let { firstSeen, lastSeen, totalEvents, totalPageViews, totalPurchases, revenueCents } = acc;
  let { closedSessions, closedSessionMs, lastPage, signup } = acc;
  if (slices.length > 1) {
    // The fold of mergeAccumulators, left to right, reading the slices without copying them.
    traitEntries = new Map(acc.traits);
    eventCounts = new Map(acc.eventCounts);
    sequences = meta.appliedSequences === undefined ? new Map(acc.sequences) : sequences;
    for (let s = 1; s < slices.length; s++) {
      const b = slices[s] as ProfileAccumulator;
      for (const [k, e] of b.traits) {
        const cur = traitEntries.get(k);
        if (cur === undefined || wins(e.t, e.v, cur, cur.v)) traitEntries.set(k, e);
      }
      if (b.firstSeen < firstSeen) firstSeen = b.firstSeen;
      if (b.lastSeen > lastSeen) lastSeen = b.lastSeen;
      totalEvents += b.totalEvents;
      totalPageViews += b.totalPageViews;
      totalPurchases += b.totalPurchases;
      revenueCents += b.revenueCents;
      for (const [k, n] of b.eventCounts) eventCounts.set(k, (eventCounts.get(k) ?? 0) + n);
      if (
        b.lastPage !== null &&
        (lastPage === null || wins(b.lastPage.t, pageValue(b.lastPage), lastPage, pageValue(lastPage)))
      )
        lastPage = b.lastPage;
      signup = signup === null ? b.signup : b.signup === null ? signup : earlierSignup(signup, b.signup);
      if (meta.appliedSequences === undefined) {
        for (const [shard, seq] of b.sequences) {
          const cur = sequences.get(shard);
          if (cur === undefined || compareSequences(seq, cur) > 0) sequences.set(shard, seq);
        }
      }
      sessions = unionSessions(sessions, b.sessions, gap);
      closedSessions += b.closedSessions;
      closedSessionMs += b.closedSessionMs;
    }
    if (signup !== null) signup = { t: signup.t, properties: { ...signup.properties } };
  }
  const traits: Record<string, unknown> = {};
  const traitTimes: Record<string, string> = {};
  for (const name of sortedKeys(traitEntries)) {
    const e = traitEntries.get(name) as TraitEntry;
    defineOwn(traits, name, e.v);
    defineOwn(traitTimes, name, iso(e.t));
  }
  let count = closedSessions;
  let totalDurationMs = closedSessionMs;
  for (let i = 0; i < sessions.length; i += 2) {
    const last = sessions[i + 1] as number;
    if (last + gap - 1 > meta.watermark) break;
    count++;
    totalDurationMs += last - (sessions[i] as number);
  }
  const doc: ProfileDocument = {
    profileId: meta.profileId,
    version: meta.version,
    traits,
    traitTimes,
    firstSeen: iso(firstSeen),
    lastSeen: iso(lastSeen),
    totalEvents,
    totalPageViews,
    totalPurchases,
    lifetimeValue: revenueCents / 100,
    eventCounts: sortedObjectOf(eventCounts),
    daily: slices.length === 1 ? acc.daily.map(dailyOf) : mergedDaily(slices),
    sessions: { count, totalDurationMs },
    mergedFrom: sortStrings([...meta.mergedFrom]),
    appliedSequences: sortedObjectOf(meta.appliedSequences ?? sequences),
    updatedAt: meta.updatedAt,
  };
  if (lastPage !== null) {
    const { t, ...page } = lastPage;
    doc.lastPage = { ...page, timestamp: iso(t) };
  }
  if (signup !== null) doc.signup = { timestamp: iso(signup.t), properties: signup.properties };
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
