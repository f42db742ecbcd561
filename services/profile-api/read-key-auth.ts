import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

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
    return timingSafeEqual(digest(match[1]!), expected) ? { ok: true } : { ok: false, reason: 'wrong' };
  };
}
