import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { ProfileDocument } from '../../contracts/profile';
import type { IdentityStore } from '../../processors/identity';

/** Redirect hops followed before giving up (a chain this long means corrupt data, not a merge history). */
export const MAX_REDIRECT_HOPS = 64;

/** A profile found by an id: the live document, and the id asked for when that id was merged away. */
export type ResolvedProfile =
  | { readonly ok: true; readonly document: ProfileDocument; readonly mergedFrom?: string }
  | { readonly ok: false; readonly reason: 'not-found' };

/**
 * The profile an id names: its own document when it is live, otherwise the survivor reached by
 * following the identity store's redirects (`A → B → C` after successive merges).
 */
export async function resolveProfile(
  profileId: string,
  deps: { readonly profiles: ProfileStore; readonly identities: Pick<IdentityStore, 'getRedirect'> },
): Promise<ResolvedProfile> {
  const own = await deps.profiles.get(profileId);
  if (own) return { ok: true, document: own };
  const seen = new Set([profileId]);
  let current = profileId;
  for (let hop = 0; hop < MAX_REDIRECT_HOPS; hop++) {
    const next = await deps.identities.getRedirect(current);
    if (next === undefined || seen.has(next)) return { ok: false, reason: 'not-found' };
    seen.add(next);
    current = next;
    const document = await deps.profiles.get(current);
    if (document) return { ok: true, document, mergedFrom: profileId };
  }
  return { ok: false, reason: 'not-found' };
}
