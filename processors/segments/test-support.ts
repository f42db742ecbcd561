import type { ActivityItem, DailyActivity, ProfileDocument } from '../../contracts/profile';
import { SegmentDefinition, type SegmentRuleInput } from '../../contracts/segment-definition';
import { profileDocument } from '../../test/fixtures/profile-document';

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
  return profileDocument('profile-1', { firstSeen: daysAgo(100), ...overrides }, new Date(NOW).toISOString());
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
