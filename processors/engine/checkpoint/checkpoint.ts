import type { Offset } from '../connectors/source';
import { capturesIn } from './keyed-table';

/** Serializes what incremental captures still hold (storages that copy a checkpoint at once need it). */
export function drainCapturesNow(checkpoint: unknown): void {
  for (const capture of capturesIn(checkpoint)) capture.drain(Number.POSITIVE_INFINITY);
}

/** What one partition contributed to a checkpoint: where to resume and its watermark generator's state. */
export interface PartitionCheckpoint {
  readonly partition: string;
  readonly offset: Offset | undefined;
  readonly ended: boolean;
  readonly watermarkState: unknown;
  readonly watermark: number;
  readonly idle: boolean;
}

/** What one operator contributed: keyed state, timers, its watermark, anything else it keeps. */
export interface OperatorCheckpoint {
  readonly operatorId: string;
  readonly state: unknown;
}

/** The snapshot of one task (group of partitions) at a checkpoint barrier. */
export interface TaskCheckpoint {
  readonly taskIndex: number;
  readonly partitions: readonly PartitionCheckpoint[];
  readonly combinedWatermark: number;
  readonly operators: readonly OperatorCheckpoint[];
}

/**
 * A consistent snapshot of a job: source offsets, keyed state, timers and watermarks, taken at the same
 * point of the input. Restoring it and replaying from its offsets gives the state of a run that never
 * failed. Plain structured-cloneable data (Maps included).
 */
export interface Checkpoint {
  readonly checkpointId: number;
  readonly jobName: string;
  readonly takenAt: number;
  readonly parallelism: number;
  readonly tasks: readonly TaskCheckpoint[];
}

/** Where completed checkpoints go (Flink's `CheckpointStorage`); a port with adapters. */
export interface CheckpointStorage {
  store(checkpoint: Checkpoint): void | Promise<void>;
  latest(jobName: string): Checkpoint | undefined | Promise<Checkpoint | undefined>;
}

/** Keeps checkpoints in memory (deep copies); for tests and the embedded runtime's default. */
export class InMemoryCheckpointStorage implements CheckpointStorage {
  private readonly byJob = new Map<string, Checkpoint[]>();
  store(checkpoint: Checkpoint): void {
    drainCapturesNow(checkpoint);
    const list = this.byJob.get(checkpoint.jobName) ?? [];
    list.push(structuredClone(checkpoint));
    this.byJob.set(checkpoint.jobName, list);
  }
  latest(jobName: string): Checkpoint | undefined {
    const list = this.byJob.get(jobName);
    const last = list?.[list.length - 1];
    return last === undefined ? undefined : structuredClone(last);
  }
  all(jobName: string): readonly Checkpoint[] {
    return this.byJob.get(jobName) ?? [];
  }
}
