import type { ActivityItem, DailyActivity, ProfileDocument } from '../../contracts/profile';
import { SegmentDefinition, type SegmentRuleInput } from '../../contracts/segment-definition';

/** 2026-03-31T12:00:00Z: "now" in the segment tests. */
export const NOW = Date.parse('2026-03-31T12:00:00.000Z');
export const DAY = 86_400_000;

/** ISO time `days` days (fractional allowed) before `NOW`. */
export function daysAgo(days: number): string {
  return new Date(NOW - days * DAY).toISOString();
}

/** A day bucket; `eventCounts` defaults to what the other figures say. */
export function bucket(day: string, figures: Partial<DailyActivity> = {}): DailyActivity {
  const purchases = figures.purchases ?? 0;
  const pageViews = figures.pageViews ?? 0;
  return {
    day,
    events: figures.events ?? purchases + pageViews,
    pageViews,
    purchases,
    revenue: figures.revenue ?? 0,
    eventCounts: figures.eventCounts ?? { purchase: purchases, page_view: pageViews },
  };
}

/** A profile document seen last at `NOW`, with no activity; override what a test reads. */
export function profile(overrides: Partial<ProfileDocument> = {}): ProfileDocument {
  return {
    profileId: 'profile-1',
    version: 1,
    traits: {},
    traitTimes: {},
    firstSeen: daysAgo(100),
    lastSeen: new Date(NOW).toISOString(),
    totalEvents: 0,
    totalPageViews: 0,
    totalPurchases: 0,
    lifetimeValue: 0,
    eventCounts: {},
    daily: [],
    sessions: { count: 0, totalDurationMs: 0 },
    mergedFrom: [],
    appliedSequences: {},
    updatedAt: new Date(NOW).toISOString(),
    ...overrides,
  };
}

/** One activity item. */
export function item(
  eventName: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
): ActivityItem {
  return { eventId: `${eventName}-${timestamp}`, eventName, timestamp, source: 'web', properties };
}

/** A one-segment definition list with id `s`. */
export function only(rule: SegmentRuleInput): SegmentDefinition[] {
  return [SegmentDefinition.parse({ id: 's', name: 'S', rule })];
}
