import type { ActivityItem } from '../../contracts/profile';

/**
 * A cold timeline as the embedded store keeps it: all of it in one buffer outside the JS heap, entries
 * newest first (timestamp text, then event id, descending: the DynamoDB sort key). Immutable: packing
 * again builds a new one. On the heap it is one small Buffer object, whatever its size.
 *
 * Layout (little endian): `u32 n, u32 0`, then `f64 expiresAtMs[n]`, then `u32 idHashes[n]` (a hash of
 * each event id, so that a write finds a repeated id without reading the ids), then `u32 offsets[3n + 1]`
 * (entry i's timestamp, event id and JSON start at offsets 3i, 3i + 1, 3i + 2 of the text, which
 * follows; the next start ends each), then the text (UTF-8).
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

const hashesAt = (n: number) => 8 + 8 * n;
const offsetsAt = (n: number) => 8 + 12 * n;
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

/** FNV-1a over the UTF-16 code units of an event id. */
export function idHash(eventId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) h = Math.imul(h ^ eventId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** True when `t` holds a live entry of `eventId` (its hash is compared first: no id is read otherwise). */
export function holdsLive(t: PackedTimeline, eventId: string, nowMs: number): boolean {
  const { n, expiries, hashes } = viewsOf(t);
  const h = idHash(eventId);
  for (let i = 0; i < n; i++)
    if (hashes[i] === h && (expiries[i] as number) > nowMs && packedEventId(t, i) === eventId) return true;
  return false;
}

/** First index from `from` whose entry sorts after `item` (is older), by binary search. */
function insertionPoint(t: PackedTimeline, n: number, from: number, item: StoredActivity['item']): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(packedTimestamp(t, mid), packedEventId(t, mid), item.timestamp, item.eventId) > 0)
      hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Typed views of a timeline's numbers (its buffer is its own memory: offset 0, aligned). */
interface Views {
  readonly n: number;
  readonly expiries: Float64Array;
  readonly hashes: Uint32Array;
  readonly offsets: Uint32Array;
}

function viewsOf(t: PackedTimeline, n = packedCount(t)): Views {
  return {
    n,
    expiries: new Float64Array(t.buffer, t.byteOffset + 8, n),
    hashes: new Uint32Array(t.buffer, t.byteOffset + hashesAt(n), n),
    offsets: new Uint32Array(t.buffer, t.byteOffset + offsetsAt(n), 3 * n + 1),
  };
}

/**
 * `base`'s live entries merged with `fresh` (live, their event ids not live in `base`, any order), the
 * newest `max` kept; `undefined` when nothing is left. The stored entries are sorted already: each new
 * one finds its place by binary search, and the stored ones are copied as bytes (runs of them at once),
 * so packing reads only a few stored keys and stringifies only the new items.
 */
export function packTimeline(
  base: PackedTimeline | undefined,
  fresh: readonly StoredActivity[],
  max: number,
  nowMs: number,
): PackedTimeline | undefined {
  const items = fresh.filter((e) => e.expiresAtMs > nowMs).sort((a, b) => newestFirst(a.item, b.item));
  const b = base === undefined ? undefined : viewsOf(base);
  const n = b === undefined ? 0 : b.n;
  // the merged order: a stored entry's index, or -(k + 1) for items[k]
  const order: number[] = [];
  let i = 0;
  const takeStored = (to: number) => {
    const expiries = (b as Views).expiries;
    for (; i < to && order.length < max; i++) if ((expiries[i] as number) > nowMs) order.push(i);
    i = to;
  };
  for (let k = 0; k < items.length && order.length < max; k++) {
    if (base !== undefined) takeStored(insertionPoint(base, n, i, (items[k] as StoredActivity).item));
    if (order.length < max) order.push(-(k + 1));
  }
  if (b !== undefined) takeStored(n);
  if (order.length === 0) return undefined;
  return write(base, b, items, order);
}

function write(
  base: PackedTimeline | undefined,
  b: Views | undefined,
  items: readonly StoredActivity[],
  order: readonly number[],
): PackedTimeline {
  const n = order.length;
  const jsons = items.map((e) => JSON.stringify(e.item));
  let text = 0;
  for (const o of order) {
    if (o >= 0) {
      const offsets = (b as Views).offsets;
      text += (offsets[3 * o + 3] as number) - (offsets[3 * o] as number);
    } else {
      const { item } = items[-o - 1] as StoredActivity;
      text +=
        Buffer.byteLength(item.timestamp) +
        Buffer.byteLength(item.eventId) +
        Buffer.byteLength(jsons[-o - 1] as string);
    }
  }
  // its own memory, not a slice of Node's shared pool (a long-lived slice would pin the pool's slab)
  const out = Buffer.allocUnsafeSlow(textAt(n) + text);
  out.writeUInt32LE(n, 0);
  out.writeUInt32LE(0, 4);
  const v = viewsOf(out, n);
  const outText = textAt(n);
  const baseText = textAt(b === undefined ? 0 : b.n);
  let at = 0;
  // a run of consecutive stored entries is copied as one piece of text
  let runStart = -1;
  let runEnd = -1;
  const flushRun = () => {
    if (runStart < 0) return;
    const from = (b as Views).offsets;
    const start = from[3 * runStart] as number;
    const end = from[3 * runEnd] as number;
    (base as PackedTimeline).copy(out, outText + at - (end - start), baseText + start, baseText + end);
    runStart = -1;
  };
  for (let j = 0; j < n; j++) {
    const o = order[j] as number;
    if (o >= 0) {
      const { expiries, hashes, offsets } = b as Views;
      if (runStart < 0 || o !== runEnd) {
        flushRun();
        runStart = o;
      }
      runEnd = o + 1;
      v.expiries[j] = expiries[o] as number;
      v.hashes[j] = hashes[o] as number;
      const shift = at - (offsets[3 * o] as number);
      v.offsets[3 * j] = at;
      v.offsets[3 * j + 1] = (offsets[3 * o + 1] as number) + shift;
      v.offsets[3 * j + 2] = (offsets[3 * o + 2] as number) + shift;
      at = (offsets[3 * o + 3] as number) + shift;
    } else {
      flushRun();
      const { item, expiresAtMs } = items[-o - 1] as StoredActivity;
      v.expiries[j] = expiresAtMs;
      v.hashes[j] = idHash(item.eventId);
      v.offsets[3 * j] = at;
      at += out.write(item.timestamp, outText + at);
      v.offsets[3 * j + 1] = at;
      at += out.write(item.eventId, outText + at);
      v.offsets[3 * j + 2] = at;
      at += out.write(jsons[-o - 1] as string, outText + at);
    }
  }
  flushRun();
  v.offsets[3 * n] = at;
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
