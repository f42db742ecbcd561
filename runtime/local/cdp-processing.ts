import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { LogEntry } from '../../adapters/local/file-event-log';
import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { LakeWriter } from '../../contracts/ports/lake-writer';
import type { SegmentStore } from '../../contracts/ports/segment-store';
import type { SegmentDefinition } from '../../contracts/segment-definition';
import type { Source, SourceBatch } from '../../processors/engine/connectors/source';
import {
  createProfilePipeline,
  type PipelineCheckpoint,
  PipelineConfig,
  type PipelineConfigInput,
  type PipelineInput,
  type ProfilePipeline,
} from '../../processors/pipeline';
import { createSegmentEvaluator, DEFAULT_SEGMENT_DEFINITIONS } from '../../processors/segments';
import { parseProfileApiConfig, profileApiPlugin } from '../../services/profile-api';
import type { LocalProcessing, ProcessingDeps } from './create-local-runtime';
import type { LocalJob } from './job-runner';
import { createResolverIdentityView, type MergeLog, recordMergeRows } from './resolver-identity-view';
import type { ScheduledTask } from './scheduler';
import { isServingChanges, trackServingStores } from './serving-changes';
import { restoreServingStores, type ServingSnapshot } from './serving-snapshot';
import type { SqlSegmentRefresh } from './sql-segment-refresh';

/** The job name of the CDP pipeline in the embedded runtime (names its checkpoints and lease table). */
export const CDP_JOB = 'profiles';

/** The serving side of a checkpoint written before incremental checkpoints: the stores whole. */
interface CdpServingSnapshot {
  readonly stores: ServingSnapshot;
  readonly merges: readonly (readonly [string, MergeLog extends Map<string, infer V> ? V : never])[];
}

/**
 * How long a publish runs before it lets the collector and the Profile API in (they share the thread):
 * a publish of thousands of profiles (after a GC pause or a checkpoint, or when many timers fire) took
 * up to ~140 ms in one piece, and every acknowledgement and read waited behind it.
 */
const PUBLISH_SLICE_MS = 8;

/**
 * Timelines not written for a minute are packed into bytes outside the JS heap (smaller heap, shorter
 * scavenges). Writes pack a few as they go; this packs the rest when writes stop (after a replay, a
 * restore), a slice of timelines at a time (~1.5 ms each) so that reads and acknowledgements get in.
 */
const COLD_TIMELINES_EVERY_MS = 5_000;
const COLD_TIMELINES_PER_SLICE = 50;

function packColdTimelines(profiles: { packColdTimelines(maxPacks: number): number }): ScheduledTask {
  return {
    name: 'pack-cold-timelines',
    everyMs: COLD_TIMELINES_EVERY_MS,
    async run(signal) {
      while (
        !signal.aborted &&
        profiles.packColdTimelines(COLD_TIMELINES_PER_SLICE) === COLD_TIMELINES_PER_SLICE
      )
        await yieldToEventLoop();
    },
  };
}

/** The log's entries as the pipeline reads them (the event already parsed). */
function pipelineSource(source: Source<LogEntry>): Source<PipelineInput> {
  return {
    partitions: () => source.partitions(),
    createReader(partition, offset) {
      const reader = source.createReader(partition, offset);
      const map = (b: SourceBatch<LogEntry>): SourceBatch<PipelineInput> => ({
        ...b,
        records: b.records.map((e) => ({
          shardId: e.shardId,
          sequenceNumber: e.sequenceNumber ?? String(e.sequence),
          data: e.event,
        })),
      });
      return {
        poll(max) {
          const b = reader.poll(max);
          return b instanceof Promise ? b.then(map) : map(b);
        },
      };
    },
  };
}

/**
 * The CDP in the embedded runtime: the profile pipeline (dedupe, identity, profiles, real-time
 * segments, the shipped defaults unless others are given) over the log, writing memory stores that the Profile API
 * (mounted next to the collector, read key as `Authorization: Bearer`) serves, and the lake.
 */
