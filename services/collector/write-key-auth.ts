import type { IncomingHttpHeaders } from 'node:http';

/** The write key a request carries: HTTP Basic user name (Segment/RudderStack SDKs) or `X-Write-Key`. */
export function writeKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined && authorization.length > 6) {
    if (authorization.slice(0, 6).toLowerCase() === 'basic ') {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      if (user.length > 0) return user;
    }
  }
  const header = headers['x-write-key'];
  const key = Array.isArray(header) ? header[0] : header;
  return key !== undefined && key.length > 0 ? key : undefined;
}

/** Resolves write keys to source names; remembers recent `Authorization` headers to skip decoding. */
export function createWriteKeyResolver(writeKeys: Readonly<Record<string, string>>) {
  const keys = new Map(Object.entries(writeKeys));
  const byHeader = new Map<string, string>();
  return {
    /** The source of the request's write key; `undefined` when it has none, or an unknown one. */
    sourceOf(headers: IncomingHttpHeaders): { key: boolean; source?: string } {
      const authorization = headers.authorization;
      if (authorization !== undefined) {
        const hit = byHeader.get(authorization);
        if (hit !== undefined) return { key: true, source: hit };
      }
      const key = writeKeyOf(headers);
      if (key === undefined) return { key: false };
      const source = keys.get(key);
      if (source !== undefined && authorization !== undefined && headers['x-write-key'] === undefined) {
        if (byHeader.size > 1000) byHeader.clear();
        byHeader.set(authorization, source);
      }
      return { key: true, source };
    },
  };
}
