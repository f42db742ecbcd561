import type { CallType } from '../../contracts/canonical-event';
import type { EventWarning, IngestResponse, RejectedEvent } from '../../contracts/ingest-response';
import { partitionKeyOf } from '../../contracts/normalize-identity';
import type { IngestContext, NormalizeResult } from '../../contracts/normalize-result';
import { normalizeSeedEvent } from '../../contracts/normalize-seed-event';
import { normalizeSegmentEvent, type SegmentBatchDefaults } from '../../contracts/normalize-segment-event';
import type { EventLogRecord } from '../../contracts/ports/event-log';
import type { JsonShape } from './json-shape';
import { nestsDeeperThan } from './json-shape';

/** The limits every event of a request is held to. */
export interface EventLimits {
  readonly maxEventBytes: number;
  readonly maxEventDepth: number;
}

/** What to append and what to answer, for one request's events. */
export interface IngestPlan {
  readonly records: EventLogRecord[];
  readonly response: IngestResponse;
}

/** How the events of a request are read: Segment calls (with batch defaults, or one call type) or seed events. */
export type EventFormat =
  | { readonly kind: 'segment'; readonly callType?: CallType; readonly batch?: SegmentBatchDefaults }
  | { readonly kind: 'seed' };

function messageIdOf(item: unknown, kind: EventFormat['kind']): string | null {
  if (item === null || typeof item !== 'object') return null;
  const id =
    kind === 'seed' ? (item as { eventId?: unknown }).eventId : (item as { messageId?: unknown }).messageId;
  return typeof id === 'string' ? id.slice(0, 256) : null;
}

function checkLimits(
  item: unknown,
  limits: EventLimits,
  shape: JsonShape,
  depthOffset: number,
): string | undefined {
  if (shape.maxDepth - depthOffset > limits.maxEventDepth && nestsDeeperThan(item, limits.maxEventDepth)) {
    return `the event nests objects/arrays deeper than ${limits.maxEventDepth} levels`;
  }
  if (shape.maxItemBytes > limits.maxEventBytes) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes > limits.maxEventBytes) {
      return `the event is ${bytes} bytes, over the ${limits.maxEventBytes}-byte limit per event (Segment: 32 KB)`;
    }
  }
  return undefined;
}

/**
 * Checks and normalizes the events of one request, in order, into log records (partitioned by the
 * first of userId, anonymousId, email, phone) and the answer's accepted / rejected / warnings.
 * `depthOffset` is how deep the events sit in the body (2 inside `{"batch": [...]}`, 0 for one call).
 */
export function planIngest(
  items: readonly unknown[],
  format: EventFormat,
  ctx: IngestContext,
  limits: EventLimits,
  shape: JsonShape,
  depthOffset: number,
): IngestPlan {
  const records: EventLogRecord[] = [];
  let rejected: RejectedEvent[] | undefined;
  let warnings: EventWarning[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const limitError = checkLimits(item, limits, shape, depthOffset);
    let result: NormalizeResult;
    if (limitError !== undefined) result = { ok: false, errors: [{ path: '', message: limitError }] };
    else if (format.kind === 'seed') result = normalizeSeedEvent(item, ctx);
    else result = normalizeSegmentEvent(item, ctx, format.callType, format.batch);
    if (result.ok) {
      records.push({
        partitionKey: partitionKeyOf(result.value.identity, result.value.eventId),
        event: result.value,
      });
      if (result.warnings.length > 0) {
        warnings ??= [];
        for (const w of result.warnings) {
          warnings.push({ index, messageId: result.value.eventId, path: w.path, message: w.message });
        }
      }
    } else {
      rejected ??= [];
      rejected.push({ index, messageId: messageIdOf(item, format.kind), errors: result.errors });
    }
  }
  const response: IngestResponse = { accepted: records.length, rejected: rejected ?? [] };
  if (warnings !== undefined) response.warnings = warnings;
  return { records, response };
}