export function cdpProcessing(options: {
  /** The Profile API's key; without it the API is not mounted (as for `cdp replay`). */
  readonly readKey?: string;
  readonly pipeline?: PipelineConfigInput;
  /** The real-time segment definitions (`segments-setting.ts`); default: the shipped ones. */
  readonly segments?: readonly SegmentDefinition[];
  /** The SQL segment refresh (`sql-segment-refresh.ts`), given the serving segment store it syncs into. */
  readonly sqlSegments?: (stores: { readonly segments: SegmentStore }) => SqlSegmentRefresh;
}): (deps: ProcessingDeps) => LocalProcessing {
  return (deps) => {
    const config = PipelineConfig.parse({ jobName: CDP_JOB, ...options.pipeline });
    const clock = { now: deps.clock };
    const merges: MergeLog = new Map();
    const serving = trackServingStores(
      createMemoryProfileStore({ now: deps.clock }),
      createMemorySegmentStore(),
      merges,
    );
    const { profiles, segments } = serving;
    let pipeline: ProfilePipeline | undefined;
    const identities = createResolverIdentityView(() => pipeline?.identity, merges);
    // the pipeline's lake rows also feed the merge records the Profile API explains identities with
    const lake: LakeWriter = {
      write(records) {
        recordMergeRows(records, merges, serving.mergesChanged);
        return deps.lake.write(records);
      },
      flush: () => deps.lake.flush(),
    };
    const rules = createSegmentEvaluator(options.segments ?? DEFAULT_SEGMENT_DEFINITIONS);
    const sqlSegments = options.sqlSegments?.({ segments });
    // listed by the Profile API from the start, even before anyone is a member
    for (const d of rules.definitions)
      void segments.defineSegment({ segmentId: d.id, source: 'realtime', description: d.description });

    return {
      spec: {
        jobName: config.jobName,
        createJob(source, restoreFrom): LocalJob {
          let catchingUp = false;
          const p = createProfilePipeline(config, {
            source: pipelineSource(source),
            profileStore: profiles,
            segmentStore: segments,
            lakeWriter: lake,
            clock,
            segments: rules,
            incrementalCheckpoints: true,
            publishSlices: {
              sliceMs: PUBLISH_SLICE_MS,
              // catching up, nobody waits for a record to show: no turns for others (a microtask)
              yield: () => (catchingUp ? Promise.resolve() : yieldToEventLoop()),
            },
            ...(restoreFrom === undefined
              ? {}
              : {
                  restoreFrom: {
                    ...(restoreFrom.state as Omit<PipelineCheckpoint, 'engine'>),
                    engine: restoreFrom.engine,
                  },
                }),
          });
          pipeline = p;
          return {
            step: async () => {
              await p.step();
            },
            processed: () => p.stats().records,
            publish: async (progress) => {
              catchingUp = progress?.behind ?? false;
              await p.flush();
            },
            async checkpoint(mark) {
              const { engine, ...state } = await p.checkpoint(mark);
              return { engine, state };
            },
          };
        },
        snapshotServing: (mark) => serving.capture(mark),
        async restoreServing(snapshot) {
          if (isServingChanges(snapshot)) {
            await serving.restore(snapshot);
            return;
          }
          const s = snapshot as CdpServingSnapshot | undefined;
          if (s === undefined) return;
          // a checkpoint of the whole stores (older format): restored through the tracked stores, so that
          // the first incremental checkpoint holds all of it
          for (const [into] of s.merges) serving.mergesChanged(into);
          await restoreServingStores(
            s.stores,
            { profiles, segments },
            deps.clock() + config.profiles.activityTtlMs,
          );
          for (const [into, list] of s.merges) merges.set(into, [...list]);
        },
      },
      schedules: [packColdTimelines(profiles), ...(sqlSegments?.schedules ?? [])],
      routes:
        options.readKey === undefined
          ? undefined
          : async (app) => {
              await app.register(profileApiPlugin, {
                config: parseProfileApiConfig({ readKey: options.readKey as string }),
                deps: {
                  profiles,
                  segments,
                  identities,
                  clock: deps.clock,
                  profileIds: config.identity,
                  servingReads: profiles,
                },
              });
              sqlSegments?.routes(app, options.readKey as string);
            },
    };
  };
}
