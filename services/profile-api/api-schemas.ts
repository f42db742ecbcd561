import { z } from 'zod';
import { Identifier } from '../../contracts/identifier';
import { ErrorResponse } from '../../contracts/ingest-response';
import { ActivityItem, ProfileView, SegmentMembership, SegmentSource } from '../../contracts/profile';

const IsoTimestamp = z.iso.datetime({ offset: true });

/** Path parameter `:id` of profile and segment routes. */
export const IdParam = z.object({
  id: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});
export type IdParam = z.infer<typeof IdParam>;

/** Query of `GET /v1/profiles/lookup`. */
export const LookupQuery = z.object({
  type: z.string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required: email, user_id, anonymous_id, phone or a custom type'
        : 'must be given once, as a string',
  }),
  value: z
    .string({
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be given once, as a string'),
    })
    .max(1024, 'must be at most 1024 characters'),
});
export type LookupQuery = z.infer<typeof LookupQuery>;

/** Query of the paged routes; `limit` is bounded by the configured maximum. */
export function pageQuery(defaultPageSize: number, maxPageSize: number) {
  return z.object({
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(maxPageSize, `must be at most ${maxPageSize}`)
      .default(defaultPageSize),
    cursor: z
      .string({ error: 'must be given once, as a string' })
      .min(1, 'must not be empty')
      .max(4096, 'is too long')
      .optional(),
  });
}

/** `GET /v1/profiles/lookup` → 302; the body repeats where to go. */
export const LookupResponse = z.object({ profileId: z.string(), location: z.string() });
export type LookupResponse = z.infer<typeof LookupResponse>;

const MergeCauseView = z.object({
  eventId: z.string(),
  timestamp: IsoTimestamp,
  identifiers: z.array(Identifier),
  rule: z.enum(['same-event', 'alias', 'late-event-replay', 'unmerge-replay', 'profile-id-change']),
});

/** A recorded profile merge: profiles `from` were merged into `into` because of `cause`. */
export const ProfileMergeView = z.object({
  into: z.string(),
  from: z.array(z.string()),
  cause: MergeCauseView,
});

/** `GET /v1/profiles/:id/identities`. */
export const IdentitiesResponse = z.object({
  profileId: z.string(),
  mergedFrom: z.string().optional(),
  identities: z.array(
    z.object({
      identifier: Identifier,
      anchor: z.boolean().meta({ description: 'The identifier the profile id derives from' }),
      joinedBy: z
        .object({
          eventId: z.string(),
          timestamp: IsoTimestamp,
          rule: z.enum(['same-event', 'alias']),
          linkedTo: Identifier,
        })
        .optional()
        .meta({ description: 'The link that joined this identifier to the anchor side' }),
      merge: ProfileMergeView.optional().meta({
        description: 'The profile merge recorded for that link, when it joined two existing profiles',
      }),
    }),
  ),
  merges: z.array(ProfileMergeView),
});
export type IdentitiesResponse = z.infer<typeof IdentitiesResponse>;

/** `GET /v1/profiles/:id/events`: newest first. */
export const EventsPage = z.object({
  profileId: z.string(),
  mergedFrom: z.string().optional(),
  items: z.array(ActivityItem),
  nextCursor: z.string().optional(),
});
export type EventsPage = z.infer<typeof EventsPage>;

/** One segment of `GET /v1/segments`. */
export const SegmentSummaryView = z.object({
  segmentId: z.string(),
  source: SegmentSource,
  description: z.string().optional(),
  memberCount: z.number().int().nonnegative(),
});

/** `GET /v1/segments`: real-time and SQL segments side by side. */
export const SegmentList = z.object({ segments: z.array(SegmentSummaryView) });
export type SegmentList = z.infer<typeof SegmentList>;

/** `GET /v1/segments/:id/members`. */
export const MembersPage = z.object({
  segmentId: z.string(),
  source: SegmentSource.optional(),
  items: z.array(SegmentMembership),
  nextCursor: z.string().optional(),
});
export type MembersPage = z.infer<typeof MembersPage>;

/** Every schema the Profile API's OpenAPI document publishes, by name. */
export const PROFILE_API_SCHEMAS = {
  Identifier,
  ActivityItem,
  SegmentMembership,
  ProfileView,
  LookupResponse,
  ProfileMerge: ProfileMergeView,
  IdentitiesResponse,
  EventsPage,
  SegmentSummary: SegmentSummaryView,
  SegmentList,
  MembersPage,
  ErrorResponse,
} as const;
