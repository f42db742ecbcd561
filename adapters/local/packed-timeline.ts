import type { ActivityItem } from '../../contracts/profile';

/**
 * A cold timeline as the embedded store keeps it: all of it in one buffer outside the JS heap, entries
 * newest first (timestamp text, then event id, descending: the DynamoDB sort key). Immutable: packing
 * again builds a new one. On the heap it is one small Buffer object, whatever its size.
 *
 * Layout (little endian): `u32 n, u32 0`, then `f64 expiresAtMs[n]`, then `u32 offsets[3n + 1]` (entry
 * i's timestamp, event id and JSON start at offsets 3i, 3i + 1, 3i + 2 of the text, which follows; the
 * next start ends each), then the text (UTF-8).
 *
 * Why: timeline entries were most of the embedded Profile API's heap (about 660 of 1,000 MB at 100,000
 * profiles with 20 entries each), and on this V8 every young-generation collection walks every page of
 * the old generation, so its pause grows with the heap (about 3 ms per GB): the Profile API's tail
 * latency was those pauses. Bytes outside the heap do not count.
 */
export type PackedTimeline = Buffer;

/** A timeline entry with its expiry, as the store's port hands them in and checkpoints hold them. */
export interface StoredActivity {
  readonly item: ActivityItem;
  readonly expiresAtMs: number;
}

/** Newest first; ties by event id, descending (the DynamoDB sort key `EVENT#<timestamp>#<eventId>`). */
export function newestFirst(a: ActivityItem, b: ActivityItem): number {
  return compareKeys(a.timestamp, a.eventId, b.timestamp, b.eventId);
}

export function compareKeys(aTime: string, aId: string, bTime: string, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? 1 : -1;
  return aId < bId ? 1 : aId > bId ? -1 : 0;
}

/** Number of entries (live or not). */
export const packedCount = (t: PackedTimeline): number => t.readUInt32LE(0);

const offsetsAt = (n: number) => 8 + 8 * n;
const textAt = (n: number) => offsetsAt(n) + 4 * (3 * n + 1);
const offset = (t: PackedTimeline, n: number, k: number) => t.readUInt32LE(offsetsAt(n) + 4 * k);

export const packedExpiry = (t: PackedTimeline, i: number): number => t.readDoubleLE(8 + 8 * i);

/** Entry `i`'s timestamp. */
export function packedTimestamp(t: PackedTimeline, i: number): string {
  const n = packedCount(t);
  return t.toString('utf8', textAt(n) + offset(t, n, 3 * i), textAt(n) + offset(t, n, 3 * i + 1));
}

/** Entry `i`'s event id. */
export function packedEventId(t: PackedTimeline, i: number): string {
  const n = packedCount(t);
  return t.toString('utf8', textAt(n) + offset(t, n, 3 * i + 1), textAt(n) + offset(t, n, 3 * i + 2));
}

/** Where entry `i`'s JSON is in the buffer: `[start, end)`. */
function jsonRange(t: PackedTimeline, n: number, i: number): [number, number] {
  const base = textAt(n);
  return [base + offset(t, n, 3 * i + 2), base + offset(t, n, 3 * i + 3)];
}

/** Entry `i`'s item, parsed (a fresh object). */
export function packedItem(t: PackedTimeline, i: number): ActivityItem {
  const [start, end] = jsonRange(t, packedCount(t), i);
  return JSON.parse(t.toString('utf8', start, end)) as ActivityItem;
}

/** An entry to pack: a stored one (`from`, `index`) or a new item (`item`). */
interface Source {
  readonly timestamp: string;
  readonly eventId: string;
  readonly expiresAtMs: number;
  readonly from?: PackedTimeline;
  readonly index?: number;
  readonly json?: string;
}

/**
 * `base`'s live entries merged with `fresh` (live, their event ids not live in `base`, any order), the
 * newest `max` kept; `undefined` when nothing is left. The stored entries are sorted already: one pass
 * merges them, their JSON copied as bytes; only the new items are stringified.
 */
