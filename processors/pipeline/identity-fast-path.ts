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
  /** The identity tuple ('' for an absent identifier). */
  readonly userId: string;
  readonly anonymousId: string;
  readonly email: string;
  readonly phone: string;
  /** Event time of the latest resolution of this identity: every link and first-seen time is ≤ it. */
  since: number;
  primary: Identifier;
  sliceKey: string;
  profileId: string;
  generation: number;
}

/** Entries kept before the cache starts over (one per distinct identity tuple). */
const MAX_ENTRIES = 1_000_000;
/** Tuples kept under one key (a user id seen with many devices): the oldest goes when one more comes. */
const MAX_PER_KEY = 8;

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
  // Keyed by the tuple's first identifier (user id, else anonymous id, e-mail, phone), each key holding
  // the few tuples that start with it: one map lookup per event, then string comparisons of the other
  // identifiers, instead of a lookup per identifier (each hashes a string fresh from JSON.parse).
  let cache = new Map<string, Entry[]>();
  let size = 0;
  let generation = 0;

  function cacheable(event: CanonicalEvent): boolean {
    const id = event.identity;
    return id.externalIds === undefined && id.previousId === undefined;
  }

  /** The entry of the event's tuple in `list`, or -1. */
  function indexIn(list: readonly Entry[], event: CanonicalEvent): number {
    const id = event.identity;
    const userId = id.userId ?? '';
    const anonymousId = id.anonymousId ?? '';
    const email = id.email ?? '';
    const phone = id.phone ?? '';
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as Entry;
      if (e.userId === userId && e.anonymousId === anonymousId && e.email === email && e.phone === phone)
        return i;
    }
    return -1;
  }

  function keyOf(event: CanonicalEvent): string {
    const id = event.identity;
    return id.userId || id.anonymousId || id.email || id.phone || '';
  }

  return {
    /** The known answer for this event, or undefined: then call `resolve` and `remember`. */
    lookup(event: CanonicalEvent, t: number): KnownIdentity | undefined {
      if (!cacheable(event)) return undefined;
      const list = cache.get(keyOf(event));
      if (list === undefined) return undefined;
      const at = indexIn(list, event);
      const entry = list[at];
      if (entry === undefined || !(t > entry.since)) return undefined;
      if (entry.generation !== generation) {
        const profileId = resolver.profileIdOf(entry.primary);
        if (profileId === undefined) {
          list.splice(at, 1);
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
      const primary = v.primaryIdentifier;
      const entry: Entry = {
        userId: id.userId ?? '',
        anonymousId: id.anonymousId ?? '',
        email: id.email ?? '',
        phone: id.phone ?? '',
        since: t,
        primary,
        sliceKey: primaryKey ?? `${primary.type}:${primary.value}`,
        profileId: v.profileId,
        generation,
      };
      const key = keyOf(event);
      const list = cache.get(key);
      if (list === undefined) {
        cache.set(key, [entry]);
        size++;
        return;
      }
      const at = indexIn(list, event);
      if (at >= 0) list[at] = entry;
      else {
        if (list.length >= MAX_PER_KEY) list.shift();
        else size++;
        list.push(entry);
      }
    },
    /** Forgets everything (after an unmerge, a restore, or changes applied from outside). */
    invalidate(): void {
      cache = new Map();
      size = 0;
      generation++;
    },
  };
}
