import type { Identifier } from '../../contracts/identifier';
import {
  type IdentityStore,
  IdentityStoreError,
  type IdentityWrite,
  identifierPk,
  MAX_IDENTITY_TRANSACTION,
} from './identity-store';
import type { IdentityResolver } from './resolver';
import type { IdentityChanges, ResolvedIdentity } from './types';

/** What a write did: how many items and transactions. */
export interface IdentityWriteSummary {
  readonly writes: number;
  readonly transactions: number;
}

/** Outcome of persisting one resolution. */
export type IdentityPersist =
  | { readonly ok: true; readonly value: IdentityWriteSummary }
  | { readonly ok: false; readonly reason: 'conflict'; readonly key: string; readonly attempts: number };

/** Settings of the writer. */
export interface IdentityStoreWriterConfig {
  /** Attempts per transaction when a version condition fails (re-read, re-write). */
  readonly maxAttempts?: number;
  /** Wall clock for `updatedAt`; `Date.now` by default. */
  readonly now?: () => number;
}

/** Persists resolutions and unmerges into an `IdentityStore`. */
export interface IdentityStoreWriter {
  /** Writes the mappings, links (those event `eventId` recorded), merges and redirects of a resolution. */
  writeResolution(resolved: ResolvedIdentity, eventId: string): Promise<IdentityPersist>;
  /** Writes the mappings and redirects an unmerge (or any change set) produced. */
  writeChanges(changes: IdentityChanges): Promise<IdentityPersist>;
  /**
   * Brings the mappings of these identifiers, and of every identifier of their profiles, in step
   * with the resolver, with a redirect for each stored profile id that was merged away. For runtimes
   * that persist after a batch rather than per resolution (the Lambda stream processor).
   */
  writeMappings(identifiers: readonly Identifier[]): Promise<IdentityPersist>;
}

const keyOf = (i: Identifier) => identifierPk(i);

/**
 * Creates a writer that keeps an `IdentityStore` in step with the in-memory resolver: every
 * identifier whose profile changed gets its `ID#type#value / MAPPING` item rewritten under a version
 * condition, links and merge records are appended, merged ids get a redirect.
 */
export function createIdentityStoreWriter(
  config: IdentityStoreWriterConfig,
  deps: { readonly store: IdentityStore; readonly resolver: IdentityResolver },
): IdentityStoreWriter {
  const { store, resolver } = deps;
  const maxAttempts = config.maxAttempts ?? 3;
  const now = config.now ?? Date.now;

  /** Identifiers whose mapping may have changed. */
  function touchedIdentifiers(changes: IdentityChanges, extra: readonly Identifier[]): Identifier[] {
    const out = new Map<string, Identifier>();
    const add = (i: Identifier) => out.set(keyOf(i), i);
    extra.forEach(add);
    for (const m of changes.merges) resolver.getProfile(m.into)?.identifiers.forEach(add);
    for (const s of changes.splits)
      for (const id of s.into) resolver.getProfile(id)?.identifiers.forEach(add);
    for (const r of changes.reassignments) add(r.identifier);
    return [...out.values()];
  }

  /** Writes mappings (version-conditioned, skipped when unchanged) plus `other` items. */
  async function persist(
    identifiers: readonly Identifier[],
    other: readonly IdentityWrite[],
  ): Promise<IdentityPersist> {
    const updatedAt = new Date(now()).toISOString();
    let writes = 0;
    let transactions = 0;
    const mappingChunk = MAX_IDENTITY_TRANSACTION;
    const chunks: Identifier[][] = [];
    for (let i = 0; i < identifiers.length; i += mappingChunk)
      chunks.push(identifiers.slice(i, i + mappingChunk));
    for (const chunk of chunks) {
      let attempt = 0;
      for (;;) {
        attempt++;
        const current = await store.getMappings(chunk);
        const batch: IdentityWrite[] = [];
        chunk.forEach((identifier, i) => {
          const profileId = resolver.lookup(identifier)?.profileId;
          const stored = current[i];
          if (profileId === undefined || stored?.profileId === profileId) return;
          batch.push({
            kind: 'put-mapping',
            identifier,
            profileId,
            expectedVersion: stored?.version ?? null,
            updatedAt,
          });
        });
        if (batch.length === 0) break;
        const res = await store.transact(batch);
        transactions++;
        if (res.ok) {
          writes += batch.length;
          break;
        }
        if (res.reason !== 'conflict') {
          throw new IdentityStoreError(`identity store refused a transaction: ${res.reason}`);
        }
        if (attempt >= maxAttempts) return { ok: false, reason: 'conflict', key: res.key, attempts: attempt };
      }
    }
    // Links, merges and redirects are idempotent puts: no conditions, chunked.
    for (let i = 0; i < other.length; i += MAX_IDENTITY_TRANSACTION) {
      const batch = other.slice(i, i + MAX_IDENTITY_TRANSACTION);
      const res = await store.transact(batch);
      transactions++;
      if (!res.ok) throw new IdentityStoreError(`identity store refused a transaction: ${res.reason}`);
      writes += batch.length;
    }
    return { ok: true, value: { writes, transactions } };
  }

  function changeWrites(changes: IdentityChanges): IdentityWrite[] {
    const out: IdentityWrite[] = [];
    for (const m of changes.merges) {
      out.push({ kind: 'put-merge', merge: m });
      for (const from of m.from) out.push({ kind: 'put-redirect', from, to: m.into });
    }
    for (const s of changes.splits) {
      const to = resolver.currentProfileId(s.from);
      if (to !== undefined && to !== s.from) out.push({ kind: 'put-redirect', from: s.from, to });
    }
    return out;
  }

  return {
    async writeResolution(resolved, eventId) {
      const other = changeWrites(resolved);
      for (const id of resolved.identifiers) {
        if (keyOf(id) === keyOf(resolved.primaryIdentifier)) continue;
        const link = resolver.linkBetween(resolved.primaryIdentifier, id);
        if (link && link.eventId === eventId) other.push({ kind: 'put-link', link });
      }
      return persist(touchedIdentifiers(resolved, resolved.identifiers), other);
    },
    async writeChanges(changes) {
      return persist(touchedIdentifiers(changes, []), changeWrites(changes));
    },
    async writeMappings(identifiers) {
      const touched = new Map<string, Identifier>();
      for (const identifier of identifiers) {
        touched.set(keyOf(identifier), identifier);
        for (const other of resolver.lookup(identifier)?.identifiers ?? []) touched.set(keyOf(other), other);
      }
      const list = [...touched.values()];
      const redirects = new Map<string, string>();
      for (let i = 0; i < list.length; i += MAX_IDENTITY_TRANSACTION) {
        for (const stored of await store.getMappings(list.slice(i, i + MAX_IDENTITY_TRANSACTION))) {
          if (stored === undefined) continue;
          const to = resolver.currentProfileId(stored.profileId);
          if (to !== undefined && to !== stored.profileId) redirects.set(stored.profileId, to);
        }
      }
      const other: IdentityWrite[] = [...redirects].map(([from, to]) => ({ kind: 'put-redirect', from, to }));
      return persist(list, other);
    },
  };
}
