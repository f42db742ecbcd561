import { isUtf8 } from 'node:buffer';
import sjson from 'secure-json-parse';
import { IngestHttpError } from './http-error';
import { type JsonShape, scanJsonShape } from './json-shape';

/** A request body read as JSON, with its shape (nesting depth, largest batch element). */
export interface JsonBody {
  readonly json: unknown;
  readonly shape: JsonShape;
  readonly bytes: number;
}

const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * Reads a raw body as JSON: refuses an empty body, bytes that are not UTF-8, text that is not JSON,
 * and `__proto__` / `constructor.prototype` keys (prototype pollution), each with its own error code.
 */
export function parseJsonBody(
  raw: Buffer,
): { ok: true; value: JsonBody } | { ok: false; error: IngestHttpError } {
  if (raw.length === 0 || (raw.length < 16 && raw.toString('latin1').trim().length === 0)) {
    return {
      ok: false,
      error: new IngestHttpError(400, 'empty_body', 'the request body is empty; send a JSON object'),
    };
  }
  if (!isUtf8(raw)) {
    return {
      ok: false,
      error: new IngestHttpError(400, 'invalid_utf8', 'the request body is not valid UTF-8 text'),
    };
  }
  let json: unknown;
  let shape: JsonShape;
  try {
    const text = raw.toString('utf8');
    json = JSON.parse(text);
    // A "__proto__" or "constructor" key is spelled out in the text or uses a \u escape somewhere:
    // only then is the parsed value scanned (secure-json-parse's scan throws on a forbidden key).
    shape = scanJsonShape(raw);
    if (shape.suspectKeys && json !== null && typeof json === 'object') {
      sjson.scan(json as Record<string, unknown>, PARSE_OPTIONS);
    }
  } catch (cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (
      message.includes('forbidden prototype property') ||
      message.includes('forbidden constructor property')
    ) {
      return {
        ok: false,
        error: new IngestHttpError(
          400,
          'forbidden_key',
          'the body contains a "__proto__" or "constructor.prototype" key, which is refused (prototype pollution)',
          { cause },
        ),
      };
    }
    return {
      ok: false,
      error: new IngestHttpError(400, 'invalid_json', `the request body is not valid JSON: ${message}`, {
        cause,
      }),
    };
  }
  return { ok: true, value: { json, shape, bytes: raw.length } };
}
