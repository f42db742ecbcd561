import { randomUUID } from 'node:crypto';
import { MetricUnit } from '../shared/observability';
import {
  acquireLease,
  restorePipeline,
  type StreamProcessorConfig,
  type StreamProcessorDeps,
} from './stream-processor-handler';

/** What one tick did. */
export interface IdleTickOutcome {
  /** False before the stream processor committed anything (nothing to fire). */
  readonly ran: boolean;
  readonly profilesWritten: number;
  readonly segmentChanges: number;
  readonly committedVersion?: number;
}

/**
 * The scheduled tick for idle shards: under the job state's lease, restores the profile job, runs one
 * round with no new records (processing time advances to now, shards without records for the idleness
 * timeout stop holding the watermark back, due timers fire: session ends, time-driven segment changes
 * such as "no visit for 30 days"), flushes and commits. Writes nothing to the stream.
 */
export function createIdleTick(
  config: StreamProcessorConfig,
  deps: StreamProcessorDeps,
): (event?: unknown, context?: { awsRequestId?: string }) => Promise<IdleTickOutcome> {
  const pipelineConfig = { idlenessMs: 60_000, ...config.pipeline };
  const leaseMs = config.leaseMs ?? 150_000;
  const leaseWaitMs = config.leaseWaitMs ?? 30_000;
  return async (_event, context) => {
    const owner = `tick/${context?.awsRequestId ?? 'local'}/${randomUUID()}`;
    await acquireLease(deps, owner, leaseMs, leaseWaitMs);
    let committed = false;
    try {
      const loaded = await deps.jobState.load();
      if (loaded.checkpoint === undefined) return { ran: false, profilesWritten: 0, segmentChanges: 0 };
      const { pipeline } = restorePipeline(loaded, [], pipelineConfig, deps, () => {});
      await pipeline.step();
      const summary = await pipeline.flush();
      const checkpoint = await pipeline.checkpoint();
      await deps.jobState.commit(owner, loaded.version, checkpoint);
      committed = true;
      deps.metrics.addMetric('TickProfilesWritten', MetricUnit.Count, summary.profilesWritten);
      deps.metrics.addMetric('TickSegmentChanges', MetricUnit.Count, summary.segmentChanges);
      deps.logger.info('idle tick', { ...summary });
      return {
        ran: true,
        profilesWritten: summary.profilesWritten,
        segmentChanges: summary.segmentChanges,
        committedVersion: loaded.version + 1,
      };
    } finally {
      deps.metrics.publishStoredMetrics();
      if (!committed) await deps.jobState.release(owner).catch(() => {});
    }
  };
}
