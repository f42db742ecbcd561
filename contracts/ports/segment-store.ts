import type { SegmentMembership, SegmentSource } from '../profile';
import type { Page } from './profile-store';

/** A segment as listed by the Profile API. */
export interface SegmentSummary {
  readonly segmentId: string;
  readonly source: SegmentSource;
  readonly description?: string;
  readonly memberCount: number;
}

/** One membership change to store; applying the same change twice has no second effect. */
export type MembershipWrite =
  | { readonly kind: 'add'; readonly membership: SegmentMembership }
  | { readonly kind: 'remove'; readonly segmentId: string; readonly profileId: string };

/**
 * Segment memberships, stored both ways (`SEGMENT#<id>` / `PROFILE#<id>` and back) so that both
 * "members of S" and "segments of P" are one query. Real-time and SQL segments live side by side,
 * each marked with its `source`.
 */
export interface SegmentStore {
  /** Registers (or updates) a segment's description so it is listed even with no members. */
  defineSegment(segment: { segmentId: string; source: SegmentSource; description?: string }): Promise<void>;
  listSegments(): Promise<readonly SegmentSummary[]>;
  listMembers(
    segmentId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<SegmentMembership>>;
  getMemberships(profileId: string): Promise<readonly SegmentMembership[]>;
  /** Applies the writes (in batches where the store needs it); idempotent. */
  apply(writes: readonly MembershipWrite[]): Promise<void>;
}
