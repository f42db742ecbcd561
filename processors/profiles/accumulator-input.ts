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

/** An accumulator input whose fields can be overwritten (one per operator, reused per event). */
export type MutableAccumulatorInput = { -readonly [K in keyof AccumulatorInput]: AccumulatorInput[K] };

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** A blank reusable input for {@link fillAccumulatorInput}. */
export function createAccumulatorInput(): MutableAccumulatorInput {
  return {
    t: 0,
    kind: 0,
    amountCents: 0,
    eventId: '',
    eventName: '',
    timestamp: '',
    source: '',
    email: undefined,
    properties: EMPTY,
    traits: EMPTY,
    context: EMPTY,
    shard: undefined,
    sequence: undefined,
    item: undefined,
  };
}

/** {@link accumulatorInput} into an existing object: no allocation on the hot path. */
export function fillAccumulatorInput(
  target: MutableAccumulatorInput,
  event: CanonicalEvent,
  t: number,
  classifier: EventClassifier,
  shard?: string,
  sequence?: string,
  item?: ActivityItem,
): MutableAccumulatorInput {
  const kind = classifier.kind(event.eventName);
  target.t = t;
  target.kind = kind;
  target.amountCents = kind === 2 ? classifier.amountCents(event.eventName, event.properties) : 0;
  target.eventId = event.eventId;
  target.eventName = event.eventName;
  target.timestamp = event.timestamp;
  target.source = event.source;
  target.email = event.identity.email;
  target.properties = event.properties;
  target.traits = event.traits;
  target.context = event.context;
  target.shard = shard;
  target.sequence = sequence;
  target.item = item;
  return target;
}
