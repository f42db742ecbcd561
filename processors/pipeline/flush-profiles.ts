import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { ActivityItem, ProfileDocument, SegmentChange } from '../../contracts/profile';
import type { Clock } from '../engine';
import {
  compareSequences,
  expireState,
  mergeRecent,
  type ProfileAccumulator,
  sortStrings,
  toSlicesDocument,
} from '../profiles';
import { diffMemberships } from '../segments/diff-memberships';
import type { KeyedStateAccess } from './keyed-state-access';
import { segmentChangeRow } from './lake-rows';
import type { PipelineConfig } from './pipeline-config';
import type { ProfileState } from './profile-state';
import type { SegmentRules } from './segment-rules';

/** A profile that no longer exists (merged away or split): its document goes, its memberships end. */
export interface PendingRemoval {
  /** Where its identifiers went (the merge survivor), when one profile took them. */
  readonly into: string | undefined;
  readonly segments: ReadonlyMap<string, number>;
  /** The version this process last wrote it with. */
  readonly storedVersion: KnownVersion;
}

/** What one flush wrote. */
export interface FlushSummary {
  readonly profilesWritten: number;
  readonly profilesDeleted: number;
  /** Documents not written because the store already holds a later state (a replay after restore). */
  readonly staleSkipped: number;
  readonly segmentChanges: number;
  readonly activityItems: number;
  readonly lakeRows: number;
}

/** A store refused the pipeline's writes repeatedly (another writer keeps winning). */
export class PipelineWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineWriteError';
  }
}

export interface FlushInput {
  readonly dirty: readonly string[];
  readonly removed: readonly (readonly [string, PendingRemoval])[];
  /** New timeline items per profile. */
  readonly activity: ReadonlyMap<string, readonly ActivityItem[]>;
  readonly lake: readonly LakeRecord[];
  /** The aggregate operator's watermark now (sessions that ended before it count as closed). */
  readonly watermark: number;
  /** Windows past their allowed lateness at this watermark are cleaned up. */
  readonly cleanupWatermark: number;
  /** Register the segment definitions in the segment store (first flush of a process). */
  readonly defineSegments: boolean;
  /** Segment changes computed by earlier flushes that failed, and where this one adds its own. */
  readonly carried: { readonly changes: SegmentChange[]; readonly membershipWrites: MembershipWrite[] };
}

export interface FlushDeps {
  readonly config: PipelineConfig;
  readonly access: KeyedStateAccess;
  readState(profileId: string): ProfileState | undefined;
  writeState(profileId: string, state: ProfileState): void;
  readonly profileStore: ProfileStore;
  readonly segmentStore: SegmentStore;
  readonly lakeWriter: LakeWriter;
  readonly clock: Clock;
  readonly segments?: SegmentRules | undefined;
  /** The stored version of a profile as this process knows it. */
  knownVersion(profileId: string): KnownVersion;
  /** Records the version a document was written with. */
  wroteVersion(profileId: string, version: number): void;
  /** Lets others run between slices of a long flush (see {@link PublishSlices}); none by default. */
  readonly slices?: PublishSlices | undefined;
}

/**
 * A flush of many profiles (thousands after a pause, or when many timers fire at once) yields every
 * `sliceMs` of work, so that a process serving requests next to the job (cdp dev) answers them in
 * between instead of after the whole flush.
 */
export interface PublishSlices {
  readonly sliceMs: number;
  /** Resolves once others had their turn (in Node: `setImmediate` from `node:timers/promises`). */
  yield(): Promise<void>;
}

/** Between units of work: `if (slice.due()) await slice.pause()` yields once `sliceMs` passed. */
interface Slicer {
  due(): boolean;
  pause(): Promise<void>;
}

function slicer(slices: PublishSlices | undefined): Slicer {
  if (slices === undefined) return { due: () => false, pause: async () => undefined };
  let sliceStart = performance.now();
  return {
    due: () => performance.now() - sliceStart >= slices.sliceMs,
    async pause() {
      await slices.yield();
      sliceStart = performance.now();
    },
  };
}

/**
 * True when `stored` holds a later state than `next`: behind on some shard and ahead on none. That is
 * a replay after a restore, whose writes must not move the store back.
 */
export function isStale(stored: ProfileDocument, next: ProfileDocument): boolean {
  let behind = false;
  const shards = new Set([...Object.keys(stored.appliedSequences), ...Object.keys(next.appliedSequences)]);
  for (const shard of shards) {
    const a = next.appliedSequences[shard];
    const b = stored.appliedSequences[shard];
    if (a === undefined) behind = true;
    else if (b === undefined) return false;
    else {
      const c = compareSequences(a, b);
      if (c > 0) return false;
      if (c < 0) behind = true;
    }
  }
  return behind;
}

