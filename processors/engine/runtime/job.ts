import type { EnvironmentConfig } from '../api/stream-execution-environment';
import type { Transformation } from '../api/transformation';
import type { Checkpoint } from '../checkpoint/checkpoint';

/** Options of {@link Job.run}. */
export interface RunOptions {
  /** Stops the job (after the current round) when aborted. */
  readonly signal?: AbortSignal;
  /** Takes a checkpoint (to the environment's checkpoint storage) every this many rounds. */
  readonly checkpointEveryRounds?: number;
  /** How long to wait when no partition had records (unbounded sources), in ms (default 50). */
  readonly idleWaitMs?: number;
}

/** What a finished run reports. */
export interface JobResult {
  readonly jobName: string;
  readonly recordsIn: number;
  readonly rounds: number;
  readonly checkpoints: number;
  /** True when every partition ended (bounded input) and the final watermark was emitted. */
  readonly finished: boolean;
}

/** A running instance of a job graph: one task per group of partitions. */
export class Job {
  constructor(
    readonly name: string,
    readonly transformations: readonly Transformation[],
    readonly config: EnvironmentConfig,
    readonly restoreFrom: Checkpoint | undefined,
  ) {}

  /** Polls every partition once and processes what came (sync sources only); false once all ended. */
  step(): boolean {
    throw new Error('not implemented yet');
  }

  /** Like {@link step}, awaiting asynchronous sources and sinks, and pausing while sinks are full. */
  stepAsync(): Promise<boolean> {
    throw new Error('not implemented yet');
  }

  /** Ends the input: emits the final watermark (fires every event-time timer) and flushes sinks. */
  finish(): void {
    throw new Error('not implemented yet');
  }

  /** A consistent snapshot at the current round boundary (sinks must have no write in flight). */
  checkpoint(): Checkpoint {
    throw new Error('not implemented yet');
  }

  /** Waits for in-flight sink writes, snapshots, and stores the checkpoint in the configured storage. */
  checkpointAsync(): Promise<Checkpoint> {
    throw new Error('not implemented yet');
  }

  /** Runs synchronously over synchronous sources and sinks until every partition ends, then finishes. */
  runToCompletion(): JobResult {
    throw new Error('not implemented yet');
  }

  /** Runs until the sources end or the signal aborts. */
  run(_options: RunOptions = {}): Promise<JobResult> {
    throw new Error('not implemented yet');
  }
}
