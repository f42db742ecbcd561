import fc from 'fast-check';
import type { ActivityItem } from '../../contracts/profile';
import { newestFirst, packedJson, type StoredActivity } from './packed-timeline';
import { createTimelineTable } from './timeline-table';
import { activityItem } from './timeline-test-support';

const item = activityItem;

const at = (s: number) => `2026-01-01T00:01:${String(s).padStart(2, '0')}.000Z`;

/**
 * The rule written plainly over objects, as the store kept timelines before packing: at each write (at
 * time k) an event id with a live entry keeps it, expired entries go, the newest `max` stay; reads skip
 * expired entries.
 */
function reference(batches: readonly StoredActivity[][], max: number, nowMs: number): StoredActivity[] {
  let kept: StoredActivity[] = [];
  batches.forEach((batch, k) => {
    const live = kept.filter((e) => e.expiresAtMs > k);
    const ids = new Set(live.map((e) => e.item.eventId));
    for (const e of batch) {
      if (e.expiresAtMs <= k || ids.has(e.item.eventId)) continue;
      ids.add(e.item.eventId);
      live.push(e);
    }
    kept = live.sort((a, b) => newestFirst(a.item, b.item)).slice(0, max);
  });
  return kept.filter((e) => e.expiresAtMs > nowMs);
}

const sorted = (entries: StoredActivity[]) => [...entries].sort((a, b) => newestFirst(a.item, b.item));