export function packTimeline(
  base: PackedTimeline | undefined,
  fresh: readonly StoredActivity[],
  max: number,
  nowMs: number,
): PackedTimeline | undefined {
  const items = fresh.filter((e) => e.expiresAtMs > nowMs).sort((a, b) => newestFirst(a.item, b.item));
  const n = base === undefined ? 0 : packedCount(base);
  const order: Source[] = [];
  let i = 0;
  let k = 0;
  let stored: Source | undefined;
  const nextStored = () => {
    stored = undefined;
    while (i < n && stored === undefined) {
      const t = base as PackedTimeline;
      const expiresAtMs = packedExpiry(t, i);
      if (expiresAtMs > nowMs)
        stored = {
          timestamp: packedTimestamp(t, i),
          eventId: packedEventId(t, i),
          expiresAtMs,
          from: t,
          index: i,
        };
      i++;
    }
  };
  nextStored();
  while (order.length < max && (stored !== undefined || k < items.length)) {
    const f = items[k];
    if (
      f === undefined ||
      (stored !== undefined &&
        compareKeys(stored.timestamp, stored.eventId, f.item.timestamp, f.item.eventId) <= 0)
    ) {
      order.push(stored as Source);
      nextStored();
    } else {
      const { item, expiresAtMs } = f;
      order.push({
        timestamp: item.timestamp,
        eventId: item.eventId,
        expiresAtMs,
        json: JSON.stringify(item),
      });
      k++;
    }
  }
  return order.length === 0 ? undefined : write(order);
}

function write(order: readonly Source[]): PackedTimeline {
  const n = order.length;
  let text = 0;
  const jsonLength = (s: Source) => {
    if (s.json !== undefined) return Buffer.byteLength(s.json);
    const [start, end] = jsonRange(s.from as PackedTimeline, packedCount(s.from as PackedTimeline), s.index!);
    return end - start;
  };
  for (const s of order)
    text += Buffer.byteLength(s.timestamp) + Buffer.byteLength(s.eventId) + jsonLength(s);
  // its own memory, not a slice of Node's shared pool (a long-lived slice would pin the pool's slab)
  const out = Buffer.allocUnsafeSlow(textAt(n) + text);
  out.writeUInt32LE(n, 0);
  out.writeUInt32LE(0, 4);
  const base = textAt(n);
  let at = 0;
  order.forEach((s, j) => {
    out.writeDoubleLE(s.expiresAtMs, 8 + 8 * j);
    out.writeUInt32LE(at, offsetsAt(n) + 4 * (3 * j));
    at += out.write(s.timestamp, base + at);
    out.writeUInt32LE(at, offsetsAt(n) + 4 * (3 * j + 1));
    at += out.write(s.eventId, base + at);
    out.writeUInt32LE(at, offsetsAt(n) + 4 * (3 * j + 2));
    if (s.json !== undefined) at += out.write(s.json, base + at);
    else {
      const from = s.from as PackedTimeline;
      const [start, end] = jsonRange(from, packedCount(from), s.index!);
      at += from.copy(out, base + at, start, end);
    }
  });
  out.writeUInt32LE(at, offsetsAt(n) + 4 * (3 * n));
  return out;
}

/** Indexes of the live entries, newest first, from the first one after `after` (a page cursor). */
export function liveIndexes(
  t: PackedTimeline | undefined,
  nowMs: number,
  after?: { timestamp: string; eventId: string },
): number[] {
  const out: number[] = [];
  if (t === undefined) return out;
  const n = packedCount(t);
  for (let i = 0; i < n; i++) {
    if (packedExpiry(t, i) <= nowMs) continue;
    if (
      after !== undefined &&
      compareKeys(packedTimestamp(t, i), packedEventId(t, i), after.timestamp, after.eventId) <= 0
    )
      continue;
    out.push(i);
  }
  return out;
}

/** The live entries with their expiries (fresh objects), newest first. */
export function packedEntries(t: PackedTimeline | undefined, nowMs: number): StoredActivity[] {
  return liveIndexes(t, nowMs).map((i) => ({
    item: packedItem(t as PackedTimeline, i),
    expiresAtMs: packedExpiry(t as PackedTimeline, i),
  }));
}

/** Every entry's event id with its expiry (expired entries too). */
export function eventIdExpiries(t: PackedTimeline): Map<string, number> {
  const ids = new Map<string, number>();
  const n = packedCount(t);
  for (let i = 0; i < n; i++) ids.set(packedEventId(t, i), packedExpiry(t, i));
  return ids;
}

/** The newest `limit` live entries as a UTF-8 JSON array, copied straight from the stored bytes. */
export function packedJson(t: PackedTimeline | undefined, nowMs: number, limit: number): Buffer {
  if (t === undefined || limit <= 0) return Buffer.from('[]');
  const n = packedCount(t);
  const ranges: number[] = [];
  let size = 1;
  for (let i = 0; i < n && ranges.length < 2 * limit; i++) {
    if (packedExpiry(t, i) <= nowMs) continue;
    const [start, end] = jsonRange(t, n, i);
    ranges.push(start, end);
    size += end - start + 1;
  }
  if (ranges.length === 0) return Buffer.from('[]');
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    out[at++] = r === 0 ? 0x5b : 0x2c; // '[' or ','
    at += t.copy(out, at, ranges[r], ranges[r + 1]);
  }
  out[at] = 0x5d; // ']'
  return out;
}
