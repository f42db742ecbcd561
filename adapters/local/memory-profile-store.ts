import type {
  ConditionalWriteResult,
  Page,
  ProfileServingReads,
  ProfileStore,
} from '../../contracts/ports/profile-store';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { copyPlainData } from './copy-plain-data';
import {
  liveIndexes,
  type PackedTimeline,
  packedItem,
  packedJson,
  type StoredActivity,
} from './packed-timeline';
import { createTimelineTable, type TimelineSnapshot } from './timeline-table';

export type { StoredActivity } from './packed-timeline';
export type { TimelineSnapshot } from './timeline-table';

/** Options of the in-memory profile store. */
export interface MemoryProfileStoreOptions {
  /** Wall clock (ms) that expires timeline entries; `Date.now` by default. */
  readonly now?: () => number;
  /** Newest timeline entries kept per profile (older ones are dropped); 1,000 by default. */
  readonly maxActivityPerProfile?: number;
  /**
   * A timeline not written for this long (by `now`) is packed into bytes outside the JS heap (see
   * `timeline-table.ts`); 60 s by default.
   */
  readonly coldTimelineAfterMs?: number;
}

const cursorOf = (item: ActivityItem) =>
  Buffer.from(JSON.stringify([item.timestamp, item.eventId])).toString('base64url');

function parseCursor(cursor: string): { timestamp: string; eventId: string } | undefined {
  try {
    const [timestamp, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp !== 'string' || typeof eventId !== 'string') return undefined;
    return { timestamp, eventId };
  } catch {
    return undefined;
  }
}

/** An in-memory store with the exact semantics of the port (a test fake and the embedded runtime's store). */
export interface MemoryProfileStore extends ProfileStore, ProfileServingReads {
  /** Every stored document (copies), for tests and snapshots. */
  all(): ProfileDocument[];
  /**
   * The stored document itself, not a copy (for checkpoints: the store replaces documents on write and
   * never changes one in place, so it stays as it was). Callers must not change it.
   */
  peek(profileId: string): ProfileDocument | undefined;
  /**
   * The profile's timeline as it is now, immutable (for checkpoints: cheap, no copy of its entries), or
   * `undefined`; {@link activityOf} gives its live entries.
   */
  peekTimeline(profileId: string): TimelineSnapshot | undefined;
  /** A timeline's live entries with their expiries, unordered (fresh objects for packed ones). */
  activityOf(timeline: TimelineSnapshot): StoredActivity[];
  /**
   * Packs up to `maxPacks` timelines not written for `coldTimelineAfterMs` (writes do a few each; call
   * it when writes stop for a while); how many it packed.
   */
  packColdTimelines(maxPacks: number): number;
  /** Loads timeline entries with their own expiries (restoring a checkpoint). */
  restoreActivity(profileId: string, entries: readonly StoredActivity[]): void;
}

/**
 * Creates a {@link ProfileStore} in memory: documents are copied in and out (no aliasing), writes are
 * all-or-nothing under their version conditions, activity is keyed by `(profileId, eventId)`, expires at
 * `expiresAtMs` and keeps the newest `maxActivityPerProfile` entries.
 */
export function createMemoryProfileStore(options: MemoryProfileStoreOptions = {}): MemoryProfileStore {
  const now = options.now ?? Date.now;
  const maxActivity = options.maxActivityPerProfile ?? 1000;
  const documents = new Map<string, ProfileDocument>();
  const activity = createTimelineTable({
    now,
    max: maxActivity,
    coldAfterMs: options.coldTimelineAfterMs ?? 60_000,
  });

  return {
    async get(profileId) {
      const doc = documents.get(profileId);
      return doc === undefined ? undefined : copyPlainData(doc);
    },
    async getMany(profileIds) {
      return profileIds.map((id) => {
        const doc = documents.get(id);
        return doc === undefined ? undefined : copyPlainData(doc);
      });
    },
    async write(writes): Promise<ConditionalWriteResult> {
      for (const w of writes) {
        const id = w.kind === 'put' ? w.document.profileId : w.profileId;
        const stored = documents.get(id);
        const ok = w.expectedVersion === null ? stored === undefined : stored?.version === w.expectedVersion;
        if (!ok) return { ok: false, reason: 'conflict', profileId: id };
      }
      for (const w of writes) {
        if (w.kind === 'put') documents.set(w.document.profileId, copyPlainData(w.document));
        else documents.delete(w.profileId);
      }
      return { ok: true };
    },
    async appendActivity(profileId, items, expiresAtMs) {
      if (expiresAtMs <= now() || items.length === 0) return;
      // kept as given while hot (callers hand over immutable items), as JSON bytes once cold: reads
      // return fresh copies
      activity.append(
        profileId,
        items.map((item) => ({ item, expiresAtMs })),
      );
    },
    async listActivity(profileId, { limit, cursor }): Promise<Page<ActivityItem>> {
      const after = cursor === undefined ? undefined : parseCursor(cursor);
      const timeline = activity.packed(profileId);
      const live = liveIndexes(timeline, now(), after);
      const page = live.slice(0, Math.max(0, limit)).map((i) => packedItem(timeline as PackedTimeline, i));
      const last = page[page.length - 1];
      return live.length > page.length && last !== undefined
        ? { items: page, nextCursor: cursorOf(last) }
        : { items: page };
    },
    async moveActivity(from, into) {
      if (from === into) return;
      const moving = activity.remove(from);
      if (moving.length > 0) activity.append(into, moving);
    },
    all() {
      return [...documents.values()].map((d) => copyPlainData(d));
    },
    peek: (profileId) => documents.get(profileId),
    // packs the timeline when read (its new entries stringified once, not per read)
    recentActivityJson: (profileId, limit) => packedJson(activity.packed(profileId), now(), limit),
    peekTimeline: (profileId) => activity.snapshot(profileId),
    activityOf: (timeline) => activity.entriesOf(timeline),
    packColdTimelines: (maxPacks) => activity.packCold(maxPacks),
    restoreActivity(profileId, entries) {
      const t = now();
      const live = entries.filter((e) => e.expiresAtMs > t);
      if (live.length > 0) activity.append(profileId, live);
    },
  };
}
