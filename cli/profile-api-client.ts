import type { z } from 'zod';
import { ProfileView } from '../contracts/profile';
import { MembersPage, SegmentList } from '../services/profile-api/api-schemas';
import type { Connection } from './connection';

/** Why a Profile API call gave no answer: each maps to a message and exit code 1. */
export type ClientFailure =
  | { readonly kind: 'not-found'; readonly message: string }
  | { readonly kind: 'unauthorized'; readonly message: string }
  | { readonly kind: 'bad-request'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'server'; readonly message: string };

/** Outcome of a Profile API call. */
export type ClientResult<T> =
  | { readonly ok: true; readonly value: T }
  | ({ readonly ok: false } & ClientFailure);

/** The Profile API routes the CLI reads, over HTTP with the read key. */
export interface ProfileApiClient {
  getProfile(id: string): Promise<ClientResult<ProfileView>>;
  /** Follows the lookup's redirect to the profile. */
  lookupProfile(type: string, value: string): Promise<ClientResult<ProfileView>>;
  listSegments(): Promise<ClientResult<SegmentList>>;
  listMembers(id: string, page: { limit?: number; cursor?: string }): Promise<ClientResult<MembersPage>>;
}

function messageOf(json: unknown, fallback: string): string {
  const m = (json as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : fallback;
}

/** Creates a client of the Profile API at `connection.url`, authenticated with `connection.key`. */
export function createProfileApiClient(
  connection: Connection,
  deps: { readonly fetch?: typeof fetch } = {},
): ProfileApiClient {
  const doFetch = deps.fetch ?? fetch;

  async function read<T>(path: string, schema: z.ZodType<T>): Promise<ClientResult<T>> {
    let response: Response;
    try {
      // same-origin redirects (the lookup's 302) keep the Authorization header
      response = await doFetch(connection.url + path, {
        headers: { authorization: `Bearer ${connection.key}`, accept: 'application/json' },
      });
    } catch (error: unknown) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return {
        ok: false,
        kind: 'unreachable',
        message: `cannot reach the CDP at ${connection.url}${cause ? ` (${cause})` : ''}: is cdp dev running?`,
      };
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status === 404)
      return { ok: false, kind: 'not-found', message: messageOf(json, 'not found') };
    if (response.status === 401) {
      return { ok: false, kind: 'unauthorized', message: `${messageOf(json, 'unauthorized')} (check --key)` };
    }
    if (response.status >= 400 && response.status < 500) {
      return { ok: false, kind: 'bad-request', message: messageOf(json, `refused (${response.status})`) };
    }
    if (!response.ok) {
      return {
        ok: false,
        kind: 'server',
        message: `the CDP answered ${response.status}: ${text.slice(0, 200)}`,
      };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        kind: 'server',
        message: `unexpected answer from ${path}: ${parsed.error.message}`,
      };
    }
    return { ok: true, value: parsed.data };
  }

  const enc = encodeURIComponent;
  return {
    getProfile: (id) => read(`/v1/profiles/${enc(id)}`, ProfileView),
    lookupProfile: (type, value) =>
      read(`/v1/profiles/lookup?type=${enc(type)}&value=${enc(value)}`, ProfileView),
    listSegments: () => read('/v1/segments', SegmentList),
    listMembers: (id, page) => {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.cursor !== undefined) query.set('cursor', page.cursor);
      const qs = query.toString();
      return read(`/v1/segments/${enc(id)}/members${qs ? `?${qs}` : ''}`, MembersPage);
    },
  };
}
