import type { Identifier } from '../../contracts/identifier';
import type { LakeRecord } from '../../contracts/ports/lake-writer';
import type {
  IdentifierMapping,
  IdentityLink,
  IdentityResolver,
  IdentityStore,
  IdentityStoreResult,
  ProfileMerge,
} from '../../processors/identity';
import { mergesOfLakeRows } from '../../processors/pipeline/lake-rows';

const keyOf = (i: Identifier) => `${i.type}\u0000${i.value}`;

/** Merge records by surviving profile id, as the identity view serves them. */
export type MergeLog = Map<string, ProfileMerge[]>;

/**
 * Records the merges of `identity_merges` lake rows (the pipeline's merge output) in `log`; returns the
 * surviving profile ids whose records changed. `beforeChange(into)` is called before `into`'s list changes.
 */
export function recordMergeRows(
  records: readonly LakeRecord[],
  log: MergeLog,
  beforeChange?: (into: string) => void,
): string[] {
  const changed: string[] = [];
  for (const merge of mergesOfLakeRows(records)) {
    beforeChange?.(merge.into);
    const list = log.get(merge.into) ?? [];
    list.push(merge);
    log.set(merge.into, list);
    changed.push(merge.into);
  }
  return changed;
}

/**
 * The embedded runtime's identity store for the Profile API: a read-only view of the pipeline's
 * in-memory identity resolver (mappings, identifiers, links, redirects: always current) plus the merge
 * records the pipeline emitted. `transact` refuses: in this runtime the resolver is the only writer.
 */
export function createResolverIdentityView(
  resolver: () => IdentityResolver | undefined,
  merges: MergeLog,
): IdentityStore {
  return {
    async getMappings(identifiers): Promise<readonly (IdentifierMapping | undefined)[]> {
      const r = resolver();
      return identifiers.map((identifier) => {
        const profileId = r?.profileIdOf(identifier);
        return profileId === undefined ? undefined : { identifier, profileId, version: 1, updatedAt: '' };
      });
    },
    async listProfileIdentifiers(profileId) {
      const r = resolver();
      const live = r?.currentProfileId(profileId);
      return live === profileId ? (r?.getProfile(profileId)?.identifiers ?? []) : [];
    },
    async getLinks(identifier): Promise<readonly IdentityLink[]> {
      const r = resolver();
      const profileId = r?.profileIdOf(identifier);
      if (r === undefined || profileId === undefined) return [];
      const out = new Map<string, IdentityLink>();
      for (const other of r.getProfile(profileId)?.identifiers ?? []) {
        if (keyOf(other) === keyOf(identifier)) continue;
        const link = r.linkBetween(identifier, other);
        if (link !== undefined) out.set(`${keyOf(link.from)}|${keyOf(link.to)}`, link);
      }
      for (const link of r.explain(identifier)?.notMerged ?? [])
        out.set(`${keyOf(link.from)}|${keyOf(link.to)}`, link);
      return [...out.values()];
    },
    async listMerges(profileId) {
      return merges.get(profileId) ?? [];
    },
    async getRedirect(profileId) {
      const live = resolver()?.currentProfileId(profileId);
      return live !== undefined && live !== profileId ? live : undefined;
    },
    async transact(): Promise<IdentityStoreResult> {
      throw new Error(
        'the embedded identity view is read-only: identities change through events (or an unmerge)',
      );
    },
  };
}
