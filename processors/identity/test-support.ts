import type { CanonicalEvent, CanonicalIdentity } from '../../contracts/canonical-event';

/** A canonical event for identity tests: only the fields identity resolution reads vary. */
export function identityEvent(
  eventId: string,
  timestamp: string,
  identity: CanonicalIdentity,
  type: CanonicalEvent['type'] = 'track',
): CanonicalEvent {
  return {
    eventId,
    type,
    eventName: type === 'track' ? 'page_view' : type,
    timestamp,
    receivedAt: timestamp,
    source: 'test',
    identity,
    properties: {},
    traits: {},
    context: {},
  };
}
