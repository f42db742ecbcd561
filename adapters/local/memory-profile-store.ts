import type {
  ConditionalWriteResult,
  Page,
  ProfileServingReads,
  ProfileStore,
} from '../../contracts/ports/profile-store';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { copyPlainData } from './copy-plain-data';

/** Options of the in-memory profile store. */
export interface MemoryProfileStoreOptions {
  /** Wall clock (ms) that expires timeline entries; `Date.now` by default. */
  readonly now?: () => number;
  /** Newest timeline entries kept per profile (older ones are dropped); 1,000 by default. */
  readonly maxActivityPerProfile?: number;
}

/** A timeline entry as the store keeps it. */
export interface StoredActivity {
  readonly item: ActivityItem;
  readonly expiresAtMs: number;
}

/** Newest first; ties by event id, descending (the DynamoDB sort key `EVENT#<timestamp>#<eventId>`). */
function newestFirst(a: ActivityItem, b: ActivityItem): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? 1 : -1;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

const cursorOf = (item: ActivityItem) =>
  Buffer.from(JSON.stringify([item.timestamp, item.eventId])).toString('base64url');

function parseCursor(cursor: string): ActivityItem | undefined {
  try {
    const [timestamp, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp !== 'string' || typeof eventId !== 'string') return undefined;
    return { timestamp, eventId, eventName: '-', source: '-', properties: {} };
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
  /** The profile's live timeline entries as stored, unordered (immutable, like {@link peek}'s documents). */
  peekActivity(profileId: string): StoredActivity[];
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
  const activity = new Map<string, Map<string, StoredActivity>>();

  function liveActivity(profileId: string): StoredActivity[] {
    const entries = activity.get(profileId);
    if (entries === undefined) return [];
    const t = now();
    const live: StoredActivity[] = [];
    for (const [eventId, entry] of entries) {
      if (entry.expiresAtMs <= t) entries.delete(eventId);
      else live.push(entry);
    }
    if (entries.size === 0) activity.delete(profileId);
    return live.sort((a, b) => newestFirst(a.item, b.item));
  }

  function addActivity(profileId: string, entries: readonly StoredActivity[]): void {
    let map = activity.get(profileId);
    if (map === undefined) {
      map = new Map();
      activity.set(profileId, map);
    }
    for (const entry of entries) if (!map.has(entry.item.eventId)) map.set(entry.item.eventId, entry);
    if (map.size > maxActivity) {
      const keep = liveActivity(profileId).slice(0, maxActivity);
      activity.set(profileId, new Map(keep.map((e) => [e.item.eventId, e])));
    }
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
      // Items are kept as given (callers hand over immutable items); reads return copies.
      addActivity(
        profileId,
        items.map((item) => ({ item, expiresAtMs })),
      );
    },
    async listActivity(profileId, { limit, cursor }): Promise<Page<ActivityItem>> {
      const after = cursor === undefined ? undefined : parseCursor(cursor);
      let live = liveActivity(profileId);
      if (after !== undefined) live = live.filter((e) => newestFirst(e.item, after) > 0);
      const page = live.slice(0, Math.max(0, limit)).map((e) => copyPlainData(e.item));
      const last = page[page.length - 1];
      return live.length > page.length && last !== undefined
        ? { items: page, nextCursor: cursorOf(last) }
        : { items: page };
    },
    async moveActivity(from, into) {
      if (from === into) return;
      const moving = liveActivity(from);
      activity.delete(from);
      if (moving.length > 0) addActivity(into, moving);
    },
    all() {
      return [...documents.values()].map((d) => copyPlainData(d));
    },
    peek: (profileId) => documents.get(profileId),
    recentActivityJson(profileId, limit) {
      const live = liveActivity(profileId);
      const items: ActivityItem[] = [];
      for (let i = 0; i < live.length && i < limit; i++) items.push(live[i]!.item);
      return JSON.stringify(items);
    },
    peekActivity(profileId) {
      const entries = activity.get(profileId);
      if (entries === undefined) return [];
      const t = now();
      const live: StoredActivity[] = [];
      for (const e of entries.values()) if (e.expiresAtMs > t) live.push(e);
      return live;
    },
    restoreActivity(profileId, entries) {
      const t = now();
      const live = entries.filter((e) => e.expiresAtMs > t);
      if (live.length > 0) addActivity(profileId, live);
    },
  };
}