describe('createTimelineTable', () => {
  it('keeps a timeline as given while it is written, and packs it once cold', () => {
    // Prepare
    let now = 0;
    const table = createTimelineTable({ now: () => now, max: 10, coldAfterMs: 100 });
    const a = { item: item('a', at(1)), expiresAtMs: 1_000 };
    table.append('p1', [a]);
    now = 50;
    table.append('p2', [{ item: item('b', at(2)), expiresAtMs: 1_000 }]);
    // Act
    const hotSnapshot = table.snapshot('p1');
    now = 120; // p1 cold, p2 not: a write packs p1 (the sweep follows the writes)
    table.append('p3', [{ item: item('c', at(3)), expiresAtMs: 1_000 }]);
    const afterWrite = table.hotCount();
    now = 250; // all cold, no write: only an explicit sweep packs them
    const idle = table.hotCount();
    const packed = table.packCold(10);
    // Assess
    expect(hotSnapshot).toEqual({ base: undefined, fresh: [a] });
    expect((hotSnapshot as { fresh: readonly StoredActivity[] }).fresh[0]).toBe(a);
    expect(afterWrite).toBe(2);
    expect(Buffer.isBuffer(table.snapshot('p1'))).toBe(true);
    expect(idle).toBe(2);
    expect(packed).toBe(2);
    expect(table.hotCount()).toBe(0);
    expect(table.entriesOf(table.snapshot('p1')!)).toEqual([a]);
  });

  it('adds a write to a packed timeline beside it, and merges both when read or cold again', () => {
    // Prepare: a packed timeline
    let now = 0;
    const table = createTimelineTable({ now: () => now, max: 10, coldAfterMs: 100 });
    const old = [1, 3, 5].map((s) => ({ item: item(`o${s}`, at(s)), expiresAtMs: 1_000 }));
    table.append('p1', old);
    now = 100;
    table.packCold(1);
    const packed = table.snapshot('p1');
    // Act: new entries, one repeating a stored event id
    const added = [
      { item: item('n4', at(4)), expiresAtMs: 1_000 },
      { item: item('o3', at(9), { again: true }), expiresAtMs: 1_000 },
    ];
    table.append('p1', added);
    const beside = table.snapshot('p1');
    const read = JSON.parse(packedJson(table.packed('p1'), now, 10).toString('utf8')) as ActivityItem[];
    // Assess
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect(beside).toEqual({ base: packed, fresh: [added[0]] });
    expect(sorted(table.entriesOf(table.snapshot('p1')!))).toEqual(sorted([...old, added[0]!]));
    expect(read.map((i) => i.eventId)).toEqual(['o5', 'n4', 'o3', 'o1']);
    expect(read[2]?.properties).toEqual({});
    expect(table.hotCount()).toBe(1); // read, not cold: stays hot (packed, ready for the next write)
    now = 250;
    expect(table.packCold(5)).toBe(1);
    expect(Buffer.isBuffer(table.snapshot('p1'))).toBe(true);
  });

  it('packs the oldest cold timelines first, at most as many as asked', () => {
    let now = 0;
    const table = createTimelineTable({ now: () => now, max: 10, coldAfterMs: 10, packsPerWrite: 0 });
    for (let i = 0; i < 5; i++) {
      now = i;
      table.append(`p${i}`, [{ item: item(`e${i}`, at(i)), expiresAtMs: 1_000 }]);
    }
    now = 3;
    table.append('p0', [{ item: item('x', at(9)), expiresAtMs: 1_000 }]); // p0 written again
    now = 12; // p0 (written at 3), p3 and p4 are not cold
    expect(table.packCold(1)).toBe(1);
    expect(Buffer.isBuffer(table.snapshot('p1'))).toBe(true);
    expect(Buffer.isBuffer(table.snapshot('p2'))).toBe(false);
    expect(table.packCold(10)).toBe(1);
    expect(['p0', 'p3', 'p4'].map((p) => Buffer.isBuffer(table.snapshot(p)))).toEqual([false, false, false]);
    now = 100;
    expect(table.packCold(10)).toBe(3);
  });

  it('removes a timeline, giving its live entries, packed or not', () => {
    let now = 0;
    const table = createTimelineTable({ now: () => now, max: 10, coldAfterMs: 10 });
    table.append('p1', [{ item: item('a', at(1)), expiresAtMs: 50 }]);
    now = 20;
    table.packCold(1);
    table.append('p1', [{ item: item('b', at(2)), expiresAtMs: 1_000 }]);
    const removed = table.remove('p1');
    expect(sorted(removed).map((e) => e.item.eventId)).toEqual(['b', 'a']);
    expect(table.snapshot('p1')).toBeUndefined();
    expect(table.hotCount()).toBe(0);
    now = 60;
    table.append('p2', [{ item: item('a', at(1)), expiresAtMs: 50 }]); // already expired: nothing kept
    expect(table.snapshot('p2')).toBeUndefined();
    expect(table.hotCount()).toBe(0);
  });

  it('gives what the plain rule gives, for any batches, expiries, bound and packing moments', () => {
    const entry = fc.record({
      item: fc.record({
        eventId: fc.oneof(
          fc.constantFrom('a', 'b', 'é'),
          fc.nat(80).map((n) => `e${n}`),
        ),
        eventName: fc.constant('e'),
        timestamp: fc.integer({ min: 0, max: 5 }).map((s) => `2026-01-01T00:00:0${s}.000Z`),
        source: fc.constant('web'),
        properties: fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'binary' }), fc.integer())),
      }),
      expiresAtMs: fc.integer({ min: 0, max: 20 }),
    });
    // after each write: 0 nothing, 1 a sweep, 2 a read (packs what was written), 3 a snapshot's entries
    const step = fc.record({ batch: fc.array(entry, { maxLength: 30 }), after: fc.nat(3) });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(2),
        (steps, max, coldAfterMs) => {
          let now = 0;
          const table = createTimelineTable({ now: () => now, max, coldAfterMs, packsPerWrite: 1 });
          steps.forEach(({ batch, after }, k) => {
            now = k;
            table.append('p', batch);
            if (after === 1) table.packCold(10);
            const expected = reference(
              steps.slice(0, k + 1).map((s) => s.batch),
              max,
              k,
            );
            if (after === 2) {
              // packed: newest first in the bytes
              const packed = table.packed('p');
              expect(packed === undefined ? [] : table.entriesOf(packed)).toEqual(expected);
            }
            if (after === 3) {
              const snapshot = table.snapshot('p');
              expect(sorted(snapshot === undefined ? [] : table.entriesOf(snapshot))).toEqual(expected);
            }
          });
          now = steps.length;
          const snapshot = table.snapshot('p');
          expect(sorted(snapshot === undefined ? [] : table.entriesOf(snapshot))).toEqual(
            reference(
              steps.map((s) => s.batch),
              max,
              steps.length,
            ),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
