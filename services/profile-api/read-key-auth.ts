import * as crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** SHA-256 of `text`: the one-shot `crypto.hash` (Node ≥ 20.12, no Hash object per call) when present. */
const digest: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();

/** Outcome of checking a request's `Authorization` header against the read key. */
export type ReadKeyCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'wrong' };

/**
 * Checks `Authorization: Bearer <key>` against the read key in constant time (both sides are hashed
 * to equal length first, so neither the key's length nor a matching prefix shows in the timing).
 */
export function createReadKeyCheck(readKey: string): (authorization: string | undefined) => ReadKeyCheck {
  const expected = digest(readKey);
  return (authorization) => {
    if (authorization === undefined) return { ok: false, reason: 'missing' };
    const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'missing' };
    return crypto.timingSafeEqual(digest(match[1]!), expected)
      ? { ok: true }
      : { ok: false, reason: 'wrong' };
  };
}

/**
 * A Fastify `onRequest` hook that answers 401 (with `WWW-Authenticate` and the reason) unless the
 * request carries the read key; every read-key route uses it.
 */
export function createReadKeyGuard(
  readKey: string,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const checkKey = createReadKeyCheck(readKey);
  return async (request, reply) => {
    const check = checkKey(request.headers.authorization);
    if (check.ok) return undefined;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="tributary-profile-api"')
      .send({
        error: 'unauthorized',
        message:
          check.reason === 'missing'
            ? 'missing read key: send it as "Authorization: Bearer <read key>"'
            : 'wrong read key',
      });
  };
}
