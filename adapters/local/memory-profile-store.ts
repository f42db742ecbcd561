import type {
  ConditionalWriteResult,
  Page,
  ProfileServingReads,
  ProfileStore,
} from '../../contracts/ports/profile-store';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { copyPlainData } from './copy-plain-data';
import {
  addToTimeline,
  liveIndexes,
  type PackedTimeline,
  type StoredActivity,
  timelineEntries,
  timelineItem,
  timelineJson,
} from './packed-timeline';

export type { PackedTimeline, StoredActivity } from './packed-timeline';

/** Options of the in-memory profile store. */
export interface MemoryProfileStoreOptions {
  /** Wall clock (ms) that expires timeline entries; `Date.now` by default. */
  readonly now?: () => number;
  /** Newest timeline entries kept per profile (older ones are dropped); 1,000 by default. */
  readonly maxActivityPerProfile?: number;
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
   * The profile's stored timeline itself (for checkpoints: a write replaces it, never changes it), or
   * `undefined`; {@link activityOf} gives its live entries.
   */
  peekTimeline(profileId: string): PackedTimeline | undefined;
  /** A timeline's live entries with their expiries, newest first (fresh objects). */
  activityOf(timeline: PackedTimeline): StoredActivity[];
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
  /** Timelines as bytes (see {@link PackedTimeline}); expired entries are dropped at the next write. */
  const activity = new Map<string, PackedTimeline>();

  function addActivity(profileId: string, entries: readonly StoredActivity[]): void {
    const next = addToTimeline(activity.get(profileId), entries, maxActivity, now());
    if (next === undefined) activity.delete(profileId);
    else activity.set(profileId, next);
  }

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
      // kept as JSON bytes (see PackedTimeline): reads parse fresh copies
      addActivity(
        profileId,
        items.map((item) => ({ item, expiresAtMs })),
      );
    },
    async listActivity(profileId, { limit, cursor }): Promise<Page<ActivityItem>> {
      const after = cursor === undefined ? undefined : parseCursor(cursor);
      const timeline = activity.get(profileId);
      const live = liveIndexes(timeline, now(), after);
      const page = live.slice(0, Math.max(0, limit)).map((i) => timelineItem(timeline as PackedTimeline, i));
      const last = page[page.length - 1];
      return live.length > page.length && last !== undefined
        ? { items: page, nextCursor: cursorOf(last) }
        : { items: page };
    },
    async moveActivity(from, into) {
      if (from === into) return;
      const moving = timelineEntries(activity.get(from), now());
      activity.delete(from);
      if (moving.length > 0) addActivity(into, moving);
    },
    all() {
      return [...documents.values()].map((d) => copyPlainData(d));
    },
    peek: (profileId) => documents.get(profileId),
    recentActivityJson: (profileId, limit) => timelineJson(activity.get(profileId), now(), limit),
    peekTimeline: (profileId) => activity.get(profileId),
    activityOf: (timeline) => timelineEntries(timeline, now()),
    restoreActivity(profileId, entries) {
      const t = now();
      const live = entries.filter((e) => e.expiresAtMs > t);
      if (live.length > 0) addActivity(profileId, live);
    },
  };
}
