import type { Identifier } from '../../contracts/identifier';
import type { IdentityLink, ProfileMerge } from './types';

/**
 * Where identity outcomes are kept for serving and for rebuilding the graph (memory here, DynamoDB in
 * the AWS runtime). Every record has a natural single-table key:
 *
 * | record | PK | SK |
 * |---|---|---|
 * | identifier → profile mapping | `ID#<type>#<value>` | `MAPPING` |
 * | link (stored under both ends) | `ID#<type>#<value>` | `LINK#<type>#<value>` |
 * | merge record | `PROFILE#<into>` | `MERGE#<cause.timestamp>#<cause.eventId>` |
 * | redirect of a merged id | `PROFILE#<from>` | `REDIRECT` |
 *
 * `transact` is all-or-nothing (`TransactWriteItems`, at most `MAX_IDENTITY_TRANSACTION` writes) and
 * honours `expectedVersion` as a condition (`attribute_not_exists(PK)` for `null`, `version = :v`
 * otherwise), so concurrent writers cannot lose each other's mapping updates.
 */
export interface IdentityStore {
  /** Current mappings, in input order (`undefined` when never stored). */
  getMappings(identifiers: readonly Identifier[]): Promise<readonly (IdentifierMapping | undefined)[]>;
  /** Identifiers mapped to a profile id (a GSI on `profileId` in DynamoDB). */
  listProfileIdentifiers(profileId: string): Promise<readonly Identifier[]>;
  /** Links recorded with this identifier at either end. */
  getLinks(identifier: Identifier): Promise<readonly IdentityLink[]>;
  /** Merges into a profile, oldest first. */
  listMerges(profileId: string): Promise<readonly ProfileMerge[]>;
  /** Where a merged profile id now points, if it was merged. */
  getRedirect(profileId: string): Promise<string | undefined>;
  /** Applies every write or none. */
  transact(writes: readonly IdentityWrite[]): Promise<IdentityStoreResult>;
}

/** DynamoDB's `TransactWriteItems` limit. */
export const MAX_IDENTITY_TRANSACTION = 100;

/** The item `ID#<type>#<value> / MAPPING`. */
export interface IdentifierMapping {
  readonly identifier: Identifier;
  readonly profileId: string;
  /** Incremented on every write; the condition of the next write. */
  readonly version: number;
  readonly updatedAt: string;
}

/** One write of a transaction. */
export type IdentityWrite =
  | {
      readonly kind: 'put-mapping';
      readonly identifier: Identifier;
      readonly profileId: string;
      /** `null`: the mapping must not exist yet; a number: the stored version must equal it. */
      readonly expectedVersion: number | null;
      readonly updatedAt: string;
    }
  | { readonly kind: 'put-link'; readonly link: IdentityLink }
  | { readonly kind: 'put-merge'; readonly merge: ProfileMerge }
  | { readonly kind: 'put-redirect'; readonly from: string; readonly to: string };

/** Outcome of a transaction; `conflict` names the partition key whose condition failed. */
export type IdentityStoreResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'conflict'; readonly key: string }
  | { readonly ok: false; readonly reason: 'too-many-writes'; readonly count: number };

/** The store failed (I/O, throttling): not an expected outcome, so thrown. */
export class IdentityStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityStoreError';
  }
}

/** Partition key of an identifier's items: `ID#<type>#<value>`. */
export function identifierPk(identifier: Identifier): string {
  return `ID#${identifier.type}#${identifier.value}`;
}

/** Partition key of a profile's items: `PROFILE#<id>`. */
export function profilePk(profileId: string): string {
  return `PROFILE#${profileId}`;
}
