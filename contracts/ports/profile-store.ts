import type { ActivityItem, ProfileDocument } from '../profile';

/** A page of results; pass `nextCursor` back to read the next page (absent on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** Outcome of a conditional write: `conflict` when the stored version is not the expected one. */
export type ConditionalWriteResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'conflict'; readonly profileId: string };

/**
 * Where profiles are served from (DynamoDB single table `PROFILE#<id>` in AWS, the embedded store
 * locally). Writes are conditional on `version` so concurrent writers cannot lose updates, and
 * idempotent on `(profileId, eventId)` for activity.
 */
export interface ProfileStore {
  get(profileId: string): Promise<ProfileDocument | undefined>;
  /** In input order; `undefined` for unknown ids. */
  getMany(profileIds: readonly string[]): Promise<readonly (ProfileDocument | undefined)[]>;
  /**
   * Writes every document or none. `expectedVersion`: `null` when the profile must not exist yet,
   * else the stored version must equal it. `delete` removes a profile merged away (its activity moves
   * with `moveActivity`).
   */
  write(
    writes: readonly (
      | { readonly kind: 'put'; readonly document: ProfileDocument; readonly expectedVersion: number | null }
      | { readonly kind: 'delete'; readonly profileId: string; readonly expectedVersion: number }
    )[],
  ): Promise<ConditionalWriteResult>;
  /** Adds timeline entries (an entry with the same eventId is written once); expired ones are dropped. */
  appendActivity(profileId: string, items: readonly ActivityItem[], expiresAtMs: number): Promise<void>;
  /** Newest first. */
  listActivity(profileId: string, options: { limit: number; cursor?: string }): Promise<Page<ActivityItem>>;
  /** Moves every timeline entry of `from` to `into` (after a merge). */
  moveActivity(from: string, into: string): Promise<void>;
}

/**
 * Zero-copy reads of a store that keeps its data in this process (the embedded store), for the Profile
 * API's hot path. What they return is the store's own data: read and serialize it, never change it. The
 * store never changes what it returned in place (writes replace), so holding it a little is harmless.
 */
export interface ProfileServingReads {
  /** The stored document itself, or `undefined` when there is none. */
  peek(profileId: string): ProfileDocument | undefined;
  /** The newest `limit` live timeline entries as a UTF-8 JSON array, newest first (`[]` when none). */
  recentActivityJson(profileId: string, limit: number): Uint8Array;
}
