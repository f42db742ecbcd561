import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { LakeWriter } from '../../../contracts/ports/lake-writer';
import type { ProfileStore } from '../../../contracts/ports/profile-store';
import type { SegmentStore } from '../../../contracts/ports/segment-store';
import type { Clock } from '../../../processors/engine';
import {
  createProfilePipeline,
  type PipelineConfigInput,
  type PipelineInput,
  type ProfilePipeline,
  type RejectedRecord,
  type SegmentRules,
} from '../../../processors/pipeline';
import { MetricUnit, type Observability } from '../shared/observability';
import { appliedOffsets, InvocationSource } from './invocation-source';
import type { JobStateStore, LoadedJobState } from './job-state-store';

/** Settings of the stream processor (defaults suit Lambda's 120 s timeout). */
export interface StreamProcessorConfig {
  readonly pipeline?: PipelineConfigInput;
  /** How long a lease on the job state lasts; longer than one invocation takes. */
  readonly leaseMs?: number;
  /** How long an invocation waits for another one's lease before it fails (and is retried). */
  readonly leaseWaitMs?: number;
}

/** Stores, lake, clock and job state; the entry file builds them over DynamoDB and S3. */
export interface StreamProcessorDeps extends Observability {
  readonly jobState: JobStateStore;
  readonly profileStore: ProfileStore;
  readonly segmentStore: SegmentStore;
  readonly lakeWriter: LakeWriter;
  readonly clock: Clock;
  readonly segments?: SegmentRules;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** What an invocation did, beside the batch item failures it reports. */
export interface InvocationOutcome {
  readonly processed: number;
  readonly redelivered: number;
  readonly failedFrom?: string;
  readonly committedVersion?: number;
}

/** Another invocation held the job state's lease for longer than `leaseWaitMs`. */
export class LeaseBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseBusyError';
  }
}

/** A record after a failed one of its shard: not applied, so Lambda must deliver it again. */
export class NotAppliedAfterFailureError extends Error {
  constructor(sequenceNumber: string) {
    super(`record ${sequenceNumber} not applied: an earlier record of its shard failed`);
    this.name = 'NotAppliedAfterFailureError';
  }
}

/** `shardId-000000000001:4965...` → `shardId-000000000001`. */
export function shardIdOf(record: KinesisStreamRecord): string {
  const cut = record.eventID.lastIndexOf(':');
  if (cut <= 0) throw new Error(`Kinesis record eventID "${record.eventID}" has no shard id`);
  return record.eventID.slice(0, cut);
}

const DEFAULT_PIPELINE: PipelineConfigInput = { idlenessMs: 60_000 };

/** Acquires the job state's lease, waiting with jittered backoff up to `waitMs`. */
export async function acquireLease(
  deps: Pick<StreamProcessorDeps, 'jobState' | 'clock' | 'sleep' | 'random'>,
  owner: string,
  leaseMs: number,
  waitMs: number,
): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (await deps.jobState.tryAcquire(owner, deps.clock.now(), leaseMs)) return;
    if (Date.now() - start >= waitMs) {
      throw new LeaseBusyError(
        `the profile job's state stayed leased by another invocation for ${waitMs} ms`,
      );
    }
    await sleep(Math.min(1_000, 25 * 2 ** Math.min(attempt, 5)) * (0.5 + random()));
  }
}

/** The profile pipeline restored from a job state, reading from an invocation's source. */
export function restorePipeline(
  loaded: LoadedJobState,
  batchShards: Iterable<string>,
  config: PipelineConfigInput,
  deps: StreamProcessorDeps,
  onRejected: (r: RejectedRecord) => void,
): { source: InvocationSource; pipeline: ProfilePipeline } {
  const source = new InvocationSource(appliedOffsets(loaded.checkpoint), batchShards);
  const pipeline = createProfilePipeline(config, {
    source,
    profileStore: deps.profileStore,
    segmentStore: deps.segmentStore,
    lakeWriter: deps.lakeWriter,
    clock: deps.clock,
    ...(deps.segments ? { segments: deps.segments } : {}),
    ...(loaded.checkpoint ? { restoreFrom: loaded.checkpoint } : {}),
    onRejected,
  });
  return { source, pipeline };
}

