import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Outcome of reading a cursor a client sent back. */
export type CursorRead = { readonly ok: true; readonly value: string } | { readonly ok: false };

/** Wraps store cursors for clients, and unwraps only cursors this API handed out. */
export interface PageCursors {
  /** The opaque cursor for a store cursor, valid only for the same `scope` (route + id). */
  seal(scope: string, storeCursor: string): string;
  /** The store cursor inside a sealed cursor, or `{ ok: false }` for anything this API did not make. */
  open(scope: string, cursor: string): CursorRead;
}

/**
 * Store cursors are signed (HMAC-SHA256 with a key derived from `secret`) and bound to the route and
 * id they page through, so a made-up, truncated or foreign cursor is a 400, never something handed to
 * a store to choke on. Deriving the key from the read key keeps cursors valid across restarts.
 */
export function createPageCursors(secret: string): PageCursors {
  const key = createHash('sha256').update(`tributary-page-cursor\u0000${secret}`).digest();
  const mac = (scope: string, storeCursor: string) =>
    createHmac('sha256', key).update(scope).update('\u0000').update(storeCursor).digest();
  return {
    seal(scope, storeCursor) {
      return `${Buffer.from(storeCursor, 'utf8').toString('base64url')}.${mac(scope, storeCursor).toString('base64url')}`;
    },
    open(scope, cursor) {
      const dot = cursor.indexOf('.');
      if (dot <= 0) return { ok: false };
      const storeCursor = Buffer.from(cursor.slice(0, dot), 'base64url').toString('utf8');
      const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
      const expected = mac(scope, storeCursor);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false };
      return { ok: true, value: storeCursor };
    },
  };
}