/** The timeline handed to segment rules that read none. */
const NO_ACTIVITY: readonly ActivityItem[] = Object.freeze([]);

/** The slices of a profile in slice-key order (so merging them is deterministic). */
export function sortedSlices(state: ProfileState): ProfileAccumulator[] {
  return sortStrings([...state.slices.keys()]).map((k) => state.slices.get(k) as ProfileAccumulator);
}

/**
 * Materializes the changed profiles (window cleanup, document, segment evaluation and timers) and
 * writes them: documents under version conditions (stale replays skipped), deletions of merged-away
 * profiles, timeline items, membership changes, lake rows.
 */
export async function flushProfiles(input: FlushInput, deps: FlushDeps): Promise<FlushSummary> {
  const { config, access, segments } = deps;
  const settings = config.profiles;
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const docs: ProfileDocument[] = [];
  // Kept by the caller until a flush succeeds: segment state moves on here, so a failed flush must
  // not lose the changes it computed (applying them twice has no second effect).
  const { changes, membershipWrites } = input.carried;

  const exit = (profileId: string, segmentId: string) => {
    changes.push({ segmentId, profileId, source: 'realtime', change: 'exited', timestamp: nowIso });
    membershipWrites.push({ kind: 'remove', segmentId, profileId });
  };

  const slice = slicer(deps.slices);
  for (const profileId of input.dirty) {
    if (slice.due()) await slice.pause();
    const state = deps.readState(profileId);
    if (state === undefined || state.slices.size === 0) continue;
    const slices = sortedSlices(state);
    expireState(slices, input.cleanupWatermark, now, settings);
    // The merge of the slices is only materialized as the document (and, for segments, the timeline).
    const doc = toSlicesDocument(
      slices,
      {
        profileId,
        version: 0,
        mergedFrom: state.mergedFrom,
        updatedAt: nowIso,
        watermark: input.watermark,
        appliedSequences: state.sequences,
      },
      settings,
    );
    docs.push(doc);
    if (segments !== undefined) {
      let recent: readonly ActivityItem[] = NO_ACTIVITY;
      if (segments.readsActivity !== false) {
        recent = (slices[0] as ProfileAccumulator).recent;
        for (let s = 1; s < slices.length; s++)
          recent = mergeRecent(
            recent as ActivityItem[],
            (slices[s] as ProfileAccumulator).recent,
            settings.recentActivityLimit,
          );
      }
      const after = segments.evaluate(doc, recent, now);
      // most flushes leave a profile's memberships as they were: no diff (its sets and arrays) then
      const changed =
        after.segmentIds.length !== state.segments.size ||
        after.segmentIds.some((id) => !state.segments.has(id));
      const diff = changed
        ? diffMemberships(
            { profileId, segmentIds: [...state.segments.keys()] },
            { profileId, segmentIds: after.segmentIds },
            nowIso,
          )
        : [];
      for (const change of diff) {
        changes.push(change);
        if (change.change === 'exited') {
          state.segments.delete(change.segmentId);
          membershipWrites.push({ kind: 'remove', segmentId: change.segmentId, profileId });
        } else {
          state.segments.set(change.segmentId, now);
          membershipWrites.push({
            kind: 'add',
            membership: { segmentId: change.segmentId, profileId, source: 'realtime', enteredAt: nowIso },
          });
        }
      }
      const next = segments.nextChangeAt(doc, recent, now);
      if (next !== undefined && Number.isFinite(next)) {
        access.as(profileId, (timers) => timers?.registerProcessingTimeTimer(next));
      }
    }
    deps.writeState(profileId, state);
  }
  for (const [profileId, removal] of input.removed) {
    for (const segmentId of [...removal.segments.keys()].sort()) exit(profileId, segmentId);
  }

  const writes: DocumentWrite[] = [
    ...docs.map((doc) => ({ kind: 'put' as const, doc, known: deps.knownVersion(doc.profileId) })),
    ...input.removed.map(([profileId, removal]) => ({
      kind: 'delete' as const,
      profileId,
      known: removal.storedVersion,
    })),
  ];
  if (slice.due()) await slice.pause();
  const { written, deleted, stale } = await writeDocuments(writes, deps, deps.wroteVersion, slice);

  let activityItems = 0;
  for (const [profileId, removal] of input.removed) {
    if (removal.into !== undefined) await deps.profileStore.moveActivity(profileId, removal.into);
  }
  const expiresAtMs = now + settings.activityTtlMs;
  for (const [profileId, items] of [...input.activity].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (items.length === 0) continue;
    if (slice.due()) await slice.pause();
    activityItems += items.length;
    await deps.profileStore.appendActivity(profileId, items, expiresAtMs);
  }

  if (input.defineSegments && segments !== undefined) {
    for (const d of segments.definitions) {
      await deps.segmentStore.defineSegment({
        segmentId: d.id,
        source: 'realtime',
        ...(d.description === undefined ? {} : { description: d.description }),
      });
    }
  }
  if (membershipWrites.length > 0) await deps.segmentStore.apply(membershipWrites);
  const rows = changes.length === 0 ? input.lake : [...input.lake, ...changes.map(segmentChangeRow)];
  if (rows.length > 0) await deps.lakeWriter.write(rows);
  await deps.lakeWriter.flush();
  return {
    profilesWritten: written,
    profilesDeleted: deleted,
    staleSkipped: stale,
    segmentChanges: changes.length,
    activityItems,
    lakeRows: rows.length,
  };
}

