import type { ErrorResponse } from '../../contracts/ingest-response';
import { IngestHttpError } from './http-error';

/** A refused request's HTTP status and body. */
export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorResponse;
}

interface ErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
}

/**
 * The answer for an error raised while reading a request: our own `IngestHttpError`s as they are,
 * Fastify's and zlib's mapped to stable codes; anything else is ours, a 500 (and a bug).
 */
export function errorReplyFor(error: unknown, bodyLimit: number): ErrorReply {
  if (error instanceof IngestHttpError) {
    return { status: error.statusCode, body: { error: error.errorCode, message: error.message } };
  }
  const e = (error ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : 'bad request';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: 'payload_too_large',
          message: `the body is over this endpoint's ${bodyLimit}-byte limit (Segment: 32 KB per call, 500 KB per batch; the limit applies after decompression)`,
        },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: {
          error: 'unsupported_media_type',
          message:
            'Content-Type must be application/json (text/plain and application/x-www-form-urlencoded are read as JSON too)',
        },
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        body: { error: 'invalid_content_length', message: 'the body length does not match Content-Length' },
      };
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return {
      status: 400,
      body: { error: 'invalid_encoding', message: 'the body is not valid data for its Content-Encoding' },
    };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return { status, body: { error: 'bad_request', message } };
  return {
    status: 500,
    body: { error: 'internal_error', message: 'unexpected collector error; it was logged' },
  };
}
