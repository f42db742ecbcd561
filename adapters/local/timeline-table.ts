import {
  holdsLive,
  newestFirst,
  type PackedTimeline,
  packedCount,
  packedEntries,
  packTimeline,
  type StoredActivity,
} from './packed-timeline';

/**
 * A timeline written to since it was last packed: its packed part (`base`, or none) and the entries
 * added since, as given (plain objects, immutable), by event id. Writes change it in place.
 */
class HotTimeline {
  base: PackedTimeline | undefined;
  fresh = new Map<string, StoredActivity>();
  writtenAtMs: number;
  /** When it was last put in the sweep queue (a queue entry of another time is stale). */
  queuedAtMs = Number.NaN;
  constructor(base: PackedTimeline | undefined, nowMs: number) {
    this.base = base;
    this.writtenAtMs = nowMs;
  }
}

/** A timeline as it was at one moment (immutable), for checkpoints: see {@link TimelineTable.snapshot}. */
export type TimelineSnapshot =
  | PackedTimeline
  | { readonly base: PackedTimeline | undefined; readonly fresh: readonly StoredActivity[] };

/** Options of a {@link TimelineTable}. */
export interface TimelineTableOptions {
  /** Wall clock (ms): expiries, and how long a timeline has not been written. */
  readonly now: () => number;
  /** Newest entries kept per timeline. */
  readonly max: number;
  /** A timeline not written for this long is packed (by the sweep, or when read). */
  readonly coldAfterMs: number;
  /** Cold timelines the sweep packs at most per write (it keeps up with the writes). */
  readonly packsPerWrite?: number;
}

/** The timelines of the embedded profile store, by profile: see {@link createTimelineTable}. */
export interface TimelineTable {
  /** Adds live entries (an event id with a live entry keeps it; the newest `max` stay). */
  append(profileId: string, entries: readonly StoredActivity[]): void;
  /** The timeline packed (entries written since its last pack merged in), or `undefined` when empty. */
  packed(profileId: string): PackedTimeline | undefined;
  /** Removes the timeline, giving its live entries (unordered). */
  remove(profileId: string): StoredActivity[];
  /** The timeline as it is now, immutable (cheap: no packing, entries kept by reference). */
  snapshot(profileId: string): TimelineSnapshot | undefined;
  /** A snapshot's live entries (unordered), fresh objects for the packed ones. */
  entriesOf(snapshot: TimelineSnapshot): StoredActivity[];
  /** Packs up to `maxPacks` timelines not written for `coldAfterMs`, oldest first; how many it packed. */
  packCold(maxPacks: number): number;
  /** Timelines written since their last pack (for metrics and tests). */
  hotCount(): number;
}

/**
 * Timelines that stay plain objects while they are written and are packed into bytes outside the JS
 * heap ({@link PackedTimeline}) once they are cold: not written for `coldAfterMs`, found by a sweep that
 * follows the writes (a few packs per write, oldest first) or when read. A write to a packed timeline
 * does not unpack it: its new entries wait beside the packed ones until the next pack merges them in
 * one pass (bytes copied, only new entries stringified). So a profile written often costs what it cost
 * before, and the heap holds roughly the timelines written in the last `coldAfterMs` only.
 */