/** One document to write, or one to delete, with the version the job last wrote (null: never). */
type DocumentWrite =
  | { readonly kind: 'put'; readonly doc: ProfileDocument; readonly known: KnownVersion }
  | { readonly kind: 'delete'; readonly profileId: string; readonly known: KnownVersion };

/**
 * The stored version as this process last wrote it (null: it wrote none); `unknown` when it may have
 * changed since (state restored from a checkpoint, a write skipped as stale): read before writing.
 */
export type KnownVersion = number | null | 'unknown';

/**
 * Writes documents and deletions in transactions of at most `maxWritesPerTransaction`. First try:
 * conditional on the version this job wrote last (no read). On a conflict (after a restore the store
 * is ahead; or another writer), the chunk is re-read: documents the store already holds a later state
 * of are skipped (`isStale`), the others are written over the stored version. `onVersion` reports the
 * version each written document got.
 */
async function writeDocuments(
  items: readonly DocumentWrite[],
  deps: FlushDeps,
  onVersion: (profileId: string, version: number) => void,
  slice: Slicer,
): Promise<{ written: number; deleted: number; stale: number }> {
  const size = deps.config.maxWritesPerTransaction;
  let written = 0;
  let deleted = 0;
  let stale = 0;
  for (let i = 0; i < items.length; i += size) {
    if (slice.due()) await slice.pause();
    const chunk = items.slice(i, i + size);
    const optimistic: Parameters<ProfileStore['write']>[0][number][] = [];
    let optimisticDeletes = 0;
    const trusted = chunk.every((c) => c.known !== 'unknown');
    for (const c of trusted ? chunk : []) {
      if (c.known === 'unknown') continue;
      if (c.kind === 'put') {
        // the documents are this flush's own (built above, handed to nobody that keeps them): the
        // version is set in place, not on a copy of each
        c.doc.version = (c.known ?? 0) + 1;
        optimistic.push({ kind: 'put', document: c.doc, expectedVersion: c.known });
      } else if (c.known !== null) {
        optimistic.push({ kind: 'delete', profileId: c.profileId, expectedVersion: c.known });
        optimisticDeletes++;
      }
    }
    const first =
      !trusted || optimistic.length > 0
        ? trusted
          ? await deps.profileStore.write(optimistic)
          : { ok: false as const }
        : { ok: true as const };
    if (first.ok) {
      for (const w of optimistic) if (w.kind === 'put') onVersion(w.document.profileId, w.document.version);
      written += optimistic.length - optimisticDeletes;
      deleted += optimisticDeletes;
      continue;
    }
    for (let attempt = 1; ; attempt++) {
      const ids = chunk.map((c) => (c.kind === 'put' ? c.doc.profileId : c.profileId));
      const stored = await deps.profileStore.getMany(ids);
      const writes: Parameters<ProfileStore['write']>[0][number][] = [];
      let chunkWritten = 0;
      let chunkDeleted = 0;
      let chunkStale = 0;
      chunk.forEach((c, k) => {
        const current = stored[k];
        if (c.kind === 'delete') {
          if (current === undefined) return;
          writes.push({ kind: 'delete', profileId: c.profileId, expectedVersion: current.version });
          chunkDeleted++;
          return;
        }
        if (current !== undefined && isStale(current, c.doc)) {
          chunkStale++;
          return;
        }
        c.doc.version = (current?.version ?? 0) + 1;
        writes.push({ kind: 'put', document: c.doc, expectedVersion: current?.version ?? null });
        chunkWritten++;
      });
      const result = writes.length === 0 ? { ok: true as const } : await deps.profileStore.write(writes);
      if (result.ok) {
        for (const w of writes) if (w.kind === 'put') onVersion(w.document.profileId, w.document.version);
        written += chunkWritten;
        deleted += chunkDeleted;
        stale += chunkStale;
        break;
      }
      if (attempt >= 3) {
        throw new PipelineWriteError(
          `profile store kept refusing writes (version conflict on ${result.profileId} after ${attempt} attempts)`,
        );
      }
    }
  }
  return { written, deleted, stale };
}
