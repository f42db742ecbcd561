import { z } from 'zod';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Which events count as purchases, page views and signups. Purchases are matched by event name and
 * read their amount from the first numeric property listed (the seed's `purchase` → `amount`,
 * Segment's `Order Completed` → `revenue`, else `total`).
 */
export const ProfileEventMapping = z.object({
  purchases: z
    .array(z.object({ eventName: z.string().min(1), amountProperties: z.array(z.string().min(1)).min(1) }))
    .default([
      { eventName: 'purchase', amountProperties: ['amount'] },
      { eventName: 'Order Completed', amountProperties: ['revenue', 'total'] },
    ]),
  /** Event names counted as page views (Segment `page` calls are named `page_view` by normalization). */
  pageViews: z.array(z.string().min(1)).default(['page_view']),
  signups: z.array(z.string().min(1)).default(['signup', 'Signed Up']),
});
export type ProfileEventMapping = z.infer<typeof ProfileEventMapping>;

/** Profile aggregation settings; every field has a default. */
export const ProfileConfig = z.object({
  mapping: ProfileEventMapping.default(ProfileEventMapping.parse({})),
  /** Inactivity that ends a session (event-time session windows). */
  sessionGapMs: z
    .number()
    .int()
    .positive()
    .default(30 * MINUTE),
  /**
   * How late an event may still extend or bridge a session; later ones go to the late-events output.
   * A week by default (as the dedupe window): a phone that was offline for days still gets its
   * sessions right, and open sessions are a few numbers per profile.
   */
  sessionAllowedLatenessMs: z
    .number()
    .int()
    .nonnegative()
    .default(7 * DAY),
  /**
   * How late an event may still land in its day bucket (the buckets behind the 7/30/90-day figures);
   * buckets are kept this long after their day ends. Must cover the longest horizon read (90 days).
   */
  dailyAllowedLatenessMs: z
    .number()
    .int()
    .min(90 * DAY)
    .default(90 * DAY),
  /** Same `eventId` within this much processing time counts once. */
  dedupeWindowMs: z
    .number()
    .int()
    .positive()
    .default(7 * DAY),
  /** Recent-activity timeline: newest items kept per profile, and how long an item lives. */
  recentActivityLimit: z.number().int().min(1).max(1000).default(50),
  activityTtlMs: z
    .number()
    .int()
    .positive()
    .default(365 * DAY),
});
export type ProfileConfig = z.infer<typeof ProfileConfig>;

/** Input form of the config: every field optional. */
export type ProfileConfigInput = z.input<typeof ProfileConfig>;

export const DAY_MS = DAY;