/**
 * The stream processor: a Kinesis event source mapping batch through the profile job, exactly once in
 * effect. Under a lease on the job state (`STATE#job#<name>`), it restores the last committed
 * checkpoint (identity graph, keyed state, timers, per-shard watermarks and last applied sequence
 * numbers), feeds each record in order through Powertools' batch processor (redelivered records, at or
 * below their shard's applied sequence number, are skipped), flushes profiles, memberships, timeline
 * and side outputs (idempotent writes), and commits the new checkpoint on the version it loaded.
 * A record whose processing throws is reported with every later one (`ReportBatchItemFailures`), the
 * records before it are re-run on a clean restore and committed; a failed flush or commit fails the
 * whole invocation, which the event source mapping retries (bisecting) with nothing committed.
 */
export function createStreamProcessor(
  config: StreamProcessorConfig,
  deps: StreamProcessorDeps,
): (event: KinesisStreamEvent, context?: { awsRequestId?: string }) => Promise<KinesisStreamBatchResponse> {
  const pipelineConfig = { ...DEFAULT_PIPELINE, ...config.pipeline };
  const leaseMs = config.leaseMs ?? 150_000;
  const leaseWaitMs = config.leaseWaitMs ?? 60_000;
  const { logger, metrics } = deps;

  return async (event, context) => {
    const records = event.Records ?? [];
    const owner = `${context?.awsRequestId ?? 'local'}/${randomUUID()}`;
    const shards = [...new Set(records.map(shardIdOf))];
    let outcome: InvocationOutcome = { processed: 0, redelivered: 0 };
    await acquireLease(deps, owner, leaseMs, leaseWaitMs);
    let committed = false;
    try {
      const loaded = await deps.jobState.load();
      let rejected = 0;
      const onRejected = (r: RejectedRecord) => {
        rejected++;
        logger.warn('record rejected', {
          shardId: r.shardId,
          sequenceNumber: r.sequenceNumber,
          reason: r.reason,
          errors: r.errors.map((e) => e.path),
        });
      };
      let run = restorePipeline(loaded, shards, pipelineConfig, deps, onRejected);
      const applied: PipelineInput[] = [];
      let redelivered = 0;
      let failedFrom: string | undefined;

      const processor = new BatchProcessor(EventType.KinesisDataStreams);
      const response = await processPartialResponse(
        event,
        async (record: KinesisStreamRecord) => {
          const sequenceNumber = record.kinesis.sequenceNumber;
          if (failedFrom !== undefined) throw new NotAppliedAfterFailureError(sequenceNumber);
          const input: PipelineInput = {
            shardId: shardIdOf(record),
            sequenceNumber,
            data: Buffer.from(record.kinesis.data, 'base64').toString('utf8'),
          };
          try {
            if (!run.source.push(input)) {
              redelivered++;
              return;
            }
            await run.pipeline.step();
            applied.push(input);
          } catch (error) {
            failedFrom = sequenceNumber;
            logger.error('record failed; it and the rest of the batch will be redelivered', {
              shardId: input.shardId,
              sequenceNumber,
              error: error as Error,
            });
            throw error;
          }
        },
        processor,
        { processInParallel: false },
      );

      if (failedFrom !== undefined) {
        // The failed record may have left half-applied state: start again from the checkpoint with
        // only the records that went through.
        run = restorePipeline(loaded, shards, pipelineConfig, deps, () => {});
        for (const input of applied) {
          run.source.push(input);
          await run.pipeline.step();
        }
      }
      let committedVersion: number | undefined;
      if (applied.length > 0) {
        const checkpoint = await run.pipeline.checkpoint();
        await deps.jobState.commit(owner, loaded.version, checkpoint);
        committed = true;
        committedVersion = loaded.version + 1;
      }
      const stats = run.pipeline.stats();
      outcome = {
        processed: applied.length,
        redelivered,
        ...(failedFrom ? { failedFrom } : {}),
        ...(committedVersion ? { committedVersion } : {}),
      };
      metrics.addMetric('RecordsApplied', MetricUnit.Count, applied.length);
      metrics.addMetric('RecordsRedelivered', MetricUnit.Count, redelivered);
      metrics.addMetric('RecordsRejected', MetricUnit.Count, rejected);
      metrics.addMetric('DuplicateEvents', MetricUnit.Count, stats.duplicates);
      metrics.addMetric('LateEvents', MetricUnit.Count, stats.late);
      metrics.addMetric('ProfileMerges', MetricUnit.Count, stats.merges);
      metrics.addMetric('RecordsFailed', MetricUnit.Count, response.batchItemFailures.length);
      logger.info('batch processed', { shards, ...outcome, failures: response.batchItemFailures.length });
      return response;
    } finally {
      metrics.publishStoredMetrics();
      if (!committed) await deps.jobState.release(owner).catch(() => {});
    }
  };
}
