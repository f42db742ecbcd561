import type { ActivityItem } from '../../contracts/profile';

/**
 * One profile's timeline as the embedded store keeps it: the entries' JSON in one buffer outside the
 * JS heap, newest first, and only what ordering and de-duplication need (event ids, timestamps,
 * expiries) on the heap. Immutable: a write builds a new one.
 *
 * Why: timeline entries were most of the embedded Profile API's heap (about 660 of 1,000 MB at 100,000
 * profiles with 20 entries each), and on this V8 every young-generation collection walks every page of
 * the old generation, so its pause grows with the heap (about 3 ms per GB): the Profile API's tail
 * latency was those pauses. Entries held as bytes do not count.
 */
export interface PackedTimeline {
  /** Event ids, newest first (the sort is the DynamoDB key's: timestamp, then event id, descending). */
  readonly eventIds: readonly string[];
  readonly timestamps: readonly string[];
  readonly expiresAtMs: readonly number[];
  /** Entry i's JSON is `json[starts[i], starts[i + 1])`: entries back to back. */
  readonly starts: readonly number[];
  readonly json: Buffer;
}

/** A timeline entry with its expiry, as the store's port hands them in and checkpoints hold them. */
export interface StoredActivity {
  readonly item: ActivityItem;
  readonly expiresAtMs: number;
}

/** Newest first; ties by event id, descending (the DynamoDB sort key `EVENT#<timestamp>#<eventId>`). */
export function newestFirst(a: ActivityItem, b: ActivityItem): number {
  return compareKeys(a.timestamp, a.eventId, b.timestamp, b.eventId);
}

function compareKeys(aTime: string, aId: string, bTime: string, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? 1 : -1;
  return aId < bId ? 1 : aId > bId ? -1 : 0;
}

const count = (t: PackedTimeline | undefined) => (t === undefined ? 0 : t.eventIds.length);

interface Fresh {
  readonly eventId: string;
  readonly timestamp: string;
  readonly expiresAtMs: number;
  readonly json: string;
}

/**
 * `timeline` with `entries` added (an event id already there, even expired, keeps its entry; within
 * `entries` the first one wins), expired entries dropped and only the newest `max` kept; `undefined`
 * when nothing is left. The stored entries are merged with the new ones in one pass (they are sorted
 * already), so a write costs a copy of the timeline's bytes, not a sort of it.
 */
export function addToTimeline(
  timeline: PackedTimeline | undefined,
  entries: readonly StoredActivity[],
  max: number,
  nowMs: number,
): PackedTimeline | undefined {
  const n = count(timeline);
  const old = timeline as PackedTimeline;
  let oldIds: Set<string> | undefined;
  const stored = (id: string) => {
    if (n * entries.length <= 256) return n > 0 && old.eventIds.includes(id);
    oldIds ??= new Set(old.eventIds);
    return oldIds.has(id);
  };
  const fresh: Fresh[] = [];
  const freshIds = new Set<string>();
  for (const { item, expiresAtMs } of entries) {
    if (expiresAtMs <= nowMs || freshIds.has(item.eventId) || stored(item.eventId)) continue;
    freshIds.add(item.eventId);
    fresh.push({ eventId: item.eventId, timestamp: item.timestamp, expiresAtMs, json: JSON.stringify(item) });
  }
  let expired = 0;
  for (let i = 0; i < n; i++) if (old.expiresAtMs[i]! <= nowMs) expired++;
  if (fresh.length === 0 && expired === 0 && n <= max) return timeline;
  fresh.sort((a, b) => compareKeys(a.timestamp, a.eventId, b.timestamp, b.eventId));
  // the merged order: an old entry's index, or -(k + 1) for fresh[k]
  const order: number[] = [];
  let i = 0;
  let k = 0;
  while (order.length < max) {
    while (i < n && old.expiresAtMs[i]! <= nowMs) i++;
    if (i >= n && k >= fresh.length) break;
    const f = fresh[k];
    const takeOld =
      f === undefined ||
      (i < n && compareKeys(old.timestamps[i]!, old.eventIds[i]!, f.timestamp, f.eventId) <= 0);
    order.push(takeOld ? i++ : -(k++ + 1));
  }
  return order.length === 0 ? undefined : pack(old, fresh, order);
}

