import { createIsoTimeCache, formatIsoTime, parseIsoTime } from './iso-time';
import type { ValidationIssue } from './validation-issue';

/** Earliest and latest instants an ISO-8601 timestamp with a 4-digit year can hold. */
const MIN_INSTANT = new Date('0000-01-01T00:00:00.000Z').getTime();
const MAX_INSTANT = new Date('9999-12-31T23:59:59.999Z').getTime();

/** The client's clocks as sent (already checked to be ISO-8601 strings). */
export interface ClientTimes {
  timestamp?: string | null;
  originalTimestamp?: string | null;
  sentAt?: string | null;
}

/** The event time after clock-skew correction, and the client's times in canonical form. */
export type EventTimeResult =
  | { ok: true; timestamp: string; originalTimestamp?: string; sentAt?: string }
  | { ok: false; error: ValidationIssue };

const parseSentAt = createIsoTimeCache();

function parse(text: string | null | undefined): number | undefined {
  if (text === undefined || text === null) return undefined;
  const ms = parseIsoTime(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Segment's clock-skew correction: the event happened at `originalTimestamp` (or `timestamp`) on the
 * device clock; when the device also says when it sent the event (`sentAt`), the device clock is off by
 * `sentAt − receivedAt`, so `timestamp = originalTimestamp + (receivedAt − sentAt)`. Without `sentAt`
 * the client's time is taken as is; without any client time the event time is `receivedAt`.
 * A client that sends both sets `timestamp` on purpose (RudderStack SDKs stamp `originalTimestamp`
 * themselves and put a caller's historical time in `timestamp`): that `timestamp` is kept uncorrected,
 * as rudder-server does.
 */
export function correctEventTime(
  times: ClientTimes,
  receivedAtMs: number,
  receivedAt: string,
): EventTimeResult {
  const original = parse(times.originalTimestamp);
  const stamped = parse(times.timestamp);
  const sentAt = times.sentAt === undefined || times.sentAt === null ? undefined : parseSentAt(times.sentAt);
  const sent = sentAt?.ms;
  const explicit = original !== undefined && stamped !== undefined;
  const base = explicit ? stamped : (original ?? stamped);
  const out: { ok: true; timestamp: string; originalTimestamp?: string; sentAt?: string } = {
    ok: true,
    timestamp: receivedAt,
  };
  if (original !== undefined) out.originalTimestamp = formatIsoTime(original);
  if (sentAt !== undefined) out.sentAt = sentAt.iso;
  if (base === undefined) return out;
  const corrected = sent === undefined || explicit ? base : base + (receivedAtMs - sent);
  if (!(corrected >= MIN_INSTANT && corrected <= MAX_INSTANT)) {
    return {
      ok: false,
      error: {
        path: sent === undefined ? 'timestamp' : 'sentAt',
        message: 'the clock-skew corrected event time falls outside the years 0000–9999; check sentAt',
      },
    };
  }
  out.timestamp = corrected === receivedAtMs ? receivedAt : formatIsoTime(corrected);
  return out;
}
