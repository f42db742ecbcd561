import { CanonicalEvent } from '../../contracts/canonical-event';
import { parseIsoTime } from '../../contracts/iso-time';
import { issuesFromZod, type ValidationIssue } from '../../contracts/validation-issue';
import type { IdentityChanges } from '../identity';

/** One record of the event log as the pipeline reads it: where it came from, and its payload. */
export interface PipelineInput {
  readonly shardId: string;
  /** Decimal sequence number within the shard (Kinesis sequence number, embedded log offset). */
  readonly sequenceNumber: string;
  /** A JSON line, or the already-parsed value. */
  readonly data: string | unknown;
}

/**
 * An accepted record on its way through the job: the canonical event and its event time; identity
 * resolution fills in the profile (the record object is reused, not copied, on the hot path).
 */
export interface DecodedEvent {
  readonly ok: true;
  readonly event: CanonicalEvent;
  readonly t: number;
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Set by identity resolution: the event's profile ('' before). */
  profileId: string;
  /** Set by identity resolution: `type:value` of the event's primary identifier ('' before). */
  sliceKey: string;
  /** Set by identity resolution: merges, reassignments and splits this event caused, if any. */
  changes: IdentityChanges | undefined;
  /**
   * The record's JSON text when `event` is exactly its parse (the hand-checked common shape) and it is
   * one line: the lake row is written from it, so the parsed event need not live until the lake flush.
   */
  readonly line: string | undefined;
}

/** A decoded record: the canonical event and its event time, or why it was refused. */
export type DecodedRecord =
  | DecodedEvent
  | {
      readonly ok: false;
      readonly shardId: string;
      readonly sequenceNumber: string;
      readonly errors: readonly ValidationIssue[];
    };

const CALL_TYPES = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias']);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(x: unknown, max: number): boolean {
  return typeof x === 'string' && x.length > 0 && x.length <= max;
}

function optStr(x: unknown): boolean {
  return x === undefined || (typeof x === 'string' && x.length > 0);
}

/** Event time of an ISO text in the `toISOString` form, read by hand; NaN for any other form. */
function fastTime(x: unknown): number {
  if (typeof x !== 'string' || x.length !== 24) return Number.NaN;
  return parseIsoTime(x);
}

/**
 * The common case checked by hand (every field of `CanonicalEvent`, times in `toISOString` form, no
 * custom identifiers, no optional extras): true only if the zod schema would accept it too.
 */
function fastValid(e: Record<string, unknown>): boolean {
  if (!str(e.eventId, 256) || !str(e.eventName, 512) || !str(e.source, 128)) return false;
  if (typeof e.type !== 'string' || !CALL_TYPES.has(e.type)) return false;
  if (Number.isNaN(fastTime(e.receivedAt))) return false;
  if (e.sentAt !== undefined && Number.isNaN(fastTime(e.sentAt))) return false;
  if (e.originalTimestamp !== undefined && Number.isNaN(fastTime(e.originalTimestamp))) return false;
  if (!isObject(e.properties) || !isObject(e.traits) || !isObject(e.context)) return false;
  if (e.groupId !== undefined || e.name !== undefined || e.integrations !== undefined) return false;
  const id = e.identity;
  if (!isObject(id) || id.externalIds !== undefined) return false;
  return (
    optStr(id.userId) &&
    optStr(id.anonymousId) &&
    optStr(id.email) &&
    optStr(id.phone) &&
    optStr(id.previousId)
  );
}

/**
 * Decodes and validates one record against `CanonicalEvent`: a hand-written check for the common
 * shape, the zod schema (with its issue paths) for everything else. Never throws.
 */
export function decodeRecord(input: PipelineInput): DecodedRecord {
  const { shardId, sequenceNumber } = input;
  let value: unknown = input.data;
  let line: string | undefined;
  if (typeof value === 'string') {
    line = value;
    try {
      value = JSON.parse(value);
    } catch (cause) {
      return {
        ok: false,
        shardId,
        sequenceNumber,
        errors: [{ path: '', message: `not JSON: ${(cause as Error).message}` }],
      };
    }
  }
  if (isObject(value) && fastValid(value)) {
    const t = fastTime(value.timestamp);
    if (!Number.isNaN(t)) {
      const oneLine = line !== undefined && line.indexOf('\n') < 0 && line.indexOf('\r') < 0;
      return accepted(value as CanonicalEvent, t, shardId, sequenceNumber, oneLine ? line : undefined);
    }
  }
  const parsed = CanonicalEvent.safeParse(value);
  if (!parsed.success) return { ok: false, shardId, sequenceNumber, errors: issuesFromZod(parsed.error) };
  return accepted(parsed.data, Date.parse(parsed.data.timestamp), shardId, sequenceNumber, undefined);
}

function accepted(
  event: CanonicalEvent,
  t: number,
  shardId: string,
  sequenceNumber: string,
  line: string | undefined,
): DecodedEvent {
  return {
    ok: true,
    event,
    t,
    shardId,
    sequenceNumber,
    profileId: '',
    sliceKey: '',
    changes: undefined,
    line,
  };
}
