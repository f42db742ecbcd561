import type { DailyActivity, ProfileDocument } from './profile';
import { eventCountWithin, horizonFigures, profileFigures, utcDay } from './profile-figures';

const day = (d: string, purchases: number, revenue: number): DailyActivity => ({
  day: d,
  events: purchases + 1,
  pageViews: 1,
  purchases,
  revenue,
  eventCounts: { purchase: purchases, page_view: 1 },
});

const NOW = Date.parse('2026-03-31T12:00:00.000Z');

describe('profile figures', () => {
  it('names the UTC day of a time, at the edges of days too, asked again or not', () => {
    const times = [
      '2026-03-31T00:00:00.000Z',
      '2026-03-31T23:59:59.999Z',
      '2026-04-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
    ].map((t) => Date.parse(t));

    const first = times.map(utcDay);
    const again = times.map(utcDay);

    expect(first).toEqual(['2026-03-31', '2026-03-31', '2026-04-01', '1969-12-31', '1970-01-01']);
    expect(again).toEqual(first);
    expect(() => utcDay(Number.NaN)).toThrow(RangeError);
  });

  it('counts today and the six days before it as the last 7 days', () => {
    const daily = [day('2026-03-24', 5, 50), day('2026-03-25', 1, 10.1), day('2026-03-31', 2, 20.2)];

    const figures = horizonFigures(daily, NOW, 7);

    expect(figures).toEqual({ purchases: 3, revenue: 30.3, pageViews: 2 });
    expect(eventCountWithin(daily, 'purchase', NOW, 8)).toBe(8);
  });

  it('computes daysSinceLastVisit and today at read time', () => {
    const document: ProfileDocument = {
      profileId: 'p',
      version: 1,
      traits: {},
      traitTimes: {},
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-03-01T13:00:00.000Z',
      totalEvents: 3,
      totalPageViews: 1,
      totalPurchases: 2,
      lifetimeValue: 20,
      eventCounts: {},
      daily: [day('2026-03-31', 2, 20)],
      sessions: { count: 2, totalDurationMs: 600_000 },
      mergedFrom: [],
      appliedSequences: {},
      updatedAt: '2026-03-31T00:00:00.000Z',
    };

    const figures = profileFigures(document, NOW);

    expect(figures.daysSinceLastVisit).toBe(29);
    expect(figures.today).toEqual({ events: 3, purchases: 2, revenue: 20, pageViews: 1 });
    expect(figures.sessions.averageDurationMs).toBe(300_000);
  });
});
