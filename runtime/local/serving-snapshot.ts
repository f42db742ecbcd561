import type { MemoryProfileStore } from '../../adapters/local/memory-profile-store';
import type { SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import type { ActivityItem, ProfileDocument, SegmentMembership } from '../../contracts/profile';

/** The content of the serving stores, as a checkpoint keeps it (plain, structured-cloneable data). */
export interface ServingSnapshot {
  readonly profiles: readonly ProfileDocument[];
  /** Timeline entries per profile id, newest first. */
  readonly activity: readonly (readonly [string, readonly ActivityItem[]])[];
  readonly segments: readonly Omit<SegmentSummary, 'memberCount'>[];
  readonly memberships: readonly SegmentMembership[];
}

const PAGE = 1000;

/** Reads everything out of the memory stores through their ports. */
export async function snapshotServingStores(
  profiles: MemoryProfileStore,
  segments: SegmentStore,
): Promise<ServingSnapshot> {
  const documents = profiles.all();
  const activity: [string, ActivityItem[]][] = [];
  for (const doc of documents) {
    const items: ActivityItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await profiles.listActivity(doc.profileId, { limit: PAGE, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    if (items.length > 0) activity.push([doc.profileId, items]);
  }
  const summaries = await segments.listSegments();
  const memberships: SegmentMembership[] = [];
  for (const s of summaries) {
    let cursor: string | undefined;
    do {
      const page = await segments.listMembers(s.segmentId, { limit: PAGE, cursor });
      memberships.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  return {
    profiles: documents,
    activity,
    segments: summaries.map(({ memberCount: _count, ...segment }) => segment),
    memberships,
  };
}

/**
 * Loads a snapshot into empty memory stores. Timeline entries get `activityExpiresAtMs` as their expiry
 * (the snapshot does not keep each entry's own, so they may live a little longer than first planned).
 */
export async function restoreServingStores(
  snapshot: ServingSnapshot,
  stores: { profiles: MemoryProfileStore; segments: SegmentStore },
  activityExpiresAtMs: number,
): Promise<void> {
  for (let i = 0; i < snapshot.profiles.length; i += 100) {
    const result = await stores.profiles.write(
      snapshot.profiles
        .slice(i, i + 100)
        .map((document) => ({ kind: 'put' as const, document, expectedVersion: null })),
    );
    if (!result.ok)
      throw new Error(`restoring profile ${result.profileId} conflicted: the store was not empty`);
  }
  for (const [profileId, items] of snapshot.activity) {
    await stores.profiles.appendActivity(profileId, items, activityExpiresAtMs);
  }
  for (const segment of snapshot.segments) await stores.segments.defineSegment(segment);
  for (let i = 0; i < snapshot.memberships.length; i += PAGE) {
    await stores.segments.apply(
      snapshot.memberships.slice(i, i + PAGE).map((membership) => ({ kind: 'add', membership })),
    );
  }
}
