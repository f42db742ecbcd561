import { keyedTumblingCount, sampleViews } from '../examples/keyed-tumbling-count';
import { sampleClicks, sessionsWithLateData } from '../examples/sessions-with-late-data';

const MIN = 60_000;

describe('the guide examples', () => {
  test('keyed tumbling count', () => {
    expect(keyedTumblingCount(sampleViews)).toEqual([
      { userId: 'alice', minuteStart: '2026-01-01T10:00:00.000Z', views: 3 },
      { userId: 'bob', minuteStart: '2026-01-01T10:00:00.000Z', views: 1 },
      { userId: 'alice', minuteStart: '2026-01-01T10:01:00.000Z', views: 1 },
      { userId: 'bob', minuteStart: '2026-01-01T10:02:00.000Z', views: 1 },
    ]);
  });

  test('sessions with late data', () => {
    const { sessions, tooLate } = sessionsWithLateData(sampleClicks);
    expect(sessions).toEqual([
      { userId: 'u1', start: 0, end: 40 * MIN, clicks: 2 },
      { userId: 'u1', start: 50 * MIN, end: 80 * MIN, clicks: 1 },
      { userId: 'u1', start: 0, end: 80 * MIN, clicks: 4 }, // re-fired after the late bridging click
      { userId: 'u1', start: 90 * MIN, end: 120 * MIN, clicks: 1 },
      { userId: 'u1', start: 300 * MIN, end: 330 * MIN, clicks: 1 },
    ]);
    expect(tooLate).toEqual([{ userId: 'u1', at: 30 * MIN }]);
  });
});
