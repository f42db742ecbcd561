import type { LogEntry } from '../../adapters/local/file-event-log';
import { createLakeSink } from '../../adapters/local/lake-sink';
import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import { StreamExecutionEnvironment, WatermarkStrategy } from '../../processors/engine';
import type { Source } from '../../processors/engine/connectors/source';
import type { LocalJob, LocalJobSnapshot } from './job-runner';

/** The lake row of an accepted event: the canonical event as the log carries it, by event date. */
export function eventLakeRecord(entry: LogEntry): LakeRecord {
  return { table: 'events', timestamp: entry.event.timestamp, row: entry.event };
}

/**
 * A job that only archives the log into the lake's `events` table (every record once): what the
 * runtime runs when no processing is given, and a baseline for benchmarks.
 */
export function createEventsLakeJob(
  jobName: string,
  source: Source<LogEntry>,
  lake: LakeWriter,
  restoreFrom: LocalJobSnapshot | undefined,
): LocalJob {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 });
  env
    .fromSource(source, WatermarkStrategy.noWatermarks<LogEntry>(), 'event-log')
    .map(eventLakeRecord, 'events-to-lake')
    .sinkTo(createLakeSink(lake), { batchSize: 1000 }, 'lake-events');
  const job = env.createJob(jobName, { restoreFrom: restoreFrom?.engine });
  return {
    step: async () => {
      await job.stepAsync();
    },
    processed: () => job.result().recordsIn,
    publish: async () => undefined,
    checkpoint: async () => ({ engine: await job.checkpointAsync() }),
  };
}
