import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { IngestHttpError } from './http-error';

type CountingStream = Readable & { receivedEncodedLength: number };

/**
 * Decodes a gzip or deflate request body (`Content-Encoding`) as a stream, counting the encoded bytes
 * so that Fastify checks `Content-Length` against them and its body limit against the decoded ones.
 */
export function decompressBody(
  encoding: string | undefined,
  payload: Readable,
): { ok: true; value: Readable } | { ok: false; error: IngestHttpError } {
  if (encoding === undefined || encoding === '' || encoding === 'identity')
    return { ok: true, value: payload };
  const name = encoding.trim().toLowerCase();
  let decoder: Readable & NodeJS.WritableStream;
  if (name === 'gzip' || name === 'x-gzip') decoder = createGunzip();
  else if (name === 'deflate') decoder = createInflate();
  else {
    return {
      ok: false,
      error: new IngestHttpError(
        415,
        'unsupported_encoding',
        'Content-Encoding must be gzip, deflate or identity',
      ),
    };
  }
  const out = decoder as unknown as CountingStream;
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (err) => out.destroy(err));
  payload.pipe(decoder);
  return { ok: true, value: out };
}
