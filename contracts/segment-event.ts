import { z } from 'zod';
import { MAX_ID_LENGTH } from './ingest-limits';

/**
 * Segment Tracking API (https://segment.com/docs/connections/spec/) as zod schemas. Unknown top-level
 * keys (`channel`, `version`, `_metadata`, ...) are allowed and kept, as Segment does; `null` is
 * accepted wherever analytics.js sends it for "not set".
 */

const CALL_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

/** A JSON object whose keys Tributary does not interpret (properties, traits, integrations). */
export const JsonObject = z.looseObject({}).meta({ description: 'Any JSON object' });
export type JsonObject = z.infer<typeof JsonObject>;

/** A user id, anonymous id, group id or previous id: a non-blank string, or an integer (coerced). */
export const SegmentId = z.union(
  [z.string().min(1).max(MAX_ID_LENGTH).regex(/\S/, 'must not be blank'), z.int()],
  { error: `must be a non-blank string of at most ${MAX_ID_LENGTH} characters, or an integer` },
);
export type SegmentId = z.infer<typeof SegmentId>;

/** An ISO-8601 date-time with a time zone, as every Segment library sends. */
export const SegmentTimestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with a time zone, e.g. 2024-05-01T12:00:00.000Z',
});

/** Segment's custom-identifier convention: `context.externalIds[]`. */
export const SegmentExternalId = z.looseObject({
  id: SegmentId,
  type: z.string().min(1).max(64).meta({ description: 'Identifier type, e.g. `crm_id`; made snake_case' }),
  collection: z.string().nullish(),
  encoding: z.string().nullish(),
});
export type SegmentExternalId = z.infer<typeof SegmentExternalId>;

/** The `context` object; only `traits` and `externalIds` are read, the rest is kept as is. */
export const SegmentContext = z.looseObject({
  traits: JsonObject.nullish(),
  externalIds: z.array(SegmentExternalId).max(100).nullish(),
});
export type SegmentContext = z.infer<typeof SegmentContext>;

const common = {
  userId: SegmentId.nullish(),
  anonymousId: SegmentId.nullish(),
  messageId: z.string().min(1).max(256).nullish(),
  timestamp: SegmentTimestamp.nullish(),
  originalTimestamp: SegmentTimestamp.nullish(),
  sentAt: SegmentTimestamp.nullish(),
  context: SegmentContext.nullish(),
  integrations: JsonObject.nullish(),
};

const Name = z.string().max(512).nullish();

/** `identify`: who the user is, with their traits. */
export const SegmentIdentify = z.looseObject({
  type: z.literal('identify'),
  ...common,
  traits: JsonObject.nullish(),
});
export type SegmentIdentify = z.infer<typeof SegmentIdentify>;

/** `track`: an action the user took. */
export const SegmentTrack = z.looseObject({
  type: z.literal('track'),
  ...common,
  event: z.string().min(1).max(512).regex(/\S/, 'must not be blank'),
  properties: JsonObject.nullish(),
});
export type SegmentTrack = z.infer<typeof SegmentTrack>;

/** `page`: a web page view. */
export const SegmentPage = z.looseObject({
  type: z.literal('page'),
  ...common,
  name: Name,
  category: Name,
  properties: JsonObject.nullish(),
});
export type SegmentPage = z.infer<typeof SegmentPage>;

/** `screen`: a mobile screen view. */
export const SegmentScreen = z.looseObject({
  type: z.literal('screen'),
  ...common,
  name: Name,
  category: Name,
  properties: JsonObject.nullish(),
});
export type SegmentScreen = z.infer<typeof SegmentScreen>;

/** `group`: the user belongs to a group (account, company); `traits` are the group's. */
export const SegmentGroup = z.looseObject({
  type: z.literal('group'),
  ...common,
  groupId: SegmentId,
  traits: JsonObject.nullish(),
});
export type SegmentGroup = z.infer<typeof SegmentGroup>;

/** `alias`: `previousId` and `userId` are the same person. */
export const SegmentAlias = z.looseObject({
  type: z.literal('alias'),
  ...common,
  previousId: SegmentId,
  userId: SegmentId,
});
export type SegmentAlias = z.infer<typeof SegmentAlias>;

function describeType(input: unknown): string {
  const type = input !== null && typeof input === 'object' ? (input as { type?: unknown }).type : undefined;
  if (type === undefined) return 'it is missing';
  if (typeof type === 'string') return `got ${JSON.stringify(type.slice(0, 40))}`;
  return `got a ${type === null ? 'null' : typeof type}`;
}

/** Any Segment call, told apart by `type`; an unknown `type` gets an error naming the valid ones. */
export const SegmentEvent = z.discriminatedUnion(
  'type',
  [SegmentIdentify, SegmentTrack, SegmentPage, SegmentScreen, SegmentGroup, SegmentAlias],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `type must be one of ${CALL_TYPES.join(', ')}; ${describeType(issue.input)}`
        : undefined,
  },
);
export type SegmentEvent = z.infer<typeof SegmentEvent>;

/** The schema of each call type, by type. */
export const SEGMENT_CALL_SCHEMAS = {
  identify: SegmentIdentify,
  track: SegmentTrack,
  page: SegmentPage,
  screen: SegmentScreen,
  group: SegmentGroup,
  alias: SegmentAlias,
} as const;

/** The body of a single-call endpoint (`/v1/track`, ...): `type` may be left out. */
export const SEGMENT_SINGLE_CALL_SCHEMAS = {
  identify: SegmentIdentify.extend({ type: z.literal('identify').optional() }),
  track: SegmentTrack.extend({ type: z.literal('track').optional() }),
  page: SegmentPage.extend({ type: z.literal('page').optional() }),
  screen: SegmentScreen.extend({ type: z.literal('screen').optional() }),
  group: SegmentGroup.extend({ type: z.literal('group').optional() }),
  alias: SegmentAlias.extend({ type: z.literal('alias').optional() }),
} as const;

const batchFields = {
  context: JsonObject.nullish().meta({ description: 'Merged under each event’s own context' }),
  integrations: JsonObject.nullish().meta({ description: 'Merged under each event’s own integrations' }),
  sentAt: SegmentTimestamp.nullish(),
  writeKey: z.string().nullish().meta({ description: 'Ignored: the write key is read from the headers' }),
};

/** The `/v1/batch` body as the collector first reads it: the events are checked one by one. */
export const SegmentBatchEnvelope = z.looseObject({ batch: z.array(z.unknown()), ...batchFields });
export type SegmentBatchEnvelope = z.infer<typeof SegmentBatchEnvelope>;

/** The `/v1/batch` body: up to 500 KB of calls, each up to 32 KB. */
export const SegmentBatch = z.looseObject({ batch: z.array(SegmentEvent), ...batchFields });
export type SegmentBatch = z.infer<typeof SegmentBatch>;
