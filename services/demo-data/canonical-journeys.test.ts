import { CanonicalEvent } from '../../contracts/canonical-event';
import { canonicalJourneys } from './canonical-journeys';
import { JourneyOptions } from './journey-options';

const END = Date.parse('2026-03-31T00:00:00.000Z');

describe('canonicalJourneys', () => {
  it('normalizes every call as the collector does, receivedAt never going back', () => {
    // Act
    const events = [
      ...canonicalJourneys(JourneyOptions.parse({ endMs: END, customers: 200, outOfOrder: 0.2 }), {
        source: 'bench',
      }),
    ];

    // Assess
    expect(events.length).toBeGreaterThan(2000);
    expect(events.every((e) => CanonicalEvent.safeParse(e).success && e.source === 'bench')).toBe(true);
    const received = events.map((e) => Date.parse(e.receivedAt));
    expect(received.every((t, i) => i === 0 || t >= received[i - 1]!)).toBe(true);
    expect(events.every((e) => Date.parse(e.receivedAt) >= Date.parse(e.timestamp) + 250)).toBe(true);
    expect(events.some((e) => Date.parse(e.receivedAt) - Date.parse(e.timestamp) > 60_000)).toBe(true);
    const names = new Set(events.map((e) => e.eventName));
    expect([...names]).toEqual(
      expect.arrayContaining(['page_view', 'screen_view', 'identify', 'Order Completed', 'purchase']),
    );
    expect(events.some((e) => e.identity.email !== undefined && e.identity.userId !== undefined)).toBe(true);
  });
});