function pack(
  old: PackedTimeline | undefined,
  fresh: readonly Fresh[],
  order: readonly number[],
): PackedTimeline {
  let size = 0;
  for (const o of order)
    size += o >= 0 ? entryLength(old as PackedTimeline, o) : Buffer.byteLength(fresh[-o - 1]!.json);
  // plain arrays and a slice of Node's buffer pool: a typed array or a buffer of its own per write
  // creates an ArrayBuffer each time, which costs the writer (cdp dev's flush) far more
  const json = Buffer.allocUnsafe(size);
  const starts: number[] = new Array(order.length + 1).fill(0);
  const expiresAtMs: number[] = new Array(order.length).fill(0.5);
  const eventIds: string[] = new Array(order.length);
  const timestamps: string[] = new Array(order.length);
  let at = 0;
  for (let j = 0; j < order.length; j++) {
    const o = order[j]!;
    starts[j] = at;
    if (o >= 0) {
      const t = old as PackedTimeline;
      // a run of consecutive old entries is one copy
      let last = o;
      while (j + 1 < order.length && order[j + 1] === last + 1) {
        last++;
        j++;
        starts[j] = at + (t.starts[last]! - t.starts[o]!);
        expiresAtMs[j] = t.expiresAtMs[last]!;
        eventIds[j] = t.eventIds[last]!;
        timestamps[j] = t.timestamps[last]!;
      }
      const first = j - (last - o);
      expiresAtMs[first] = t.expiresAtMs[o]!;
      eventIds[first] = t.eventIds[o]!;
      timestamps[first] = t.timestamps[o]!;
      at += t.json.copy(json, at, t.starts[o]!, entryEnd(t, last));
    } else {
      const f = fresh[-o - 1]!;
      expiresAtMs[j] = f.expiresAtMs;
      eventIds[j] = f.eventId;
      timestamps[j] = f.timestamp;
      at += json.write(f.json, at);
    }
  }
  starts[order.length] = at;
  return { eventIds, timestamps, expiresAtMs, starts, json };
}

const entryEnd = (t: PackedTimeline, i: number) => t.starts[i + 1]!;
const entryLength = (t: PackedTimeline, i: number) => entryEnd(t, i) - t.starts[i]!;

/** Entry `i`'s item, parsed (a fresh object). */
export function timelineItem(t: PackedTimeline, i: number): ActivityItem {
  return JSON.parse(t.json.toString('utf8', t.starts[i], entryEnd(t, i))) as ActivityItem;
}

/** Indexes of the live entries, newest first, from the first one after `after` (a page cursor). */
export function liveIndexes(
  t: PackedTimeline | undefined,
  nowMs: number,
  after?: { timestamp: string; eventId: string },
): number[] {
  const out: number[] = [];
  for (let i = 0; i < count(t); i++) {
    const tl = t as PackedTimeline;
    if (tl.expiresAtMs[i]! <= nowMs) continue;
    if (
      after !== undefined &&
      compareKeys(tl.timestamps[i]!, tl.eventIds[i]!, after.timestamp, after.eventId) <= 0
    )
      continue;
    out.push(i);
  }
  return out;
}

/** The live entries with their expiries (fresh objects), newest first. */
export function timelineEntries(t: PackedTimeline | undefined, nowMs: number): StoredActivity[] {
  return liveIndexes(t, nowMs).map((i) => ({
    item: timelineItem(t as PackedTimeline, i),
    expiresAtMs: (t as PackedTimeline).expiresAtMs[i]!,
  }));
}

/** The newest `limit` live entries as a UTF-8 JSON array, copied straight from the stored bytes. */
export function timelineJson(t: PackedTimeline | undefined, nowMs: number, limit: number): Buffer {
  const live = liveIndexes(t, nowMs).slice(0, Math.max(0, limit));
  if (live.length === 0) return Buffer.from('[]');
  const tl = t as PackedTimeline;
  let size = 2 + live.length - 1;
  for (const i of live) size += entryLength(tl, i);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  out[at++] = 0x5b; // '['
  live.forEach((i, k) => {
    if (k > 0) out[at++] = 0x2c;
    at += tl.json.copy(out, at, tl.starts[i]!, entryEnd(tl, i));
  });
  out[at] = 0x5d; // ']'
  return out;
}
