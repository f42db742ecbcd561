import type { JobOptions, StreamExecutionEnvironment } from '../api/stream-execution-environment';
import type { JobResult } from '../runtime/job';

/**
 * Runs the environment's job synchronously until its bounded, synchronous sources end, then advances
 * the watermark to +∞ (every event-time window and timer fires) and flushes the sinks.
 */
export function runToCompletion(
  env: StreamExecutionEnvironment,
  jobName = 'test-job',
  options: JobOptions = {},
): JobResult {
  return env.createJob(jobName, options).runToCompletion();
}
