import { parseWriteKeyList } from '../services/collector';
import type { LocalDevFiles } from './local-dev-files';

/** Where a running CDP is, and the key to use with it. */
export interface Connection {
  readonly url: string;
  readonly key: string;
}

/** The environment variables the CLI falls back to (read by the command entry, passed in here). */
export interface ConnectionEnv {
  readonly CDP_URL?: string;
  readonly CDP_READ_KEY?: string;
  readonly CDP_WRITE_KEY?: string;
  readonly CDP_WRITE_KEYS?: string;
}

/** Default base URL of `cdp dev`. */
export const DEFAULT_CDP_URL = 'http://127.0.0.1:8080';

/**
 * The connection of a command: `--url` / `--key` first, then the environment (`CDP_URL`; `CDP_READ_KEY`
 * for the Profile API; `CDP_WRITE_KEY`, else the first key of `CDP_WRITE_KEYS`, for sending), then what
 * a local `cdp dev` left in its data folder (`local`), then the default URL.
 */
export function resolveConnection(
  flags: { readonly url?: string; readonly key?: string },
  env: ConnectionEnv,
  kind: 'read' | 'write',
  local: LocalDevFiles = {},
): { ok: true; value: Connection } | { ok: false; error: string } {
  const url = flags.url ?? env.CDP_URL ?? local.url ?? DEFAULT_CDP_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `--url must be an http(s) URL such as ${DEFAULT_CDP_URL}, got "${url}"` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, error: `--url must be an http(s) URL such as ${DEFAULT_CDP_URL}, got "${url}"` };
  }
  let key = flags.key;
  if (key === undefined && kind === 'read') key = env.CDP_READ_KEY;
  if (key === undefined && kind === 'write') {
    key = env.CDP_WRITE_KEY;
    if (key === undefined && env.CDP_WRITE_KEYS) {
      const keys = parseWriteKeyList(env.CDP_WRITE_KEYS);
      if (keys.ok) key = Object.keys(keys.value)[0];
    }
  }
  key ??= kind === 'read' ? local.readKey : local.writeKey;
  if (!key) {
    return {
      ok: false,
      error:
        kind === 'read'
          ? 'no read key: pass --key or set CDP_READ_KEY (cdp dev prints it when it starts)'
          : 'no write key: pass --key or set CDP_WRITE_KEY (cdp dev prints it when it starts)',
    };
  }
  return { ok: true, value: { url: parsed.toString().replace(/\/+$/, ''), key } };
}
