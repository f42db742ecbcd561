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
  // Keyed by user id → anonymous id → e-mail → phone ('' for absent ones): nested maps instead of one
  // joined key, so a lookup hashes the event's own strings and builds none.
  let cache = new Map<string, Map<string, Map<string, Map<string, Entry>>>>();
  let size = 0;
  let generation = 0;

  function cacheable(event: CanonicalEvent): boolean {
    const id = event.identity;
    return id.externalIds === undefined && id.previousId === undefined;
  }

  function leafOf(event: CanonicalEvent): Map<string, Entry> | undefined {
    const id = event.identity;
    return cache
      .get(id.userId ?? '')
      ?.get(id.anonymousId ?? '')
      ?.get(id.email ?? '');
  }

  function levelOf<V>(map: Map<string, V>, key: string, create: () => V): V {
    let next = map.get(key);
    if (next === undefined) {
      next = create();
      map.set(key, next);
    }
    return next;
  }

  return {
    /** The known answer for this event, or undefined: then call `resolve` and `remember`. */
    lookup(event: CanonicalEvent, t: number): KnownIdentity | undefined {
      if (!cacheable(event)) return undefined;
      const leaf = leafOf(event);
      if (leaf === undefined) return undefined;
      const phone = event.identity.phone ?? '';
      const entry = leaf.get(phone);
      if (entry === undefined || !(t > entry.since)) return undefined;
      if (entry.generation !== generation) {
        const profileId = resolver.profileIdOf(entry.primary);
        if (profileId === undefined) {
          leaf.delete(phone);
          size--;
          return undefined;
        }
        entry.profileId = profileId;
        entry.generation = generation;
      }
      return entry;
    },
    /**
     * Records a resolution made by the resolver for this event; `primaryKey`, when given, is `type:value`
     * of its primary identifier as the caller keys its slices (the same string then, compared by identity).
     */
    remember(event: CanonicalEvent, t: number, resolution: Resolution, primaryKey?: string): void {
      if (!resolution.ok) return;
      const v = resolution.value;
      if (v.merges.length > 0 || v.reassignments.length > 0 || v.splits.length > 0) generation++;
      if (!cacheable(event)) return;
      if (size >= MAX_ENTRIES) {
        cache = new Map();
        size = 0;
      }
      const id = event.identity;
      const byAnonymous = levelOf(
        cache,
        id.userId ?? '',
        () => new Map<string, Map<string, Map<string, Entry>>>(),
      );
      const byEmail = levelOf(byAnonymous, id.anonymousId ?? '', () => new Map<string, Map<string, Entry>>());
      const leaf = levelOf(byEmail, id.email ?? '', () => new Map<string, Entry>());
      const phone = id.phone ?? '';
      const primary = v.primaryIdentifier;
      const sliceKey = primaryKey ?? `${primary.type}:${primary.value}`;
      if (!leaf.has(phone)) size++;
      leaf.set(phone, { since: t, primary, sliceKey, profileId: v.profileId, generation });
    },
    /** Forgets everything (after an unmerge, a restore, or changes applied from outside). */
    invalidate(): void {
      cache = new Map();
      size = 0;
      generation++;
    },
  };
}
