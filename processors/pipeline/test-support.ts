import { createMemoryProfileStore, type MemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { SegmentStore } from '../../contracts/ports/segment-store';
import { profileFigures } from '../../contracts/profile-figures';
import { InMemorySource, ManualClock } from '../engine';
import type { PipelineInput } from './decode-event';
import type { PublishSlices } from './flush-profiles';
import type { PipelineConfigInput } from './pipeline-config';
import {
  createProfilePipeline,
  type PipelineCheckpoint,
  type ProfilePipeline,
  type RejectedRecord,
} from './profile-pipeline';
import type { SegmentRules } from './segment-rules';

/** A lake writer that keeps rows in memory (a fake of our own port), counting flushes. */
export function createMemoryLake(): LakeWriter & { rows: LakeRecord[]; flushes: number } {
  const lake = {
    rows: [] as LakeRecord[],
    flushes: 0,
    async write(records: readonly LakeRecord[]) {
      lake.rows.push(...records);
    },
    async flush() {
      lake.flushes++;
    },
  };
  return lake;
}

/** Event-log records of events, one shard, sequence numbers in order. */
export function asRecords(
  events: readonly (CanonicalEvent | string)[],
  shardId = 'shard-0',
): PipelineInput[] {
  return events.map((e, i) => ({
    shardId,
    sequenceNumber: String(1000 + i),
    data: typeof e === 'string' ? e : JSON.stringify(e),
  }));
}

/** A pipeline over in-memory stores, a manual clock and one in-memory shard per list. */
export interface TestPipeline {
  readonly pipeline: ProfilePipeline;
  readonly profiles: MemoryProfileStore;
  readonly segments: SegmentStore;
  readonly lake: ReturnType<typeof createMemoryLake>;
  readonly clock: ManualClock;
  readonly rejected: RejectedRecord[];
}

/** Builds a test pipeline; `shards` are the records of each shard. */
export function createTestPipeline(
  shards: readonly (readonly PipelineInput[])[],
  options: {
    config?: PipelineConfigInput;
    now?: number;
    rules?: SegmentRules;
    restoreFrom?: PipelineCheckpoint;
    stores?: Pick<TestPipeline, 'profiles' | 'segments' | 'lake' | 'clock'>;
    bounded?: boolean;
    publishSlices?: PublishSlices;
  } = {},
): TestPipeline {
  const clock =
    options.stores?.clock ?? new ManualClock(options.now ?? Date.parse('2026-06-01T00:00:00.000Z'));
  const profiles = options.stores?.profiles ?? createMemoryProfileStore({ now: () => clock.now() });
  const segments = options.stores?.segments ?? createMemorySegmentStore();
  const lake = options.stores?.lake ?? createMemoryLake();
  const rejected: RejectedRecord[] = [];
  const source = new InMemorySource<PipelineInput>(shards, { bounded: options.bounded ?? true });
  const pipeline = createProfilePipeline(options.config ?? {}, {
    source,
    profileStore: profiles,
    segmentStore: segments,
    lakeWriter: lake,
    clock,
    ...(options.rules === undefined ? {} : { segments: options.rules }),
    ...(options.restoreFrom === undefined ? {} : { restoreFrom: options.restoreFrom }),
    ...(options.publishSlices === undefined ? {} : { publishSlices: options.publishSlices }),
    onRejected: (r) => rejected.push(r),
  });
  return { pipeline, profiles, segments, lake, clock, rejected };
}

const DAY = 86_400_000;

/** Simple rules standing in for the segment evaluator: two by counters, one by time. */
export const testRules: SegmentRules = {
  definitions: [{ id: 'buyers' }, { id: 'big-spenders' }, { id: 'quiet' }],
  evaluate(doc, _activity, nowMs) {
    const ids: string[] = [];
    if (doc.totalPurchases > 0) ids.push('buyers');
    if (doc.lifetimeValue > 100 && doc.totalPurchases > 1) ids.push('big-spenders');
    if (profileFigures(doc, nowMs).daysSinceLastVisit > 3) ids.push('quiet');
    return { segmentIds: ids };
  },
  nextChangeAt(doc, _activity, nowMs) {
    const at = Date.parse(doc.lastSeen) + 4 * DAY;
    return at > nowMs ? at : undefined;
  },
};
