import { gzipSync } from 'node:zlib';
import { basicAuth } from './start-collector';

export const AUTH = { authorization: basicAuth('key-web') };
export const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

export const valid = { type: 'track', userId: 'u-1', event: 'Valid' };
export const batch = (...events: unknown[]) => JSON.stringify({ batch: events });
const track = (fields: Record<string, unknown>) => batch({ ...valid, ...fields });
const nested = (levels: number) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** One bad input, what it is answered with, and (for refused events) where the error points. */
export interface Case {
  readonly name: string;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly status: number;
  /** The `error` code of the answer. */
  readonly error?: string;
  /** For refused events: the index, the error path, and a piece of the message. */
  readonly rejected?: { index: number; path: string; message: string };
}

/**
 * The bad-input catalogue: every case with its documented status and error (services/collector/README.md
 * lists the same table). None may yield a 5xx.
 */
export const CASES: Case[] = [
  // --- not JSON / not readable
  { name: 'malformed JSON', body: '{"batch": [', status: 400, error: 'invalid_json' },
  { name: 'trailing garbage after JSON', body: '{"batch": []} x', status: 400, error: 'invalid_json' },
  {
    name: 'NaN literal',
    body: '{"batch":[{"type":"track","userId":NaN}]}',
    status: 400,
    error: 'invalid_json',
  },
  {
    name: 'Infinity literal',
    body: '{"batch":[{"type":"track","userId":Infinity}]}',
    status: 400,
    error: 'invalid_json',
  },
  { name: 'single-quoted JSON', body: "{'batch': []}", status: 400, error: 'invalid_json' },
  { name: 'empty body with a JSON content type', body: '', status: 400, error: 'empty_body' },
  { name: 'whitespace-only body', body: '  \n ', status: 400, error: 'empty_body' },
  { name: 'no body and no content type', headers: AUTH, status: 400, error: 'empty_body' },
  {
    name: 'invalid UTF-8 bytes',
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    status: 400,
    error: 'invalid_utf8',
  },
  {
    name: 'lone UTF-16 surrogate bytes (CESU)',
    body: Buffer.concat([
      Buffer.from('{"batch":[{"type":"track","userId":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('","event":"e"}]}'),
    ]),
    status: 400,
    error: 'invalid_utf8',
  },
  {
    name: 'wrong content type (XML)',
    headers: { ...AUTH, 'content-type': 'application/xml' },
    body: '<batch/>',
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'wrong content type (multipart)',
    headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=x' },
    body: batch(valid),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'body without content type',
    headers: AUTH,
    body: batch(valid),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'unsupported content encoding (br)',
    headers: { ...JSON_HEADERS, 'content-encoding': 'br' },
    body: batch(valid),
    status: 415,
    error: 'unsupported_encoding',
  },
  {
    name: 'gzip declared, plain body sent',
    headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
    body: batch(valid),
    status: 400,
    error: 'invalid_encoding',
  },
  // --- prototype pollution
  {
    name: '`__proto__` key',
    body: batch({ ...valid, properties: JSON.parse('{"__proto__": {"admin": true}}') }).replace(
      '"properties":{}',
      '"properties":{"__proto__":{"admin":true}}',
    ),
    status: 400,
    error: 'forbidden_key',
  },
  {
    name: 'escaped `\\u005f_proto__` key',
    body: '{"batch":[{"type":"track","userId":"u","event":"e","properties":{"\\u005f_proto__":{"x":1}}}]}',
    status: 400,
    error: 'forbidden_key',
  },
  {
    name: '`constructor.prototype` key',
    body: '{"batch":[{"type":"track","userId":"u","event":"e","properties":{"constructor":{"prototype":{"x":1}}}}]}',
    status: 400,
    error: 'forbidden_key',
  },
  // --- wrong envelope
  { name: 'batch body is an array', body: JSON.stringify([valid]), status: 400, error: 'invalid_body' },
  {
    name: 'batch key missing',
    body: JSON.stringify({ events: [valid] }),
    status: 400,
    error: 'invalid_body',
  },
  { name: 'batch is an object', body: JSON.stringify({ batch: valid }), status: 400, error: 'invalid_body' },
  {
    name: 'batch-level sentAt invalid',
    body: JSON.stringify({ batch: [valid], sentAt: 'now' }),
    status: 400,
    error: 'invalid_body',
  },
  {
    name: 'batch-level context nested 100 levels',
    body: JSON.stringify({ batch: [valid], context: nested(100) }),
    status: 400,
    error: 'invalid_body',
  },
  { name: 'empty batch', body: batch(), status: 400, error: 'no_valid_events' },
  {
    name: 'single call body is a string',
    path: '/v1/track',
    body: '"hello"',
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: '', message: 'expected object' },
  },
  {
    name: 'single call body is null',
    path: '/v1/identify',
    body: 'null',
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: '', message: 'expected object' },
  },
  {
    name: 'seed events is not an array',
    path: '/v1/events',
    body: JSON.stringify({ events: {} }),
    status: 400,
    error: 'invalid_body',
  },
  // --- identifiers
  {
    name: 'no identifier',
    body: batch({ type: 'track', event: 'e' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'no identifier' },
  },
  {
    name: 'only identifier is an invalid email',
    body: batch({ type: 'identify', traits: { email: 'ada(at)example.com' } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'traits.email', message: 'no other identifier' },
  },
  {
    name: 'only identifier is an invalid phone',
    body: batch({ type: 'track', event: 'e', context: { traits: { phone: '555' } } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'context.traits.phone', message: 'not a valid phone' },
  },
  {
    name: 'userId is an object',
    body: track({ userId: { id: 1 } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'non-blank string' },
  },
  {
    name: 'userId is a boolean',
    body: track({ userId: true }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'non-blank string' },
  },
  {
    name: 'userId is a fraction',
    body: track({ userId: 1.5 }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'or an integer' },
  },
  {
    name: 'userId is blank',
    body: track({ userId: '   ' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'must not be blank' },
  },
  {
    name: 'userId over 1024 characters',
    body: track({ userId: 'u'.repeat(1025) }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: '<=1024 characters' },
  },
  {
    name: 'external id type that cannot be snake_case',
    body: batch({ type: 'identify', context: { externalIds: [{ id: 'x', type: '!!!' }] } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'context.externalIds[0]', message: 'snake_case' },
  },
  {
    name: 'externalIds is not an array',
    body: track({ context: { externalIds: { id: 'x' } } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'context.externalIds', message: 'expected array' },
  },
  // --- call types and required fields
  {
    name: 'unknown type',
    body: track({ type: 'purchase' }),
    status: 400,
    error: 'no_valid_events',
    rejected: {
      index: 0,
      path: 'type',
      message: 'type must be one of identify, track, page, screen, group, alias; got "purchase"',
    },
  },
  {
    name: 'missing type in a batch',
    body: batch({ userId: 'u', event: 'e' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'type', message: 'it is missing' },
  },
  {
    name: 'type contradicts the endpoint',
    path: '/v1/track',
    body: JSON.stringify({ ...valid, type: 'page' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'type', message: 'expected "track"' },
  },
  {
    name: 'track without event',
    body: batch({ type: 'track', userId: 'u' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'event', message: 'expected string' },
  },
  {
    name: 'track with a blank event',
    body: track({ event: ' \t' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'event', message: 'blank' },
  },
  {
    name: 'event name over 512 characters',
    body: track({ event: 'e'.repeat(513) }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'event', message: '512' },
  },
  {
    name: 'group without groupId',
    body: batch({ type: 'group', userId: 'u' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'groupId', message: 'non-blank string' },
  },
  {
    name: 'alias without previousId',
    body: batch({ type: 'alias', userId: 'u' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'previousId', message: 'non-blank string' },
  },
  {
    name: 'alias without userId',
    body: batch({ type: 'alias', anonymousId: 'a', previousId: 'p' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'userId', message: 'non-blank string' },
  },
  {
    name: 'messageId over 256 characters',
    body: track({ messageId: 'm'.repeat(257) }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'messageId', message: '256' },
  },
  // --- wrong types of objects
  {
    name: 'properties is an array',
    body: track({ properties: [1, 2] }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'properties', message: 'expected object' },
  },
  {
    name: 'traits is a string',
    body: batch({ type: 'identify', userId: 'u', traits: 'vip' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'traits', message: 'expected object' },
  },
  {
    name: 'context is a number',
    body: track({ context: 7 }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'context', message: 'expected object' },
  },
  // --- timestamps
  {
    name: 'timestamp is prose',
    body: track({ timestamp: 'yesterday' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'timestamp', message: 'ISO-8601' },
  },
  {
    name: 'timestamp is epoch millis',
    body: track({ timestamp: 1714564800000 }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'timestamp', message: 'ISO-8601' },
  },
  {
    name: 'timestamp is "NaN"',
    body: track({ timestamp: 'NaN' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'timestamp', message: 'ISO-8601' },
  },
  {
    name: 'timestamp without time zone',
    body: track({ originalTimestamp: '2024-05-01T12:00:00' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'originalTimestamp', message: 'time zone' },
  },
  {
    name: 'timestamp on a day that does not exist',
    body: track({ timestamp: '2023-02-29T00:00:00Z' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'timestamp', message: 'ISO-8601' },
  },
  {
    name: 'sentAt skews the time out of the calendar',
    body: track({ originalTimestamp: '9999-12-31T00:00:00Z', sentAt: '0001-01-01T00:00:00Z' }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'sentAt', message: 'outside the years' },
  },
  // --- sizes and nesting
  {
    name: 'single call over 32 KB (huge string)',
    path: '/v1/track',
    body: JSON.stringify({ ...valid, properties: { blob: 'x'.repeat(40_000) } }),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'event over 32 KB inside a batch',
    body: track({ properties: { blob: 'x'.repeat(40_000) } }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: '', message: 'over the 32768-byte limit' },
  },
  {
    name: '1 MB batch',
    body: batch(
      ...Array.from({ length: 40 }, () => ({ ...valid, properties: { blob: 'x'.repeat(25_000) } })),
    ),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'gzip bomb (small on the wire, 2 MB inflated)',
    headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(`{"batch":[],"pad":"${' '.repeat(2_000_000)}"}`)),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: '1,000-level nesting',
    body: track({ properties: nested(1000) }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: '', message: 'deeper than 32 levels' },
  },
  {
    name: '100,000 nested arrays',
    body: `{"batch":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: '', message: 'deeper than 32 levels' },
  },
  // --- seed events
  {
    name: 'seed event without eventName',
    path: '/v1/events',
    body: JSON.stringify({ events: [{ timestamp: '2024-01-01T00:00:00Z', identity: { userId: 'u' } }] }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'eventName', message: 'expected string' },
  },
  {
    name: 'seed custom identifier is an object',
    path: '/v1/events',
    body: JSON.stringify({
      events: [
        { eventName: 'x', timestamp: '2024-01-01T00:00:00Z', identity: { userId: 'u', crm: { id: 1 } } },
      ],
    }),
    status: 400,
    error: 'no_valid_events',
    rejected: { index: 0, path: 'identity.crm', message: 'custom identifier' },
  },
  // --- auth and routing
  {
    name: 'missing write key',
    headers: { 'content-type': 'application/json' },
    body: batch(valid),
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'unknown write key',
    headers: { 'content-type': 'application/json', authorization: basicAuth('nope') },
    body: batch(valid),
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'unknown X-Write-Key',
    headers: { 'content-type': 'application/json', 'x-write-key': 'nope' },
    body: batch(valid),
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'malformed Basic credentials',
    headers: { 'content-type': 'application/json', authorization: 'Basic !!!' },
    body: batch(valid),
    status: 401,
    error: 'unauthorized',
  },
  { name: 'GET on an ingest route', method: 'GET', headers: AUTH, status: 404, error: 'not_found' },
];
