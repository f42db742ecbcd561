import { z } from 'zod';
import { Identifier } from './identifier';

/** Segment call types; the seed's unified events become `track` (or `page`/`identify`, see normalize). */
export const CallType = z.enum(['identify', 'track', 'page', 'screen', 'group', 'alias']);
export type CallType = z.infer<typeof CallType>;

const IsoTimestamp = z.iso.datetime({ offset: true });
const JsonObject = z.record(z.string(), z.unknown());

/**
 * The ids of the person who caused the event, normalized: email trimmed and lower-cased, phone in
 * E.164. `previousId` only on `alias`; custom identifiers (`crm_id`, ...) in `externalIds`.
 */
export const CanonicalIdentity = z.object({
  userId: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  phone: z.string().min(1).optional(),
  previousId: z.string().min(1).optional(),
  externalIds: z.array(Identifier).optional(),
});
export type CanonicalIdentity = z.infer<typeof CanonicalIdentity>;

/**
 * The one event shape inside Tributary: Segment calls and the seed's unified events both normalize
 * into it; processors, the lake and the warehouse read only this.
 *
 * - `eventId` is the client's `messageId` / `eventId`, or a generated UUIDv7.
 * - `timestamp` is the event time, clock-skew corrected (Segment's rule), ISO-8601 UTC with ms.
 * - `receivedAt` is set by the collector; `source` comes from the write key.
 * - `eventName`: `page` → `page_view`, `screen` → `screen_view`, `track` keeps its `event`,
 *   `identify` / `group` / `alias` keep the call type as name.
 */
export const CanonicalEvent = z.object({
  eventId: z.string().min(1).max(256),
  type: CallType,
  eventName: z.string().min(1).max(512),
  timestamp: IsoTimestamp,
  receivedAt: IsoTimestamp,
  sentAt: IsoTimestamp.optional(),
  originalTimestamp: IsoTimestamp.optional(),
  source: z.string().min(1).max(128),
  identity: CanonicalIdentity,
  groupId: z.string().min(1).optional(),
  name: z.string().optional(),
  properties: JsonObject,
  traits: JsonObject,
  context: JsonObject,
  integrations: JsonObject.optional(),
});
export type CanonicalEvent = z.infer<typeof CanonicalEvent>;
