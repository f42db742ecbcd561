import type { CallType, CanonicalEvent } from './canonical-event';
import { newEventId } from './event-id';
import { correctEventTime } from './event-time';
import { normalizeIdentity } from './normalize-identity';
import type { IngestContext, NormalizeResult } from './normalize-result';
import { SeedEvent } from './seed-event';
import { issuesFromZod } from './validation-issue';

const KNOWN_IDENTITY_KEYS = new Set(['userId', 'anonymousId', 'email', 'phone']);

function typeOf(eventName: string): CallType {
  if (eventName === 'page_view') return 'page';
  if (eventName === 'screen_view') return 'screen';
  if (eventName === 'identify') return 'identify';
  return 'track';
}

/**
 * Checks one of the seed's unified events and turns it into a `CanonicalEvent`. `page_view` and
 * `screen_view` become `page` / `screen` calls, `identify` an identify call (its properties are the
 * traits), any other name a `track` call. Extra string keys of `identity` are custom identifiers. The
 * source of record is the write key's; a different `source` the sender claims is kept as
 * `context.declaredSource`. Never throws on bad input.
 */
export function normalizeSeedEvent(input: unknown, ctx: IngestContext): NormalizeResult {
  const parsed = SeedEvent.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error) };
  const event = parsed.data;
  const ids = event.identity;
  const custom: { type: string; value: unknown; path: string }[] = [];
  for (const key of Object.keys(ids)) {
    if (KNOWN_IDENTITY_KEYS.has(key)) continue;
    const value = ids[key];
    if (value !== null && value !== undefined) custom.push({ type: key, value, path: `identity.${key}` });
  }
  const identity = normalizeIdentity(
    {
      userId: ids.userId,
      anonymousId: ids.anonymousId,
      emails: ids.email === undefined ? [] : [{ value: ids.email, path: 'identity.email' }],
      phones: ids.phone === undefined ? [] : [{ value: ids.phone, path: 'identity.phone' }],
      custom,
    },
    ctx.defaultPhoneCountry,
  );
  if (!identity.ok) {
    return {
      ok: false,
      errors: identity.errors.map((e) => (e.path === 'userId' ? { ...e, path: 'identity' } : e)),
    };
  }
  const time = correctEventTime({ timestamp: event.timestamp }, ctx.receivedAtMs, ctx.receivedAt);
  if (!time.ok) return { ok: false, errors: [time.error] };

  const type = typeOf(event.eventName);
  const properties = (event.properties ?? {}) as Record<string, unknown>;
  const context = { ...(event.context ?? {}) } as Record<string, unknown>;
  if (typeof event.source === 'string' && event.source !== ctx.source) context.declaredSource = event.source;
  const out: CanonicalEvent = {
    eventId: event.eventId ?? (ctx.newEventId ?? newEventId)(ctx.receivedAtMs),
    type,
    eventName: event.eventName,
    timestamp: time.timestamp,
    receivedAt: ctx.receivedAt,
    source: ctx.source,
    identity: identity.value,
    properties: type === 'identify' ? {} : properties,
    traits: type === 'identify' ? properties : {},
    context,
  };
  return { ok: true, value: out, warnings: identity.warnings };
}
