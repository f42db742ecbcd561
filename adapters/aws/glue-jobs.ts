import {
  GetJobRunCommand,
  type GetJobRunCommandInput,
  type GlueClient,
  type JobRunState,
  StartJobRunCommand,
  type StartJobRunCommandInput,
} from '@aws-sdk/client-glue';
import { AwsAdapterError } from './aws-adapter-error';
import { describeError, isRetryable, sleep } from './retry';

/**
 * One run of a Glue job to start: its arguments (without the leading `--`). StartJobRun has no
 * idempotency token: a caller that retries a start must first look for the run it may have started.
 */
export interface GlueJobRunRequest {
  readonly jobName: string;
  /** Job arguments by name, e.g. `{ 'input-path': 's3://...' }` → `--input-path`. */
  readonly arguments: Readonly<Record<string, string>>;
  /** Retries this earlier (failed) run instead of starting a new one (Glue's `JobRunId`). */
  readonly retryOfRunId?: string;
  readonly timeoutMinutes?: number;
}

/** A job run as Glue reports it. */
export interface GlueJobRunStatus {
  readonly runId: string;
  readonly state: JobRunState | 'UNKNOWN';
  readonly errorMessage?: string;
  readonly startedOn?: Date;
  readonly completedOn?: Date;
}

/** Outcome of waiting for a run: succeeded, ended otherwise (with Glue's message), or still running at the timeout. */
export type GlueJobRunOutcome =
  | { readonly ok: true; readonly status: GlueJobRunStatus }
  | { readonly ok: false; readonly reason: 'failed' | 'timeout'; readonly status: GlueJobRunStatus };

const DONE: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED']);
const ARGUMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The `StartJobRun` input for a request: argument names get Glue's `--` prefix and are checked, so a
 * typo is an error here rather than an argument the script silently never reads.
 */
export function startJobRunInput(request: GlueJobRunRequest): StartJobRunCommandInput {
  const args: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.arguments)) {
    if (!ARGUMENT_NAME.test(name)) {
      throw new AwsAdapterError(
        `Glue job argument name "${name}" must be letters, digits, _ or - (no leading --)`,
      );
    }
    args[`--${name}`] = value;
  }
  return {
    JobName: request.jobName,
    Arguments: args,
    ...(request.retryOfRunId === undefined ? {} : { JobRunId: request.retryOfRunId }),
    ...(request.timeoutMinutes === undefined ? {} : { Timeout: request.timeoutMinutes }),
  };
}

/** The `GetJobRun` input for a run. */
export function getJobRunInput(jobName: string, runId: string): GetJobRunCommandInput {
  return { JobName: jobName, RunId: runId, PredecessorsIncluded: false };
}

/** Starting and following Glue job runs (the CRM import). */
export interface GlueJobs {
  start(request: GlueJobRunRequest): Promise<string>;
  status(jobName: string, runId: string): Promise<GlueJobRunStatus>;
  /** Polls with doubling delays (capped) until the run ends or `timeoutMs` passes. */
  waitFor(
    jobName: string,
    runId: string,
    options: { timeoutMs: number; firstDelayMs?: number; maxDelayMs?: number },
  ): Promise<GlueJobRunOutcome>;
}

/** The Glue client (built by the entry file), the clock and the wait. */
export interface GlueJobsDeps {
  readonly glue: Pick<GlueClient, 'send'>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Creates {@link GlueJobs}. */
export function createGlueJobs(deps: GlueJobsDeps): GlueJobs {
  const wait = deps.sleep ?? sleep;
  const now = deps.now ?? Date.now;
  const status = async (jobName: string, runId: string): Promise<GlueJobRunStatus> => {
    try {
      const res = await deps.glue.send(new GetJobRunCommand(getJobRunInput(jobName, runId)));
      const run = res.JobRun;
      return {
        runId,
        state: run?.JobRunState ?? 'UNKNOWN',
        ...(run?.ErrorMessage ? { errorMessage: run.ErrorMessage } : {}),
        ...(run?.StartedOn ? { startedOn: run.StartedOn } : {}),
        ...(run?.CompletedOn ? { completedOn: run.CompletedOn } : {}),
      };
    } catch (error) {
      if (isRetryable(error)) return { runId, state: 'UNKNOWN' };
      throw new AwsAdapterError(`GetJobRun ${jobName}/${runId} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  };
  return {
    async start(request) {
      const input = startJobRunInput(request);
      try {
        const res = await deps.glue.send(new StartJobRunCommand(input));
        if (res.JobRunId === undefined)
          throw new AwsAdapterError(`StartJobRun ${request.jobName} returned no run id`);
        return res.JobRunId;
      } catch (error) {
        if (error instanceof AwsAdapterError) throw error;
        throw new AwsAdapterError(`StartJobRun ${request.jobName} failed: ${describeError(error)}`, {
          cause: error,
          throttled: (error as { name?: string }).name === 'ConcurrentRunsExceededException',
        });
      }
    },
    status,
    async waitFor(jobName, runId, options) {
      const deadline = now() + options.timeoutMs;
      let delay = options.firstDelayMs ?? 5_000;
      for (;;) {
        const current = await status(jobName, runId);
        if (DONE.has(current.state)) {
          return current.state === 'SUCCEEDED'
            ? { ok: true, status: current }
            : { ok: false, reason: 'failed', status: current };
        }
        if (now() >= deadline) return { ok: false, reason: 'timeout', status: current };
        await wait(Math.min(delay, Math.max(0, deadline - now())));
        delay = Math.min(delay * 2, options.maxDelayMs ?? 60_000);
      }
    },
  };
}
