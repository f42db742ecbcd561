import fc from 'fast-check';
import type { ActivityItem } from '../../contracts/profile';
import {
  addToTimeline,
  liveIndexes,
  newestFirst,
  type StoredActivity,
  timelineEntries,
  timelineJson,
} from './packed-timeline';

const item = (
  eventId: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
): ActivityItem => ({
  eventId,
  eventName: 'page_view',
  timestamp,
  source: 'web',
  properties,
});

/**
 * The rule written plainly over objects: at each write (at time k) an event id already kept (even
 * expired) keeps its entry, expired entries go, the newest `max` stay; reads skip expired entries.
 */
function reference(batches: readonly StoredActivity[][], max: number, nowMs: number): StoredActivity[] {
  let kept: StoredActivity[] = [];
  batches.forEach((batch, k) => {
    const ids = new Set(kept.map((e) => e.item.eventId));
    const live = kept.filter((e) => e.expiresAtMs > k);
    for (const e of batch) {
      if (e.expiresAtMs <= k || ids.has(e.item.eventId)) continue;
      ids.add(e.item.eventId);
      live.push(e);
    }
    kept = live.sort((a, b) => newestFirst(a.item, b.item)).slice(0, max);
  });
  return kept.filter((e) => e.expiresAtMs > nowMs);
}

describe('PackedTimeline', () => {
  it('keeps the entries newest first as JSON bytes, with text that needs escaping intact', () => {
    // Prepare
    const odd = {
      note: 'quote " backslash \\ \u2028 é \ud83d\ude00 lone \udc00',
      n: 1.5,
      nested: [null, true],
    };
    // Act
    const t = addToTimeline(
      undefined,
      [
        { item: item('a', '2026-01-01T00:00:01.000Z', odd), expiresAtMs: 100 },
        { item: item('b', '2026-01-01T00:00:03.000Z'), expiresAtMs: 100 },
        { item: item('c', '2026-01-01T00:00:03.000Z'), expiresAtMs: 100 },
      ],
      10,
      0,
    );
    // Assess
    const json = JSON.parse(Buffer.from(timelineJson(t, 0, 10)).toString('utf8')) as ActivityItem[];
    expect(json.map((i) => i.eventId)).toEqual(['c', 'b', 'a']);
    expect(json[2]).toEqual(item('a', '2026-01-01T00:00:01.000Z', odd));
    expect(timelineEntries(t, 0).map((e) => e.item)).toEqual(json);
    expect(Buffer.from(timelineJson(t, 0, 2)).toString('utf8')).toBe(JSON.stringify(json.slice(0, 2)));
    expect(Buffer.from(timelineJson(undefined, 0, 5)).toString('utf8')).toBe('[]');
  });

  it('skips expired entries on read and drops them at the next write', () => {
    // Prepare
    const t = addToTimeline(
      undefined,
      [
        { item: item('old', '2026-01-01T00:00:09.000Z'), expiresAtMs: 50 },
        { item: item('new', '2026-01-01T00:00:01.000Z'), expiresAtMs: 500 },
      ],
      10,
      0,
    );
    // Act
    const later = addToTimeline(
      t,
      [{ item: item('x', '2026-01-01T00:00:02.000Z'), expiresAtMs: 500 }],
      10,
      60,
    );
    // Assess
    expect(liveIndexes(t, 0)).toEqual([0, 1]);
    expect(Buffer.from(timelineJson(t, 60, 10)).toString('utf8')).toBe(
      JSON.stringify([item('new', '2026-01-01T00:00:01.000Z')]),
    );
    expect(later?.eventIds).toEqual(['x', 'new']);
    expect(addToTimeline(later, [], 10, 1_000)).toBeUndefined();
  });

  it('pages after a cursor in the DynamoDB key order, offsets compared as text like the sort key', () => {
    const t = addToTimeline(
      undefined,
      ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000+01:00', '2026-01-01T00:00:03.000Z'].map(
        (ts, i) => ({
          item: item(`e${i}`, ts),
          expiresAtMs: 10,
        }),
      ),
      10,
      0,
    );
    expect(t?.eventIds).toEqual(['e2', 'e1', 'e0']);
    expect(liveIndexes(t, 0, { timestamp: '2026-01-01T00:00:02.000+01:00', eventId: 'e1' })).toEqual([2]);
  });

  it('keeps the stored entry of an event id given again, in a large timeline too', () => {
    // Prepare: 40 stored entries, then 20 more of which every other one repeats a stored id
    const at = (s: number) => `2026-01-01T00:01:${String(s).padStart(2, '0')}.000Z`;
    const first = Array.from({ length: 40 }, (_, i) => ({ item: item(`e${i}`, at(i)), expiresAtMs: 10 }));
    const again = Array.from({ length: 20 }, (_, i) => ({
      item: item(i % 2 === 0 ? `e${i}` : `n${i}`, at(59 - i), { again: true }),
      expiresAtMs: 10,
    }));
    // Act
    const t = addToTimeline(addToTimeline(undefined, first, 100, 0), again, 100, 0);
    // Assess
    const entries = timelineEntries(t, 0);
    expect(entries).toHaveLength(50);
    expect(new Set(entries.map((e) => e.item.eventId)).size).toBe(50);
    expect(entries.find((e) => e.item.eventId === 'e2')?.item.properties).toEqual({});
  });

  it('gives what the unpacked map gave, for any batches, expiries and bound', () => {
    const entry = fc.record({
      item: fc.record({
        eventId: fc.oneof(
          fc.constantFrom('a', 'b', 'é'),
          fc.nat(80).map((n) => `e${n}`),
        ),
        eventName: fc.constant('e'),
        timestamp: fc.integer({ min: 0, max: 5 }).map((s) => `2026-01-01T00:00:0${s}.000Z`),
        source: fc.constant('web'),
        properties: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
      }),
      expiresAtMs: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(entry, { maxLength: 60 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (batches, max) => {
          let t: ReturnType<typeof addToTimeline>;
          batches.forEach((batch, k) => {
            t = addToTimeline(t, batch, max, k);
          });
          const nowMs = batches.length - 1;
          expect(timelineEntries(t, nowMs)).toEqual(reference(batches, max, nowMs));
        },
      ),
      { numRuns: 300 },
    );
  });
});
