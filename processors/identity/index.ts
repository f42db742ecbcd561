/** Identity resolution: public API of processors/identity (see README.md for the rules). */
export {
  DEFAULT_BLOCKED_EMAIL_LOCAL_PARTS,
  DEFAULT_BLOCKED_VALUES,
  IdentityConfig,
  type IdentityConfigInput,
} from './config';
export {
  createIdentifierFilter,
  type ExtractedIdentifiers,
  extractIdentifiers,
  normalizeIdentifierValue,
} from './extract-identifiers';
export {
  GRAPH_CHUNK,
  type GraphChanges,
  type GraphSnapshot,
  type LinkChunk,
  type NodeChunk,
} from './identity-graph';
export {
  type IdentifierMapping,
  type IdentityStore,
  IdentityStoreError,
  type IdentityStoreResult,
  type IdentityWrite,
  identifierPk,
  MAX_IDENTITY_TRANSACTION,
  profilePk,
} from './identity-store';
export {
  type BatchIdentityOutputs,
  createIdentityStoreWriter,
  type IdentityPersist,
  type IdentityStoreWriter,
  type IdentityStoreWriterConfig,
  type IdentityWriteSummary,
} from './identity-store-writer';
export { createMemoryIdentityStore } from './memory-identity-store';
export { profileIdFor } from './profile-id';
export {
  createIdentityResolver,
  IdentityConfigError,
  type IdentityDelta,
  type IdentityResolver,
  type IdentityResolverDeps,
  type IdentitySnapshot,
  IdentitySnapshotError,
} from './resolver';
export type * from './types';
