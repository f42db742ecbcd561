import type { Identifier } from '../../contracts/identifier';
import type { IdentityConfig, IdentityLink, IdentityStore, ProfileMerge } from '../../processors/identity';
import { profileIdFor } from '../../processors/identity';
import { compareIdentifiers } from './profile-view';

/** How one identifier of a profile came to belong to it. */
export interface IdentityProvenance {
  readonly identifier: Identifier;
  /** The identifier the profile id derives from. */
  readonly anchor: boolean;
  /** The link that joined it to the anchor's side (absent for the anchor itself). */
  readonly joinedBy?: {
    readonly eventId: string;
    readonly timestamp: string;
    readonly rule: IdentityLink['rule'];
    /** The identifier at the other end of that link, already on the anchor's side. */
    readonly linkedTo: Identifier;
  };
  /** The profile merge recorded for that link's event, when it joined two existing profiles. */
  readonly merge?: ProfileMerge;
}

/** Everything `GET /v1/profiles/:id/identities` answers about a live profile. */
export interface ProfileIdentities {
  readonly identities: readonly IdentityProvenance[];
  /** Every merge into this profile and, transitively, into the profiles merged into it; oldest first. */
  readonly merges: readonly ProfileMerge[];
}

/** Settings needed to tell which identifier a profile id derives from (as the resolver was configured). */
export type ProfileIdSettings = Pick<IdentityConfig, 'profileIdPrefix' | 'profileIdSalt'>;

const MAX_MERGED_PROFILES = 10_000;

const keyOf = (i: Identifier) => `${i.type}:${i.value}`;

function linkOrder(a: IdentityLink, b: IdentityLink): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return compareIdentifiers(a.from, b.from) || compareIdentifiers(a.to, b.to);
}

async function mergeHistory(
  profileId: string,
  identities: Pick<IdentityStore, 'listMerges'>,
): Promise<ProfileMerge[]> {
  const out: ProfileMerge[] = [];
  const seen = new Set([profileId]);
  const queue = [profileId];
  while (queue.length > 0 && seen.size < MAX_MERGED_PROFILES) {
    for (const merge of await identities.listMerges(queue.shift()!)) {
      out.push(merge);
      for (const from of merge.from) {
        if (!seen.has(from)) {
          seen.add(from);
          queue.push(from);
        }
      }
    }
  }
  return out.sort((a, b) =>
    a.cause.timestamp !== b.cause.timestamp
      ? a.cause.timestamp < b.cause.timestamp
        ? -1
        : 1
      : a.cause.eventId < b.cause.eventId
        ? -1
        : a.cause.eventId > b.cause.eventId
          ? 1
          : 0,
  );
}

/**
 * Explains a profile's identifiers from the identity store: replays the profile's `merged` links in
 * link order (event time, event id) and, each time a link joins another group of identifiers to the
 * anchor's group, records that link (and the merge recorded for its event) as what brought them in.
 */
export async function profileIdentities(
  profileId: string,
  identities: Pick<IdentityStore, 'listProfileIdentifiers' | 'getLinks' | 'listMerges'>,
  settings: ProfileIdSettings,
): Promise<ProfileIdentities> {
  const identifiers = [...(await identities.listProfileIdentifiers(profileId))].sort(compareIdentifiers);
  const merges = await mergeHistory(profileId, identities);
  const index = new Map(identifiers.map((identifier, i) => [keyOf(identifier), i]));
  const anchor = identifiers.findIndex(
    (i) => profileIdFor(keyOf(i), settings.profileIdPrefix, settings.profileIdSalt) === profileId,
  );

  const links = new Map<string, IdentityLink>();
  for (const identifier of identifiers) {
    for (const link of await identities.getLinks(identifier)) {
      if (link.status !== 'merged') continue;
      if (!index.has(keyOf(link.from)) || !index.has(keyOf(link.to))) continue;
      links.set(`${keyOf(link.from)}\u0000${keyOf(link.to)}`, link);
    }
  }

  // union-find over the profile's identifiers, each group with its member list
  const parent = identifiers.map((_, i) => i);
  const members = identifiers.map((_, i) => [i]);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const joinedBy = new Map<number, { link: IdentityLink; linkedTo: Identifier }>();
  for (const link of [...links.values()].sort(linkOrder)) {
    const a = index.get(keyOf(link.from))!;
    const b = index.get(keyOf(link.to))!;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    if (anchor >= 0) {
      const anchorRoot = find(anchor);
      if (ra === anchorRoot || rb === anchorRoot) {
        const [joined, linkedTo] = ra === anchorRoot ? [rb, link.from] : [ra, link.to];
        for (const m of members[joined]!) joinedBy.set(m, { link, linkedTo });
      }
    }
    const [big, small] = members[ra]!.length >= members[rb]!.length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    members[big]!.push(...members[small]!);
    members[small] = [];
  }

  return {
    identities: identifiers.map((identifier, i): IdentityProvenance => {
      const joined = joinedBy.get(i);
      if (!joined) return { identifier, anchor: i === anchor };
      const { link, linkedTo } = joined;
      const pair = new Set([keyOf(link.from), keyOf(link.to)]);
      const merge =
        merges.find(
          (m) => m.cause.eventId === link.eventId && m.cause.identifiers.every((x) => pair.has(keyOf(x))),
        ) ?? merges.find((m) => m.cause.eventId === link.eventId);
      return {
        identifier,
        anchor: false,
        joinedBy: { eventId: link.eventId, timestamp: link.timestamp, rule: link.rule, linkedTo },
        ...(merge ? { merge } : {}),
      };
    }),
    merges,
  };
}
