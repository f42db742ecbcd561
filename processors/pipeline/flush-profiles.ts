import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { ActivityItem, ProfileDocument, SegmentChange } from '../../contracts/profile';
import type { Clock } from '../engine';
import {
  compareSequences,
  expireState,
  mergeAccumulators,
  type ProfileAccumulator,
  toDocument,
} from '../profiles';
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
  readonly activity: ReadonlyMap<string, ReadonlyMap<string, readonly ActivityItem[]>>;
  readonly lake: readonly LakeRecord[];
  /** The aggregate operator's watermark now (sessions that ended before it count as closed). */
  readonly watermark: number;
  /** Windows past their allowed lateness at this watermark are cleaned up. */
  readonly cleanupWatermark: number;
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

/** The slices of a profile in slice-key order (so merging them is deterministic). */
export function sortedSlices(state: ProfileState): ProfileAccumulator[] {
  return [...state.slices.keys()].sort().map((k) => state.slices.get(k) as ProfileAccumulator);
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
  const changes: SegmentChange[] = [];
  const membershipWrites: MembershipWrite[] = [];

  const exit = (profileId: string, segmentId: string) => {
    changes.push({ segmentId, profileId, source: 'realtime', change: 'exited', timestamp: nowIso });
    membershipWrites.push({ kind: 'remove', segmentId, profileId });
  };

  for (const profileId of input.dirty) {
    const state = deps.readState(profileId);
    if (state === undefined || state.slices.size === 0) continue;
    const slices = sortedSlices(state);
    expireState(slices, input.cleanupWatermark, now, settings);
    const merged =
      slices.length === 1
        ? (slices[0] as ProfileAccumulator)
        : slices.reduce((a, b) => mergeAccumulators(a, b, settings));
    const doc = toDocument(
      merged,
      {
        profileId,
        version: 0,
        mergedFrom: state.mergedFrom,
        updatedAt: nowIso,
        watermark: input.watermark,
      },
      settings,
    );
    doc.appliedSequences = Object.fromEntries([...state.sequences].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    docs.push(doc);
    if (segments !== undefined) {
      const now_ = segments.evaluate(doc, merged.recent, now).segmentIds;
      const inNow = new Set(now_);
      for (const [segmentId] of state.segments) {
        if (inNow.has(segmentId)) continue;
        state.segments.delete(segmentId);
        exit(profileId, segmentId);
      }
      for (const segmentId of now_) {
        if (state.segments.has(segmentId)) continue;
        state.segments.set(segmentId, now);
        changes.push({ segmentId, profileId, source: 'realtime', change: 'entered', timestamp: nowIso });
        membershipWrites.push({
          kind: 'add',
          membership: { segmentId, profileId, source: 'realtime', enteredAt: nowIso },
        });
      }
      const next = segments.nextChangeAt(doc, merged.recent, now);
      if (next !== undefined && Number.isFinite(next)) {
        access.as(profileId, (timers) => timers?.registerProcessingTimeTimer(next));
      }
    }
    deps.writeState(profileId, state);
  }
  for (const [profileId, removal] of input.removed) {
    for (const segmentId of [...removal.segments.keys()].sort()) exit(profileId, segmentId);
  }

  const { written, deleted, stale } = await writeDocuments(
    docs,
    input.removed.map(([id]) => id),
    deps,
  );

  let activityItems = 0;
  for (const [profileId, removal] of input.removed) {
    if (removal.into !== undefined) await deps.profileStore.moveActivity(profileId, removal.into);
  }
  const expiresAtMs = now + settings.activityTtlMs;
  for (const [profileId, bySlice] of [...input.activity].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const items: ActivityItem[] = [];
    for (const list of bySlice.values()) items.push(...list);
    if (items.length === 0) continue;
    activityItems += items.length;
    await deps.profileStore.appendActivity(profileId, items, expiresAtMs);
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

/** Writes documents and deletions in transactions of at most `maxWritesPerTransaction`, retrying conflicts. */
async function writeDocuments(
  docs: readonly ProfileDocument[],
  removed: readonly string[],
  deps: FlushDeps,
): Promise<{ written: number; deleted: number; stale: number }> {
  const size = deps.config.maxWritesPerTransaction;
  const items: ({ kind: 'put'; doc: ProfileDocument } | { kind: 'delete'; profileId: string })[] = [
    ...docs.map((doc) => ({ kind: 'put' as const, doc })),
    ...removed.map((profileId) => ({ kind: 'delete' as const, profileId })),
  ];
  let written = 0;
  let deleted = 0;
  let stale = 0;
  for (let i = 0; i < items.length; i += size) {
    const chunk = items.slice(i, i + size);
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
        const version = (current?.version ?? 0) + 1;
        writes.push({
          kind: 'put',
          document: { ...c.doc, version },
          expectedVersion: current?.version ?? null,
        });
        chunkWritten++;
      });
      const result = writes.length === 0 ? { ok: true as const } : await deps.profileStore.write(writes);
      if (result.ok) {
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
