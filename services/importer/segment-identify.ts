import type { CanonicalEvent } from '../../contracts/canonical-event';

/** A custom identifier as Segment carries it (`context.externalIds`). */
export interface SegmentExternalId {
  id: string;
  type: string;
  collection: 'users';
  encoding: 'none';
}

/** A Segment `identify` call (HTTP Tracking API wire format). */
export interface SegmentIdentify {
  type: 'identify';
  messageId: string;
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  traits: Record<string, unknown>;
  context: Record<string, unknown> & { externalIds?: SegmentExternalId[] };
}

/**
 * The Segment `identify` an imported event is sent as: email and phone in `traits`, custom ids in
 * `context.externalIds`, the deterministic event id as `messageId`. No made-up `anonymousId` for rows
 * without a user id: Tributary's collector accepts any identifier (custom ids included), and an invented
 * device id would become a bogus node in the identity graph.
 */
export function toSegmentIdentify(event: CanonicalEvent): SegmentIdentify {
  const { identity } = event;
  const externalIds: SegmentExternalId[] = (identity.externalIds ?? []).map((id) => ({
    id: id.value,
    type: id.type,
    collection: 'users',
    encoding: 'none',
  }));
  const traits: Record<string, unknown> = { ...event.traits };
  if (identity.email !== undefined) traits.email = identity.email;
  if (identity.phone !== undefined) traits.phone = identity.phone;
  const message: SegmentIdentify = {
    type: 'identify',
    messageId: event.eventId,
    timestamp: event.timestamp,
    traits,
    context: { ...event.context, ...(externalIds.length > 0 ? { externalIds } : {}) },
  };
  if (identity.userId !== undefined) message.userId = identity.userId;
  if (identity.anonymousId !== undefined) message.anonymousId = identity.anonymousId;
  return message;
}