export function createTimelineTable(options: TimelineTableOptions): TimelineTable {
  const { now, max, coldAfterMs } = options;
  const packsPerWrite = options.packsPerWrite ?? 2;
  const timelines = new Map<string, HotTimeline | PackedTimeline>();
  // the sweep queue: profiles in the order they became hot (or were last looked at), with that time
  let queueIds: string[] = [];
  let queueAt: number[] = [];
  let head = 0;
  let hot = 0;

  function enqueue(profileId: string, t: HotTimeline, nowMs: number): void {
    t.queuedAtMs = nowMs;
    queueIds.push(profileId);
    queueAt.push(nowMs);
  }

  function heat(profileId: string, nowMs: number): HotTimeline {
    const t = timelines.get(profileId);
    if (t instanceof HotTimeline) return t;
    const h = new HotTimeline(t, nowMs);
    timelines.set(profileId, h);
    hot++;
    enqueue(profileId, h, nowMs);
    return h;
  }

  /** Merges what was written since the last pack into `base`; the timeline stays hot. */
  function fold(t: HotTimeline, nowMs: number): void {
    if (t.fresh.size === 0) return;
    t.base = packTimeline(t.base, [...t.fresh.values()], max, nowMs);
    t.fresh = new Map();
  }

  /** Replaces a hot timeline by its packed form (removes it when empty). */
  function cool(profileId: string, t: HotTimeline, nowMs: number): PackedTimeline | undefined {
    fold(t, nowMs);
    hot--;
    if (t.base === undefined) timelines.delete(profileId);
    else timelines.set(profileId, t.base);
    return t.base;
  }

  function trim(t: HotTimeline, nowMs: number): void {
    if ((t.base === undefined ? 0 : packedCount(t.base)) + t.fresh.size <= max) return;
    if (t.base !== undefined) fold(t, nowMs);
    else {
      // never packed: as the plain store did, the newest live entries
      const keep = [...t.fresh.values()]
        .filter((e) => e.expiresAtMs > nowMs)
        .sort((a, b) => newestFirst(a.item, b.item))
        .slice(0, max);
      t.fresh = new Map(keep.map((e) => [e.item.eventId, e]));
    }
  }

  function packCold(maxPacks: number, nowMs: number): number {
    const coldBefore = nowMs - coldAfterMs;
    let packs = 0;
    while (head < queueIds.length && packs < maxPacks && (queueAt[head] as number) <= coldBefore) {
      const profileId = queueIds[head] as string;
      const queuedAt = queueAt[head] as number;
      head++;
      const t = timelines.get(profileId);
      if (!(t instanceof HotTimeline) || t.queuedAtMs !== queuedAt) continue;
      if (t.writtenAtMs > coldBefore) enqueue(profileId, t, nowMs);
      else {
        cool(profileId, t, nowMs);
        packs++;
      }
    }
    if (head > 1024 && head * 2 > queueIds.length) {
      queueIds = queueIds.slice(head);
      queueAt = queueAt.slice(head);
      head = 0;
    }
    return packs;
  }

  function entriesOf(snapshot: TimelineSnapshot): StoredActivity[] {
    const nowMs = now();
    if (Buffer.isBuffer(snapshot)) return packedEntries(snapshot, nowMs);
    const fresh = snapshot.fresh.filter((e) => e.expiresAtMs > nowMs);
    return snapshot.base === undefined ? fresh : [...packedEntries(snapshot.base, nowMs), ...fresh];
  }

  return {
    append(profileId, entries) {
      const nowMs = now();
      const t = heat(profileId, nowMs);
      t.writtenAtMs = nowMs;
      for (const entry of entries) {
        if (entry.expiresAtMs <= nowMs) continue;
        const id = entry.item.eventId;
        const held = t.fresh.get(id);
        if (
          held !== undefined ? held.expiresAtMs > nowMs : t.base !== undefined && holdsLive(t.base, id, nowMs)
        )
          continue;
        t.fresh.set(id, entry);
      }
      trim(t, nowMs);
      if (t.base === undefined && t.fresh.size === 0) {
        timelines.delete(profileId);
        hot--;
      }
      packCold(packsPerWrite, nowMs);
    },
    packed(profileId) {
      const t = timelines.get(profileId);
      if (!(t instanceof HotTimeline)) return t;
      const nowMs = now();
      if (t.writtenAtMs <= nowMs - coldAfterMs) return cool(profileId, t, nowMs);
      fold(t, nowMs);
      return t.base;
    },
    remove(profileId) {
      const t = timelines.get(profileId);
      if (t === undefined) return [];
      timelines.delete(profileId);
      if (t instanceof HotTimeline) hot--;
      return entriesOf(t instanceof HotTimeline ? { base: t.base, fresh: [...t.fresh.values()] } : t);
    },
    snapshot(profileId) {
      const t = timelines.get(profileId);
      if (!(t instanceof HotTimeline)) return t;
      return t.fresh.size === 0 ? t.base : { base: t.base, fresh: [...t.fresh.values()] };
    },
    entriesOf,
    packCold: (maxPacks) => packCold(maxPacks, now()),
    hotCount: () => hot,
  };
}
