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
  readonly expiresAtMs: Float64Array;
  /** Entry i's JSON is `json[starts[i], starts[i + 1])`: entries back to back. */
  readonly starts: Uint32Array;
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

interface Pending {
  readonly eventId: string;
  readonly timestamp: string;
  readonly expiresAtMs: number;
  /** The entry's JSON: a slice of the old timeline, or a new entry's text. */
  readonly from: PackedTimeline | string;
  readonly index: number;
}

/**
 * `timeline` with `entries` added (an event id already there keeps its entry), expired entries dropped
 * and only the newest `max` kept; `undefined` when nothing is left.
 */
export function addToTimeline(
  timeline: PackedTimeline | undefined,
  entries: readonly StoredActivity[],
  max: number,
  nowMs: number,
): PackedTimeline | undefined {
  const kept: Pending[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < count(timeline); i++) {
    const t = timeline as PackedTimeline;
    ids.add(t.eventIds[i]!);
    if (t.expiresAtMs[i]! <= nowMs) continue;
    kept.push({
      eventId: t.eventIds[i]!,
      timestamp: t.timestamps[i]!,
      expiresAtMs: t.expiresAtMs[i]!,
      from: t,
      index: i,
    });
  }
  let added = false;
  for (const { item, expiresAtMs } of entries) {
    if (expiresAtMs <= nowMs || ids.has(item.eventId)) continue;
    ids.add(item.eventId);
    kept.push({
      eventId: item.eventId,
      timestamp: item.timestamp,
      expiresAtMs,
      from: JSON.stringify(item),
      index: 0,
    });
    added = true;
  }
  if (!added && timeline !== undefined && kept.length === count(timeline) && kept.length <= max)
    return timeline;
  if (added) kept.sort((a, b) => compareKeys(a.timestamp, a.eventId, b.timestamp, b.eventId));
  if (kept.length > max) kept.length = max;
  return kept.length === 0 ? undefined : pack(kept);
}

function pack(entries: readonly Pending[]): PackedTimeline {
  let size = 0;
  for (const e of entries)
    size += typeof e.from === 'string' ? Buffer.byteLength(e.from) : entryLength(e.from, e.index);
  // its own memory, not a slice of Node's shared pool (which a long-lived slice would pin)
  const json = Buffer.allocUnsafeSlow(size);
  const starts = new Uint32Array(entries.length + 1);
  const expiresAtMs = new Float64Array(entries.length);
  let at = 0;
  entries.forEach((e, i) => {
    starts[i] = at;
    expiresAtMs[i] = e.expiresAtMs;
    if (typeof e.from === 'string') at += json.write(e.from, at);
    else at += e.from.json.copy(json, at, e.from.starts[e.index]!, entryEnd(e.from, e.index));
  });
  starts[entries.length] = at;
  return {
    eventIds: entries.map((e) => e.eventId),
    timestamps: entries.map((e) => e.timestamp),
    expiresAtMs,
    starts,
    json,
  };
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
