import type { DailyActivity, ProfileDocument } from './profile';

const DAY_MS = 86_400_000;

/** Purchases, revenue and page views over a trailing horizon. */
export interface HorizonFigures {
  readonly purchases: number;
  readonly revenue: number;
  readonly pageViews: number;
}

/** The time-relative figures of a profile, computed at the moment of reading (never stored stale). */
export interface ProfileFigures {
  /** Whole days since `lastSeen` (0 on the same day, never negative). */
  readonly daysSinceLastVisit: number;
  readonly last7Days: HorizonFigures;
  readonly last30Days: HorizonFigures;
  readonly last90Days: HorizonFigures;
  readonly today: HorizonFigures & { readonly events: number };
  readonly sessions: { readonly count: number; readonly averageDurationMs: number };
}

const dayStrings = new Map<number, string>();

/**
 * UTC day (`YYYY-MM-DD`) of an epoch-millisecond time; memoized by day number, as every read asks for
 * the same few days (throws a RangeError for an invalid time, as `toISOString` does).
 */
export function utcDay(epochMs: number): string {
  const dayNumber = Math.floor(epochMs / DAY_MS);
  let day = dayStrings.get(dayNumber);
  if (day === undefined) {
    day = new Date(epochMs).toISOString().slice(0, 10);
    if (dayStrings.size >= 4096) dayStrings.clear();
    dayStrings.set(dayNumber, day);
  }
  return day;
}

/**
 * Sums the day buckets whose day is within the last `days` days of `nowMs`, today included:
 * `days = 7` covers today and the six days before it.
 */
export function horizonFigures(daily: readonly DailyActivity[], nowMs: number, days: number): HorizonFigures {
  const from = utcDay(nowMs - (days - 1) * DAY_MS);
  const to = utcDay(nowMs);
  let purchases = 0;
  let revenue = 0;
  let pageViews = 0;
  for (const bucket of daily) {
    if (bucket.day < from || bucket.day > to) continue;
    purchases += bucket.purchases;
    revenue += bucket.revenue;
    pageViews += bucket.pageViews;
  }
  return { purchases, revenue: roundMoney(revenue), pageViews };
}

/** Count of an event name within the last `days` days of `nowMs` (today included), from day buckets. */
export function eventCountWithin(
  daily: readonly DailyActivity[],
  eventName: string,
  nowMs: number,
  days: number,
): number {
  const from = utcDay(nowMs - (days - 1) * DAY_MS);
  const to = utcDay(nowMs);
  let count = 0;
  for (const bucket of daily) {
    if (bucket.day < from || bucket.day > to) continue;
    count += bucket.eventCounts[eventName] ?? 0;
  }
  return count;
}

/** The figures the Profile API and the segment rules read, at `nowMs`. */
export function profileFigures(document: ProfileDocument, nowMs: number): ProfileFigures {
  const lastSeenMs = Date.parse(document.lastSeen);
  const daysSinceLastVisit = Math.max(0, Math.floor((nowMs - lastSeenMs) / DAY_MS));
  const todayKey = utcDay(nowMs);
  const todayBucket = document.daily.find((bucket) => bucket.day === todayKey);
  const { count, totalDurationMs } = document.sessions;
  return {
    daysSinceLastVisit,
    last7Days: horizonFigures(document.daily, nowMs, 7),
    last30Days: horizonFigures(document.daily, nowMs, 30),
    last90Days: horizonFigures(document.daily, nowMs, 90),
    today: {
      events: todayBucket?.events ?? 0,
      purchases: todayBucket?.purchases ?? 0,
      revenue: roundMoney(todayBucket?.revenue ?? 0),
      pageViews: todayBucket?.pageViews ?? 0,
    },
    sessions: { count, averageDurationMs: count === 0 ? 0 : totalDurationMs / count },
  };
}

/** Money sums are kept to the cent so that float addition order cannot change a result. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}
