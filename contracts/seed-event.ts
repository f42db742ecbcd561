import { z } from 'zod';
import { MAX_ID_LENGTH } from './ingest-limits';
import { JsonObject, SegmentId, SegmentTimestamp } from './segment-event';

const Text = z.string().nullish();

/**
 * The identity block of the seed's unified event. Any other key holding a string (or integer) is a
 * custom identifier: `{ "crm_id": "C-42" }` becomes `externalIds: [{ type: "crm_id", value: "C-42" }]`.
 */
export const SeedIdentity = z
  .object({
    userId: SegmentId.nullish(),
    anonymousId: SegmentId.nullish(),
    email: z.string().max(320).nullish(),
    phone: z.union([z.string().max(64), z.number()]).nullish(),
  })
  .catchall(
    z.union([z.string().min(1).max(MAX_ID_LENGTH).regex(/\S/, 'must not be blank'), z.int(), z.null()], {
      error: `a custom identifier must be a non-blank string of at most ${MAX_ID_LENGTH} characters, or an integer`,
    }),
  );
export type SeedIdentity = z.infer<typeof SeedIdentity>;

/** The seed's context: page, device, campaign, location (other keys kept). */
export const SeedContext = z.looseObject({
  page: z.looseObject({ url: Text, title: Text }).nullish(),
  device: z.looseObject({ type: Text, os: Text }).nullish(),
  campaign: z.looseObject({ source: Text, medium: Text, name: Text }).nullish(),
  location: z.looseObject({ country: Text, city: Text }).nullish(),
});
export type SeedContext = z.infer<typeof SeedContext>;

/** The seed's unified event (`eventId, eventName, timestamp, source, identity, properties, context`). */
export const SeedEvent = z.looseObject({
  eventId: z.string().min(1).max(256).nullish(),
  eventName: z.string().min(1).max(512).regex(/\S/, 'must not be blank'),
  timestamp: SegmentTimestamp,
  source: z.string().max(128).nullish().meta({
    description: 'What the sender claims; the source of record comes from the write key',
  }),
  identity: SeedIdentity,
  properties: JsonObject.nullish(),
  context: SeedContext.nullish(),
});
export type SeedEvent = z.infer<typeof SeedEvent>;

/** The `/v1/events` body as first read: the events are checked one by one. */
export const SeedEventsEnvelope = z.looseObject({ events: z.array(z.unknown()) });
export type SeedEventsEnvelope = z.infer<typeof SeedEventsEnvelope>;

/** The `/v1/events` body: `{ "events": [...] }` of seed events. */
export const SeedEvents = z.looseObject({ events: z.array(SeedEvent) });
export type SeedEvents = z.infer<typeof SeedEvents>;
