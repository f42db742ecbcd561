import { z } from 'zod';
import {
  MAX_EVENT_DEPTH,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_EVENT_BYTES,
} from '../../contracts/ingest-limits';

/** A source name (`web`, `ios`, `crm`, ...): what a write key stands for. */
export const SourceName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, _ or -, starting with a letter');
export type SourceName = z.infer<typeof SourceName>;

/** The collector's configuration (parsed once, at the edge). */
export const CollectorConfig = z.object({
  /** write key → source name. */
  writeKeys: z
    .record(z.string().min(1).max(256), SourceName)
    .refine((keys) => Object.keys(keys).length > 0, 'at least one write key is needed'),
  /** Largest event, and largest body of a single-call endpoint (Segment: 32 KB). */
  maxEventBytes: z.int().positive().default(SEGMENT_MAX_EVENT_BYTES),
  /** Largest body of `/v1/batch` and `/v1/events` (Segment: 500 KB). */
  maxBatchBytes: z.int().positive().default(SEGMENT_MAX_BATCH_BYTES),
  /** Deepest object/array nesting inside one event. */
  maxEventDepth: z.int().positive().default(MAX_EVENT_DEPTH),
  /** Origins browsers may send from: `*` or a list. */
  corsOrigins: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]).default('*'),
  /** Two-letter country for phone numbers sent without `+` (none: such numbers are invalid). */
  defaultPhoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  /** What a 503 tells clients to wait before retrying when the event log is unavailable. */
  retryAfterSeconds: z.int().positive().default(5),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log one line per request (Fastify's request logging). */
  logRequests: z.boolean().default(true),
  /** Serve Swagger UI at `/docs`. */
  docs: z.boolean().default(true),
});
export type CollectorConfig = z.infer<typeof CollectorConfig>;
/** The configuration as written by people: defaults may be left out. */
export type CollectorConfigInput = z.input<typeof CollectorConfig>;

/** The collector's configuration was invalid. */
export class CollectorConfigError extends Error {
  override readonly name = 'CollectorConfigError';
}

/** Reads `key:source,key2:source2` (the `CDP_WRITE_KEYS` format) into a write-key map. */
export function parseWriteKeyList(
  text: string,
): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry.length === 0) continue;
    const colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon === entry.length - 1) {
      return { ok: false, error: `write key entry "${entry.slice(0, 4)}…" is not key:source` };
    }
    const source = entry.slice(colon + 1);
    if (!SourceName.safeParse(source).success) {
      return { ok: false, error: `source "${source}" must be lower-case letters, digits, _ or -` };
    }
    out[entry.slice(0, colon)] = source;
  }
  if (Object.keys(out).length === 0) return { ok: false, error: 'no write keys given' };
  return { ok: true, value: out };
}
