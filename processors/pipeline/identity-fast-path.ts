import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import type { IdentityResolver, Resolution } from '../identity';

/** What the fast path answers for a repeated identity: the event's profile and primary identifier. */
export interface KnownIdentity {
  readonly profileId: string;
  readonly primary: Identifier;
  /** `type:value` of the primary identifier (the event's slice). */
  readonly sliceKey: string;
}

interface Entry {
  /** Event time of the latest resolution of this identity: every link and first-seen time is ≤ it. */
  since: number;
  primary: Identifier;
  sliceKey: string;
  profileId: string;
  generation: number;
}

/** Entries kept before the cache starts over (one per distinct identity tuple). */
const MAX_ENTRIES = 1_000_000;

/**
 * Skips `resolve` for an event whose identity tuple (user id, anonymous id, e-mail, phone) was
 * resolved before at an earlier event time. Such an event cannot change the graph: its identifiers
 * exist with earlier first-seen times, its pairs were linked earlier (only the earliest link of a pair
 * counts), and its primary identifier is a function of the event. So `resolve` would answer the
 * current profile of the primary identifier with no changes, which is what this returns. Events with
 * custom ids or `previousId`, events at or before the cached time, and any cache entry after a
 * resolution that changed profiles (merge, move, split) go through the resolver again.
 */
export function createIdentityFastPath(resolver: IdentityResolver) {
  const cache = new Map<string, Entry>();
  let generation = 0;

  function keyOf(event: CanonicalEvent): string | undefined {
    const id = event.identity;
    if (id.externalIds !== undefined || id.previousId !== undefined) return undefined;
    return `${id.userId ?? ''}\u0001${id.anonymousId ?? ''}\u0001${id.email ?? ''}\u0001${id.phone ?? ''}`;
  }

  return {
    /** The known answer for this event, or undefined: then call `resolve` and `remember`. */
    lookup(event: CanonicalEvent, t: number): KnownIdentity | undefined {
      const key = keyOf(event);
      if (key === undefined) return undefined;
      const entry = cache.get(key);
      if (entry === undefined || !(t > entry.since)) return undefined;
      if (entry.generation !== generation) {
        const profileId = resolver.profileIdOf(entry.primary);
        if (profileId === undefined) {
          cache.delete(key);
          return undefined;
        }
        entry.profileId = profileId;
        entry.generation = generation;
      }
      return entry;
    },
    /** Records a resolution made by the resolver for this event. */
    remember(event: CanonicalEvent, t: number, resolution: Resolution): void {
      if (!resolution.ok) return;
      const v = resolution.value;
      if (v.merges.length > 0 || v.reassignments.length > 0 || v.splits.length > 0) generation++;
      const key = keyOf(event);
      if (key === undefined) return;
      if (cache.size >= MAX_ENTRIES) cache.clear();
      const primary = v.primaryIdentifier;
      const sliceKey = `${primary.type}:${primary.value}`;
      cache.set(key, { since: t, primary, sliceKey, profileId: v.profileId, generation });
    },
    /** Forgets everything (after an unmerge, a restore, or changes applied from outside). */
    invalidate(): void {
      cache.clear();
      generation++;
    },
  };
}
