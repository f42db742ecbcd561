import { hash } from 'node:crypto';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { canonicalEvent } from './lake-files';

/** The warehouse's (and the processors') profile id of an anchor identifier key, unsalted. */
export const profileIdOf = (anchorKey: string): string =>
  `prof_${hash('sha256', anchorKey, 'hex').slice(0, 24)}`;

/** The refresh time the journey's expectations are computed at. */
export const JOURNEY_AS_OF = '2024-06-30 00:00:00';

const at = (day: string, time: string) => `2024-${day}T${time}.000Z`;

/**
 * A small journey with known answers: Ann browses anonymously, signs up and becomes user u1, buys
 * four times for 800 (high value); Bob only browses, 25 page views in the last week (engaged
 * non-buyer); Cat bought once two months ago (at risk). Ann's tablet is later used by Cat (the
 * tablet stays Ann's: it was linked to her first).
 */
export function journeyEvents(): CanonicalEvent[] {
  const events: CanonicalEvent[] = [
    canonicalEvent({
      eventId: 'ann-1',
      type: 'page',
      eventName: 'page_view',
      timestamp: at('05-01', '10:00:00'),
      identity: { anonymousId: 'tablet-1' },
    }),
    canonicalEvent({
      eventId: 'ann-2',
      type: 'page',
      eventName: 'page_view',
      timestamp: at('05-01', '10:20:00'),
      identity: { anonymousId: 'tablet-1' },
    }),
    canonicalEvent({
      eventId: 'ann-3',
      eventName: 'signup',
      timestamp: at('05-01', '10:25:00'),
      identity: { anonymousId: 'tablet-1', email: 'ann@example.org' },
    }),
    canonicalEvent({
      eventId: 'ann-4',
      type: 'identify',
      eventName: 'identify',
      timestamp: at('05-01', '10:26:00'),
      identity: { userId: 'u1', email: 'ann@example.org', anonymousId: 'tablet-1' },
      traits: { name: 'Ann', plan: 'free' },
    }),
    canonicalEvent({
      eventId: 'ann-5',
      type: 'identify',
      eventName: 'identify',
      timestamp: at('06-01', '09:00:00'),
      identity: { userId: 'u1' },
      traits: { plan: 'pro' },
    }),
  ];
  for (let i = 0; i < 4; i++) {
    events.push(
      canonicalEvent({
        eventId: `ann-buy-${i}`,
        eventName: 'purchase',
        timestamp: at(`06-1${i}`, '12:00:00'),
        identity: { userId: 'u1' },
        properties: { amount: 200 },
      }),
    );
  }
  for (let i = 0; i < 25; i++) {
    events.push(
      canonicalEvent({
        eventId: `bob-${i}`,
        type: 'page',
        eventName: 'page_view',
        timestamp: at('06-28', `1${Math.floor(i / 10)}:${String((i % 10) * 5).padStart(2, '0')}:00`),
        identity: { anonymousId: 'bob-laptop' },
      }),
    );
  }
  events.push(
    canonicalEvent({
      eventId: 'cat-1',
      eventName: 'purchase',
      timestamp: at('05-01', '08:00:00'),
      identity: { userId: 'u3', email: 'cat@example.org' },
      properties: { amount: 50 },
    }),
  );
  events.push(
    canonicalEvent({
      eventId: 'cat-2',
      type: 'page',
      eventName: 'page_view',
      timestamp: at('05-02', '08:00:00'),
      identity: { userId: 'u3', anonymousId: 'tablet-1' },
    }),
  );
  // A blocked value never joins anyone: "null" as a user id and a test@ address.
  events.push(
    canonicalEvent({
      eventId: 'junk-1',
      eventName: 'page_view',
      timestamp: at('05-03', '08:00:00'),
      identity: { userId: 'null', email: 'test@example.org', anonymousId: 'junk-device' },
    }),
  );
  return events;
}
