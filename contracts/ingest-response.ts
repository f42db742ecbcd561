import { z } from 'zod';
import { ValidationIssue } from './validation-issue';

/** One refused event of a request: its position, its `messageId` / `eventId` if it had one, and why. */
export const RejectedEvent = z.object({
  index: z.int().min(0).meta({ description: 'Position in the batch (0 for single calls)' }),
  messageId: z.string().nullable(),
  errors: z.array(ValidationIssue).min(1),
});
export type RejectedEvent = z.infer<typeof RejectedEvent>;

/** A value of an accepted event that was kept but not used (e.g. an invalid email). */
export const EventWarning = z.object({
  index: z.int().min(0),
  messageId: z.string().nullable(),
  path: z.string(),
  message: z.string(),
});
export type EventWarning = z.infer<typeof EventWarning>;

/**
 * The answer to every ingest call: `200` when at least one event was accepted (and durably appended),
 * `400` with `error: "no_valid_events"` when none was.
 */
export const IngestResponse = z.object({
  accepted: z.int().min(0),
  rejected: z.array(RejectedEvent),
  warnings: z.array(EventWarning).optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});
export type IngestResponse = z.infer<typeof IngestResponse>;

/** A request refused as a whole (bad JSON, no write key, too large, log unavailable, ...). */
export const ErrorResponse = z.object({
  error: z.string().meta({ description: 'Stable machine-readable code, e.g. `invalid_json`' }),
  message: z.string(),
  errors: z.array(ValidationIssue).optional(),
  retryAfterSeconds: z.int().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
