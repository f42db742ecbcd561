import type { CanonicalEvent } from '../../../contracts/canonical-event';
import type { EventLogRecord } from '../../../contracts/ports/event-log';
import type { ActivityItem, ProfileDocument } from '../../../contracts/profile';
import { profileDocument } from '../../fixtures/profile-document';

/** A valid canonical event for adapter tests (`n` makes its id, user and time unique). */
export function testEvent(n: number, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  const timestamp = new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + n * 1_000).toISOString();
  return {
    eventId: `evt-${String(n).padStart(6, '0')}`,
    type: 'track',
    eventName: 'Product Viewed',
    timestamp,
    receivedAt: timestamp,
    source: 'integration-test',
    identity: { userId: `user-${n % 7}` },
    properties: { n },
    traits: {},
    context: {},
    ...overrides,
  };
}

/** `count` records keyed by user, the collector's way. */
export function testRecords(count: number, from = 0): EventLogRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const event = testEvent(from + i);
    return { partitionKey: event.identity.userId ?? event.eventId, event };
  });
}

/** A valid profile document at `version` with `totalEvents` counted. */
export function testProfile(profileId: string, overrides: Partial<ProfileDocument> = {}): ProfileDocument {
  const at = '2024-05-01T12:00:00.000Z';
  return profileDocument(profileId, { traits: { plan: 'free' }, traitTimes: { plan: at }, ...overrides }, at);
}

/** A timeline entry for profile-store tests. */
export function testActivity(n: number): ActivityItem {
  const e = testEvent(n);
  return {
    eventId: e.eventId,
    eventName: e.eventName,
    timestamp: e.timestamp,
    source: e.source,
    properties: { n },
  };
}
