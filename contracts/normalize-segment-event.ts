import type { CallType, CanonicalEvent } from './canonical-event';
import { newEventId } from './event-id';
import { correctEventTime } from './event-time';
import { type Found, normalizeIdentity, type RawIdentity } from './normalize-identity';
import type { IngestContext, NormalizeResult } from './normalize-result';
import {
  type JsonObject,
  SEGMENT_SINGLE_CALL_SCHEMAS,
  type SegmentContext,
  SegmentEvent,
} from './segment-event';
import { issuesFromZod } from './validation-issue';

/** What a `/v1/batch` body says for all its events (merged under each event's own values). */
export interface SegmentBatchDefaults {
  readonly sentAt?: string | null;
  readonly context?: JsonObject | null;
  readonly integrations?: JsonObject | null;
}

type Loose = Record<string, unknown>;

function eventNameOf(type: CallType, event: Loose): string {
  switch (type) {
    case 'page':
      return 'page_view';
    case 'screen':
      return 'screen_view';
    case 'track':
      return event.event as string;
    default:
      return type;
  }
}

function propertiesOf(type: CallType, event: Loose): Loose {
  const properties = asObject(event.properties) ?? {};
  if ((type === 'page' || type === 'screen') && typeof event.category === 'string') {
    if (properties.category === undefined) return { ...properties, category: event.category };
  }
  return properties;
}

const NONE: readonly Found[] = [];
const NO_CUSTOM: RawIdentity['custom'] = [];

/** The present ones of two candidate values, in order (no allocation when neither is). */
function found(first: unknown, firstPath: string, second: unknown, secondPath: string): readonly Found[] {
  if (first === undefined) return second === undefined ? NONE : [{ value: second, path: secondPath }];
  if (second === undefined) return [{ value: first, path: firstPath }];
  return [
    { value: first, path: firstPath },
    { value: second, path: secondPath },
  ];
}

function asObject(value: unknown): Loose | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

function merge(base: JsonObject | null | undefined, own: Loose | null | undefined): Loose {
  if (base === undefined || base === null) return own ?? {};
  return own === undefined || own === null ? { ...base } : { ...base, ...own };
}

/**
 * Checks one Segment call against the spec and turns it into a `CanonicalEvent`: ids from the
 * top level, `traits` and `context.traits` (email, phone) and `context.externalIds`, event time
 * skew-corrected, `source` from the write key. `callType` is set by single-call endpoints (`/v1/track`),
 * whose body may leave `type` out. Never throws on bad input: every problem is an issue with a path.
 */
export function normalizeSegmentEvent(
  input: unknown,
  ctx: IngestContext,
  callType?: CallType,
  batch?: SegmentBatchDefaults,
): NormalizeResult {
  const parsed =
    callType === undefined
      ? SegmentEvent.safeParse(input)
      : SEGMENT_SINGLE_CALL_SCHEMAS[callType].safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error) };
  const event = parsed.data as Loose & { context?: SegmentContext | null };
  const type = (callType ?? event.type) as CallType;

  const context = merge(batch?.context, event.context);
  const contextTraits = asObject(context.traits);
  const traits = asObject(event.traits);

  // group traits describe the group, not the person: only context.traits speak for the user there.
  const personTraits = type === 'group' ? undefined : traits;
  const emails = found(personTraits?.email, 'traits.email', contextTraits?.email, 'context.traits.email');
  const phones = found(personTraits?.phone, 'traits.phone', contextTraits?.phone, 'context.traits.phone');
  const externalIds = event.context?.externalIds;
  const raw: RawIdentity = {
    userId: event.userId,
    anonymousId: event.anonymousId,
    previousId: type === 'alias' ? event.previousId : undefined,
    emails,
    phones,
    custom:
      externalIds === undefined || externalIds === null
        ? NO_CUSTOM
        : externalIds.map((e, i) => ({ type: e.type, value: e.id, path: `context.externalIds[${i}]` })),
  };
  const identity = normalizeIdentity(raw, ctx.defaultPhoneCountry);
  if (!identity.ok) return identity;

  const time = correctEventTime(
    {
      timestamp: event.timestamp as string | null | undefined,
      originalTimestamp: event.originalTimestamp as string | null | undefined,
      sentAt: (event.sentAt ?? batch?.sentAt) as string | null | undefined,
    },
    ctx.receivedAtMs,
    ctx.receivedAt,
  );
  if (!time.ok) return { ok: false, errors: [time.error] };

  const eventId =
    typeof event.messageId === 'string' ? event.messageId : (ctx.newEventId ?? newEventId)(ctx.receivedAtMs);
  const out: CanonicalEvent = {
    eventId,
    type,
    eventName: eventNameOf(type, event),
    timestamp: time.timestamp,
    receivedAt: ctx.receivedAt,
    source: ctx.source,
    identity: identity.value,
    properties: propertiesOf(type, event),
    traits: traits ?? {},
    context,
  };
  if (time.sentAt !== undefined) out.sentAt = time.sentAt;
  if (time.originalTimestamp !== undefined) out.originalTimestamp = time.originalTimestamp;
  if (type === 'group') out.groupId = String(event.groupId);
  if ((type === 'page' || type === 'screen') && typeof event.name === 'string') out.name = event.name;
  const integrations =
    batch?.integrations || event.integrations
      ? merge(batch?.integrations, event.integrations as Loose | null | undefined)
      : undefined;
  if (integrations !== undefined) out.integrations = integrations;
  return { ok: true, value: out, warnings: identity.warnings };
}
