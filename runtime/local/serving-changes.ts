import type {
  MemoryProfileStore,
  StoredActivity,
  TimelineSnapshot,
} from '../../adapters/local/memory-profile-store';
import type { MemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { SegmentSummary } from '../../contracts/ports/segment-store';
import type { ProfileDocument, SegmentMembership } from '../../contracts/profile';
import {
  drainCaptures,
  foldCheckpoints,
  type KeyedTableSnapshot,
  TableCapture,
  tableEntries,
} from '../../processors/engine/checkpoint/keyed-table';
import type { ProfileMerge } from '../../processors/identity';
import type { MergeLog } from './resolver-identity-view';

/**
 * The serving side of an incremental checkpoint: keyed tables of what changed since the previous
 * checkpoint (documents, timelines, memberships by profile, merge records by survivor), and the
 * segment definitions whole (a handful).
 */
export interface ServingChanges {
  readonly formatVersion: 2;
  readonly profiles: KeyedTableSnapshot<string>;
  readonly activity: KeyedTableSnapshot<string>;
  readonly memberships: KeyedTableSnapshot<string>;
  readonly merges: KeyedTableSnapshot<string>;
  readonly segments: readonly Omit<SegmentSummary, 'memberCount'>[];
}

/** True for the serving part of an incremental checkpoint (older checkpoints hold whole stores). */
export function isServingChanges(value: unknown): value is ServingChanges {
  return (value as { formatVersion?: unknown } | undefined)?.formatVersion === 2;
}

/** The serving stores with change tracking, and how to capture and restore their changes. */
export interface TrackedServingStores {
  /** The profile store to hand out (writes are tracked). */
  readonly profiles: MemoryProfileStore;
  /** The segment store to hand out (writes are tracked). */
  readonly segments: MemorySegmentStore;
  /** Records that the merge log of `into` is about to change (call before changing it). */
  mergesChanged(into: string): void;
  /**
   * Captures what changed since the previous capture, synchronously and in O(1): the changed keys only.
   * Each value (document, timeline, memberships, merge records) is read when the checkpoint is written,
   * a chunk at a time; until then a write to a captured key copies its value first (copy-on-write).
   * `mark(step)` is called as each step ends, for timings.
   */
  capture(mark?: (step: string) => void): ServingChanges;
  /** Loads a folded {@link ServingChanges} into the (empty) stores; the load is not a change. */
  restore(snapshot: ServingChanges): Promise<void>;
}

/**
 * Wraps the embedded runtime's memory stores to know which profiles changed since the last checkpoint
 * (so a checkpoint writes only those: its cost follows the changes, not the size of the stores).
 */
export function trackServingStores(
  profiles: MemoryProfileStore,
  segments: MemorySegmentStore,
  merges: MergeLog,
): TrackedServingStores {
  let documents = new Set<string>();
  let activity = new Set<string>();
  let memberships = new Set<string>();
  let mergeKeys = new Set<string>();
  /** The last capture's tables, while some of their values wait to be serialized. */
  let pending:
    | {
        documents: TableCapture<string>;
        activity: TableCapture<string>;
        memberships: TableCapture<string>;
        merges: TableCapture<string>;
      }
    | undefined;

  const trackedProfiles: MemoryProfileStore = {
    ...profiles,
    async write(writes) {
      // marked first: a capture reads the stores' current content, so marking too much is harmless
      for (const w of writes) {
        const id = w.kind === 'put' ? w.document.profileId : w.profileId;
        pending?.documents.copyNow(id);
        documents.add(id);
      }
      return profiles.write(writes);
    },
    async appendActivity(profileId, items, expiresAtMs) {
      pending?.activity.copyNow(profileId);
      activity.add(profileId);
      await profiles.appendActivity(profileId, items, expiresAtMs);
    },
    async moveActivity(from, into) {
      pending?.activity.copyNow(from);
      pending?.activity.copyNow(into);
      activity.add(from);
      activity.add(into);
      await profiles.moveActivity(from, into);
    },
  };
  const trackedSegments: MemorySegmentStore = {
    ...segments,
    async apply(writes) {
      for (const w of writes) {
        const id = w.kind === 'add' ? w.membership.profileId : w.profileId;
        pending?.memberships.copyNow(id);
        memberships.add(id);
      }
      await segments.apply(writes);
    },
  };
  const orRemoved = <T>(list: readonly T[] | undefined) =>
    list === undefined || list.length === 0 ? undefined : list;

  return {
    profiles: trackedProfiles,
    segments: trackedSegments,
    mergesChanged: (into) => {
      pending?.merges.copyNow(into);
      mergeKeys.add(into);
    },
    capture(mark) {
      // a capture still pending (not written) is serialized first: its keys would lose copy-on-write
      if (pending !== undefined) for (const t of Object.values(pending)) t.drain(Number.POSITIVE_INFINITY);
      const next = {
        // the store replaces documents, never changes them, and a timeline's snapshot is immutable too (its
        // packed bytes, its new entries by reference): a write keeps the captured value by reference
        // instead of serializing it on the write path (a timeline becomes its live entries only when
        // serialized, the checkpoint format of before)
        documents: TableCapture.ofKeys(documents, (id) => profiles.peek(id), { immutable: true }),
        activity: TableCapture.ofKeys(activity, (id) => profiles.peekTimeline(id), {
          immutable: true,
          encode: (timeline) => orRemoved(profiles.activityOf(timeline as TimelineSnapshot)),
        }),
        // raw, as before (a fold refuses a table whose encoding changes): fresh arrays of stored memberships
        memberships: TableCapture.ofKeys(memberships, (id) => orRemoved(segments.peekMemberships(id)), {
          encoding: 'raw',
        }),
        merges: TableCapture.ofKeys(mergeKeys, (into) => merges.get(into), {
          exists: (into) => merges.has(into),
        }),
      };
      pending = next;
      documents = new Set();
      activity = new Set();
      memberships = new Set();
      mergeKeys = new Set();
      mark?.('serving.capture');
      const summaries = segments.peekSegments();
      mark?.('serving.segments');
      return {
        formatVersion: 2,
        profiles: next.documents,
        activity: next.activity,
        memberships: next.memberships,
        merges: next.merges,
        segments: summaries.map(({ memberCount: _count, ...segment }) => segment),
      };
    },
    async restore(snapshot) {
      const docs = tableEntries<string, ProfileDocument>(snapshot.profiles);
      for (let i = 0; i < docs.length; i += 100) {
        const result = await profiles.write(
          docs
            .slice(i, i + 100)
            .map(([, document]) => ({ kind: 'put' as const, document, expectedVersion: null })),
        );
        if (!result.ok)
          throw new Error(`restoring profile ${result.profileId} conflicted: the store was not empty`);
      }
      for (const [id, entries] of tableEntries<string, StoredActivity[]>(snapshot.activity))
        profiles.restoreActivity(id, entries);
      for (const segment of snapshot.segments) await segments.defineSegment(segment);
      const adds = tableEntries<string, SegmentMembership[]>(snapshot.memberships).flatMap(([, list]) =>
        list.map((membership) => ({ kind: 'add' as const, membership })),
      );
      for (let i = 0; i < adds.length; i += 1000) await segments.apply(adds.slice(i, i + 1000));
      for (const [into, list] of tableEntries<string, ProfileMerge[]>(snapshot.merges))
        merges.set(into, list);
    },
  };
}

/**
 * The profile documents and memberships a serving snapshot holds (either format: a capture, a folded
 * checkpoint's, or an older checkpoint's whole stores); for tests and tools that compare states.
 */
export async function servingContentOf(
  snapshot: unknown,
): Promise<{ profiles: ProfileDocument[]; memberships: SegmentMembership[] }> {
  if (!isServingChanges(snapshot)) {
    const whole = snapshot as { stores: { profiles: ProfileDocument[]; memberships: SegmentMembership[] } };
    return { profiles: [...whole.stores.profiles], memberships: [...whole.stores.memberships] };
  }
  await drainCaptures(snapshot);
  const folded = foldCheckpoints([snapshot]) as ServingChanges;
  return {
    profiles: tableEntries<string, ProfileDocument>(folded.profiles).map(([, d]) => d),
    memberships: tableEntries<string, SegmentMembership[]>(folded.memberships).flatMap(([, list]) => list),
  };
}
