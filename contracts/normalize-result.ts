import type { CanonicalEvent } from './canonical-event';
import type { CountryCode } from './identifier';
import type { ValidationIssue } from './validation-issue';

/** What the collector knows about a request, shared by every event in it. */
export interface IngestContext {
  /** The source of the write key the request was authenticated with. */
  readonly source: string;
  /** Server clock when the request arrived, ms since the epoch, and the same as ISO-8601. */
  readonly receivedAtMs: number;
  readonly receivedAt: string;
  /** National phone numbers (without `+`) are read in this country; otherwise they are invalid. */
  readonly defaultPhoneCountry?: CountryCode;
  /** Makes an event id when the client sent none (UUIDv7 by default). */
  readonly newEventId?: (nowMs: number) => string;
}

/** A normalized event with what was ignored in it, or every reason it was refused. */
export type NormalizeResult =
  | { ok: true; value: CanonicalEvent; warnings: readonly ValidationIssue[] }
  | { ok: false; errors: ValidationIssue[] };
