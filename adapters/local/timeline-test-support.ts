import type { ActivityItem } from '../../contracts/profile';

/** A `page_view` timeline entry for the timeline tests. */
export const activityItem = (
  eventId: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
): ActivityItem => ({
  eventId,
  eventName: 'page_view',
  timestamp,
  source: 'web',
  properties,
});
