import type { ActivityItem } from '../../contracts/profile';
import {
  liveIndexes,
  type PackedTimeline,
  packedEntries,
  packedEventId,
  packedJson,
  packTimeline,
} from './packed-timeline';
import { activityItem } from './timeline-test-support';

const item = activityItem;

const ids = (t: PackedTimeline | undefined) =>
  t === undefined ? [] : liveIndexes(t, Number.NEGATIVE_INFINITY).map((i) => packedEventId(t, i));

describe('PackedTimeline', () => {
  it('keeps the entries newest first as JSON bytes, with text that needs escaping intact', () => {
    // Prepare
    const odd = {
      note: 'quote " backslash \\ \u2028 é \ud83d\ude00 lone \udc00',
      n: 1.5,
      nested: [null, true],
    };
    // Act
    const t = packTimeline(
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
    const json = JSON.parse(Buffer.from(packedJson(t, 0, 10)).toString('utf8')) as ActivityItem[];
    expect(json.map((i) => i.eventId)).toEqual(['c', 'b', 'a']);
    expect(json[2]).toEqual(item('a', '2026-01-01T00:00:01.000Z', odd));
    expect(packedEntries(t, 0).map((e) => e.item)).toEqual(json);
    expect(Buffer.from(packedJson(t, 0, 2)).toString('utf8')).toBe(JSON.stringify(json.slice(0, 2)));
    expect(Buffer.from(packedJson(undefined, 0, 5)).toString('utf8')).toBe('[]');
  });

  it('skips expired entries on read and drops them at the next write', () => {
    // Prepare
    const t = packTimeline(
      undefined,
      [
        { item: item('old', '2026-01-01T00:00:09.000Z'), expiresAtMs: 50 },
        { item: item('new', '2026-01-01T00:00:01.000Z'), expiresAtMs: 500 },
      ],
      10,
      0,
    );
    // Act
    const later = packTimeline(
      t,
      [{ item: item('x', '2026-01-01T00:00:02.000Z'), expiresAtMs: 500 }],
      10,
      60,
    );
    // Assess
    expect(liveIndexes(t, 0)).toEqual([0, 1]);
    expect(Buffer.from(packedJson(t, 60, 10)).toString('utf8')).toBe(
      JSON.stringify([item('new', '2026-01-01T00:00:01.000Z')]),
    );
    expect(ids(later)).toEqual(['x', 'new']);
    expect(packTimeline(later, [], 10, 1_000)).toBeUndefined();
  });

  it('pages after a cursor in the DynamoDB key order, offsets compared as text like the sort key', () => {
    const t = packTimeline(
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
    expect(ids(t)).toEqual(['e2', 'e1', 'e0']);
    expect(liveIndexes(t, 0, { timestamp: '2026-01-01T00:00:02.000+01:00', eventId: 'e1' })).toEqual([2]);
  });
});
