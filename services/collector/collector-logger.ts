import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Log paths that may hold personal data or secrets. The collector never logs bodies; this is the net
 * under that rule (and under anyone who later logs an event, a header set or a config by mistake).
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-write-key"]',
  'headers.authorization',
  'headers["x-write-key"]',
  'writeKey',
  'writeKeys',
  '*.writeKey',
  '*.writeKeys',
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.*.email',
  '*.*.phone',
  'traits',
  '*.traits',
  'identity',
  '*.identity',
  'context.traits',
  '*.context.traits',
];

/** The collector's pino logger: JSON lines, emails, phones, traits and write keys redacted. */
export function createCollectorLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'collector' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
