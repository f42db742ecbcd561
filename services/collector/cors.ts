import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOW_HEADERS = 'Content-Type, Content-Encoding, Authorization, X-Write-Key';

/**
 * CORS for the ingest routes, small enough to run on every event: `*` or an allow-list of origins.
 * (A general plugin cost a third of a single event's budget.)
 */
export function createCors(origins: '*' | readonly string[]) {
  const allowed = origins === '*' ? undefined : new Set(origins);
  const allowOrigin = (origin: string | undefined): string | undefined => {
    if (origin === undefined) return undefined;
    if (allowed === undefined) return '*';
    return allowed.has(origin) ? origin : undefined;
  };
  return {
    /** Marks a response for the browser that sent it (no-op for server-side SDKs, which send no Origin). */
    decorate(request: FastifyRequest, reply: FastifyReply): void {
      const origin = request.headers.origin;
      if (origin === undefined) return;
      const value = allowOrigin(origin);
      if (value !== undefined) {
        reply.header('access-control-allow-origin', value);
        if (allowed !== undefined) reply.header('vary', 'Origin');
      }
    },
    /** Answers a preflight `OPTIONS` request. */
    preflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
      const value = allowOrigin(request.headers.origin);
      if (value === undefined) return reply.code(204).send();
      if (allowed !== undefined) reply.header('vary', 'Origin');
      return reply
        .code(204)
        .header('access-control-allow-origin', value)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '86400')
        .send();
    },
  };
}
