import type { Identifier } from '../../contracts/identifier';
import {
  type IdentifierMapping,
  type IdentityStore,
  type IdentityStoreResult,
  type IdentityWrite,
  identifierPk,
  MAX_IDENTITY_TRANSACTION,
  profilePk,
} from './identity-store';
import type { IdentityLink, ProfileMerge } from './types';

/** An in-memory `IdentityStore` with the same keys, conditions and atomicity as the DynamoDB one. */
export function createMemoryIdentityStore(): IdentityStore {
  const mappings = new Map<string, IdentifierMapping>();
  /** profileId → pk → identifier: the GSI on `profileId`, so listing a profile's ids is not a scan. */
  const byProfile = new Map<string, Map<string, Identifier>>();
  const links = new Map<string, Map<string, IdentityLink>>();
  const merges = new Map<string, Map<string, ProfileMerge>>();
  const redirects = new Map<string, string>();

  function check(w: IdentityWrite): string | undefined {
    if (w.kind !== 'put-mapping') return undefined;
    const pk = identifierPk(w.identifier);
    const current = mappings.get(pk);
    if (w.expectedVersion === null ? current !== undefined : current?.version !== w.expectedVersion)
      return pk;
    return undefined;
  }

  function putLink(end: Identifier, other: Identifier, link: IdentityLink): void {
    const pk = identifierPk(end);
    const items = links.get(pk) ?? new Map<string, IdentityLink>();
    items.set(`LINK#${other.type}#${other.value}`, link);
    links.set(pk, items);
  }

  function apply(w: IdentityWrite): void {
    switch (w.kind) {
      case 'put-mapping': {
        const pk = identifierPk(w.identifier);
        const previous = mappings.get(pk);
        const version = (previous?.version ?? 0) + 1;
        if (previous !== undefined && previous.profileId !== w.profileId) {
          const old = byProfile.get(previous.profileId);
          old?.delete(pk);
          if (old?.size === 0) byProfile.delete(previous.profileId);
        }
        let index = byProfile.get(w.profileId);
        if (index === undefined) {
          index = new Map();
          byProfile.set(w.profileId, index);
        }
        index.set(pk, w.identifier);
        mappings.set(pk, {
          identifier: w.identifier,
          profileId: w.profileId,
          version,
          updatedAt: w.updatedAt,
        });
        return;
      }
      case 'put-link':
        putLink(w.link.from, w.link.to, w.link);
        putLink(w.link.to, w.link.from, w.link);
        return;
      case 'put-merge': {
        const pk = profilePk(w.merge.into);
        const items = merges.get(pk) ?? new Map<string, ProfileMerge>();
        items.set(`MERGE#${w.merge.cause.timestamp}#${w.merge.cause.eventId}`, w.merge);
        merges.set(pk, items);
        return;
      }
      case 'put-redirect':
        redirects.set(profilePk(w.from), w.to);
        return;
    }
  }

  return {
    async getMappings(identifiers) {
      return identifiers.map((i) => mappings.get(identifierPk(i)));
    },
    async listProfileIdentifiers(profileId) {
      return [...(byProfile.get(profileId)?.values() ?? [])];
    },
    async getLinks(identifier) {
      return [...(links.get(identifierPk(identifier))?.values() ?? [])];
    },
    async listMerges(profileId) {
      const items = merges.get(profilePk(profileId));
      if (!items) return [];
      return [...items.keys()].sort().map((sk) => items.get(sk)!);
    },
    async getRedirect(profileId) {
      return redirects.get(profilePk(profileId));
    },
    async transact(writes): Promise<IdentityStoreResult> {
      if (writes.length > MAX_IDENTITY_TRANSACTION) {
        return { ok: false, reason: 'too-many-writes', count: writes.length };
      }
      const seen = new Set<string>();
      for (const w of writes) {
        const conflict = check(w);
        if (conflict !== undefined) return { ok: false, reason: 'conflict', key: conflict };
        // DynamoDB rejects two operations on one item in a transaction; so do we.
        if (w.kind === 'put-mapping') {
          const pk = identifierPk(w.identifier);
          if (seen.has(pk)) return { ok: false, reason: 'conflict', key: pk };
          seen.add(pk);
        }
      }
      for (const w of writes) apply(w);
      return { ok: true };
    },
  };
}
