import type { MemoryProfileStore, StoredActivity } from '../../adapters/local/memory-profile-store';
import type { SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import type { ProfileDocument, SegmentMembership } from '../../contracts/profile';
import {
  drainCaptures,
  foldCheckpoints,
  type KeyedTableSnapshot,
  rawTable,
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
  readonly segments: SegmentStore;
  /** Records that the merge log of `into` changed. */
  mergesChanged(into: string): void;
  /**
   * Captures what changed since the previous capture. Documents, timeline entries and merge records are
   * never changed in place by their stores, so the capture holds references and is serialized later,
   * a chunk at a time.
   */
  capture(mark?: (step: string) => void): Promise<ServingChanges>;
  /** Loads a folded {@link ServingChanges} into the (empty) stores; the load is not a change. */
  restore(snapshot: ServingChanges): Promise<void>;
}

/**
 * Wraps the embedded runtime's memory stores to know which profiles changed since the last checkpoint
 * (so a checkpoint writes only those: its cost follows the changes, not the size of the stores).
 */
export function trackServingStores(
  profiles: MemoryProfileStore,
  segments: SegmentStore,
  merges: MergeLog,
): TrackedServingStores {
  let documents = new Set<string>();
  let activity = new Set<string>();
  let memberships = new Set<string>();
  let mergeKeys = new Set<string>();

  const trackedProfiles: MemoryProfileStore = {
    ...profiles,
    async write(writes) {
      // marked first: a capture reads the stores' current content, so marking too much is harmless
      for (const w of writes) documents.add(w.kind === 'put' ? w.document.profileId : w.profileId);
      return profiles.write(writes);
    },
    async appendActivity(profileId, items, expiresAtMs) {
      activity.add(profileId);
      await profiles.appendActivity(profileId, items, expiresAtMs);
    },
    async moveActivity(from, into) {
      activity.add(from);
      activity.add(into);
      await profiles.moveActivity(from, into);
    },
  };
  const trackedSegments: SegmentStore = {
    ...segments,
    async apply(writes) {
      for (const w of writes) memberships.add(w.kind === 'add' ? w.membership.profileId : w.profileId);
      await segments.apply(writes);
    },
  };

  return {
    profiles: trackedProfiles,
    segments: trackedSegments,
    mergesChanged: (into) => {
      mergeKeys.add(into);
    },
    async capture(mark) {
      const [d, a, m, g] = [documents, activity, memberships, mergeKeys];
      documents = new Set();
      activity = new Set();
      memberships = new Set();
      mergeKeys = new Set();
      const profileTable = new TableCapture([...d].map((id) => [id, profiles.peek(id)] as const));
      mark?.('serving.documents');
      const activityOf = (id: string) => {
        const live = profiles.peekActivity(id);
        return live.length === 0 ? undefined : live;
      };
      const activityTable = new TableCapture([...a].map((id) => [id, activityOf(id)] as const));
      mark?.('serving.timelines');
      const membershipRows: [string, readonly SegmentMembership[] | undefined][] = [];
      for (const id of m) {
        const list = await segments.getMemberships(id);
        membershipRows.push([id, list.length === 0 ? undefined : list]);
      }
      const membershipTable = rawTable(
        membershipRows.filter((r): r is [string, readonly SegmentMembership[]] => r[1] !== undefined),
        membershipRows.filter((r) => r[1] === undefined).map(([id]) => id),
      );
      mark?.('serving.memberships');
      const mergeTable = new TableCapture(
        [...g].map((into) => {
          const list = merges.get(into);
          return [into, list === undefined ? undefined : [...list]] as const;
        }),
      );
      mark?.('serving.merges');
      const summaries = await segments.listSegments();
      mark?.('serving.segments');
      return {
        formatVersion: 2,
        profiles: profileTable,
        activity: activityTable,
        memberships: membershipTable,
        merges: mergeTable,
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
