import type { CanonicalEvent } from '../../../contracts/canonical-event';
import type { EventLogRecord } from '../../../contracts/ports/event-log';

/** A small valid canonical event with a given id and user. */
export function canonicalEvent(
  eventId: string,
  userId: string,
  timestamp = '2026-12-04T10:00:00.000Z',
): CanonicalEvent {
  return {
    eventId,
    type: 'track',
    eventName: 'Tested',
    timestamp,
    receivedAt: timestamp,
    source: 'test',
    identity: { userId },
    properties: { n: eventId.length, note: 'ünïcode ✓' },
    traits: {},
    context: {},
  };
}

/** `count` records for users `u0..u{users-1}`, ids `${prefix}-${i}`. */
export function logRecords(prefix: string, count: number, users = 7): EventLogRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const userId = `u${i % users}`;
    return { partitionKey: userId, event: canonicalEvent(`${prefix}-${i}`, userId) };
  });
}
