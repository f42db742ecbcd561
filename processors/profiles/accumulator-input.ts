import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { ActivityItem } from '../../contracts/profile';
import type { AccumulatorInput } from './accumulator';
import type { EventClassifier } from './classify-event';

/** The accumulator's view of a canonical event (`t` is its event time in ms). */
export function accumulatorInput(
  event: CanonicalEvent,
  t: number,
  classifier: EventClassifier,
  shard?: string,
  sequence?: string,
  item?: ActivityItem,
): AccumulatorInput {
  const kind = classifier.kind(event.eventName);
  return {
    t,
    kind,
    amountCents: kind === 2 ? classifier.amountCents(event.eventName, event.properties) : 0,
    eventId: event.eventId,
    eventName: event.eventName,
    timestamp: event.timestamp,
    source: event.source,
    email: event.identity.email,
    properties: event.properties,
    traits: event.traits,
    context: event.context,
    shard,
    sequence,
    item,
  };
}
