import { z } from 'zod';
import { Identifier } from './identifier';

const IsoTimestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();

/** Activity of one UTC day (`YYYY-MM-DD`): the buckets that "last 7/30/90 days" figures are read from. */
export const DailyActivity = z.object({
  day: z.iso.date(),
  events: Count,
  pageViews: Count,
  purchases: Count,
  revenue: z.number(),
  /** Count per event name on that day (for "did X at least N times within D days"). */
  eventCounts: z.record(z.string(), Count),
});
export type DailyActivity = z.infer<typeof DailyActivity>;

/** The last page seen, by event time. */
export const LastPage = z.object({
  url: z.string().optional(),
  path: z.string().optional(),
  title: z.string().optional(),
  timestamp: IsoTimestamp,
});
export type LastPage = z.infer<typeof LastPage>;

/** Lifetime figures: every accepted event counts here, however late (lateness applies to windows only). */
export const LifetimeTotals = z.object({
  firstSeen: IsoTimestamp,
  lastSeen: IsoTimestamp,
  totalEvents: Count,
  totalPageViews: Count,
  totalPurchases: Count,
  lifetimeValue: z.number(),
  eventCounts: z.record(z.string(), Count),
  lastPage: LastPage.optional(),
  /** The earliest signup, with its properties (`method`, `plan`, ...). */
  signup: z.object({ timestamp: IsoTimestamp, properties: z.record(z.string(), z.unknown()) }).optional(),
});
export type LifetimeTotals = z.infer<typeof LifetimeTotals>;

/**
 * A profile as the processors keep it and the serving store holds it (DynamoDB `PROFILE#id` /
 * `METADATA`, or the embedded store). Every field is a mergeable accumulator: merging two documents or
 * applying events in any order gives the same document. Time-relative figures (`daysSinceLastVisit`,
 * last-30-days revenue, ...) are not stored: they are computed when read (see `ProfileView`).
 */
export const ProfileDocument = z.object({
  profileId: z.string().min(1),
  /** Incremented on every write; the condition of the next write. */
  version: z.number().int().nonnegative(),
  /** Traits, last write wins per trait by event time (`traitTimes` holds each trait's event time). */
  traits: z.record(z.string(), z.unknown()),
  traitTimes: z.record(z.string(), IsoTimestamp),
  ...LifetimeTotals.shape,
  /** Day buckets, oldest first, kept for the longest horizon read (90 days by default). */
  daily: z.array(DailyActivity),
  /** Sessions (30-minute gap by default) that the session windows have closed. */
  sessions: z.object({ count: Count, totalDurationMs: z.number().nonnegative() }),
  /** Profile ids merged into this one. */
  mergedFrom: z.array(z.string()),
  /** Last applied sequence number per shard: a redelivered batch has no second effect. */
  appliedSequences: z.record(z.string(), z.string()),
  updatedAt: IsoTimestamp,
});
export type ProfileDocument = z.infer<typeof ProfileDocument>;

/** One entry of a profile's recent-activity timeline (DynamoDB `EVENT#<timestamp>#<eventId>`, with TTL). */
export const ActivityItem = z.object({
  eventId: z.string().min(1),
  eventName: z.string().min(1),
  timestamp: IsoTimestamp,
  source: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
});
export type ActivityItem = z.infer<typeof ActivityItem>;

/** Where a segment is computed: in the stream processors, or by SQL models in the warehouse. */
export const SegmentSource = z.enum(['realtime', 'sql']);
export type SegmentSource = z.infer<typeof SegmentSource>;

/** A profile's membership of a segment (stored both ways: by profile and by segment). */
export const SegmentMembership = z.object({
  segmentId: z.string().min(1),
  profileId: z.string().min(1),
  source: SegmentSource,
  enteredAt: IsoTimestamp,
});
export type SegmentMembership = z.infer<typeof SegmentMembership>;

/** `segment_entered` / `segment_exited`, emitted on every membership change (and landed in the lake). */
export const SegmentChange = z.object({
  segmentId: z.string().min(1),
  profileId: z.string().min(1),
  source: SegmentSource,
  change: z.enum(['entered', 'exited']),
  timestamp: IsoTimestamp,
});
export type SegmentChange = z.infer<typeof SegmentChange>;

/** What the Profile API answers for `GET /v1/profiles/:id` (the seed's shape, plus provenance). */
export const ProfileView = z.object({
  profile: z.object({
    profileId: z.string(),
    traits: z.record(z.string(), z.unknown()),
    identifiers: z.array(Identifier),
    ...LifetimeTotals.shape,
    /** Computed at read time from `lastSeen`. */
    daysSinceLastVisit: Count,
    /** Computed at read time from the day buckets. */
    last7Days: z.object({ purchases: Count, revenue: z.number(), pageViews: Count }),
    last30Days: z.object({ purchases: Count, revenue: z.number(), pageViews: Count }),
    last90Days: z.object({ purchases: Count, revenue: z.number(), pageViews: Count }),
    today: z.object({ events: Count, purchases: Count, revenue: z.number(), pageViews: Count }),
    sessions: z.object({ count: Count, averageDurationMs: z.number().nonnegative() }),
    updatedAt: IsoTimestamp,
  }),
  segments: z.array(SegmentMembership),
  recentActivity: z.array(ActivityItem),
  /** Set when the id asked for was merged away: the id asked for, and that this is the survivor. */
  mergedFrom: z.string().optional(),
});
export type ProfileView = z.infer<typeof ProfileView>;
