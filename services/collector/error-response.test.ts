import { errorReplyFor } from './error-response';
import { IngestHttpError } from './http-error';

describe('errorReplyFor', () => {
  it('keeps our own errors, maps Fastify’s and zlib’s to stable codes', () => {
    expect(errorReplyFor(new IngestHttpError(400, 'invalid_json', 'bad'), 10)).toEqual({
      status: 400,
      body: { error: 'invalid_json', message: 'bad' },
    });
    expect(errorReplyFor({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, 32768)).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large', message: expect.stringContaining('32768') },
    });
    expect(errorReplyFor({ code: 'Z_DATA_ERROR' }, 1).body.error).toBe('invalid_encoding');
    expect(errorReplyFor({ statusCode: 408, message: 'slow' }, 1)).toEqual({
      status: 408,
      body: { error: 'bad_request', message: 'slow' },
    });
  });

  it('reports anything else as an internal error without its details', () => {
    const reply = errorReplyFor(new TypeError('secret detail'), 1);
    expect(reply.status).toBe(500);
    expect(JSON.stringify(reply.body)).not.toContain('secret');
  });
});
