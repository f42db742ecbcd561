import type { Checkpoint, CheckpointStorage } from '../checkpoint/checkpoint';
import type { Source } from '../connectors/source';
import { Job, type JobResult, type RunOptions } from '../runtime/job';
import { createInMemoryStateBackend } from '../state/in-memory-state-backend';
import type { StateBackend } from '../state/state-backend';
import { type Clock, systemClock } from '../time';
import type { WatermarkStrategy } from '../watermark/watermark-strategy';
import { DataStream, type JobGraphBuilder } from './data-stream';
import type { Transformation } from './transformation';

/** How jobs of an environment run. */
export interface EnvironmentConfig {
  /** Tasks (groups of partitions) the job runs as; partition i goes to task i mod parallelism. */
  readonly parallelism: number;
  /** Records fetched per poll of a partition (the source's bounded queue). */
  readonly maxBatchSize: number;
  readonly clock: Clock;
  readonly stateBackend: StateBackend;
  readonly checkpointStorage: CheckpointStorage | undefined;
}

/** Options of one job run. */
export interface JobOptions {
  /** Starts from this checkpoint: restores state and resumes the source at its offsets. */
  readonly restoreFrom?: Checkpoint;
}

/** Builds and runs job graphs (Flink's `StreamExecutionEnvironment`). */
export class StreamExecutionEnvironment implements JobGraphBuilder {
  readonly config: EnvironmentConfig;
  private readonly transformations: Transformation[] = [];
  private readonly usedIds = new Set<string>();
  private counter = 0;

  private constructor(config: EnvironmentConfig) {
    if (!Number.isInteger(config.parallelism) || config.parallelism < 1) {
      throw new Error(`parallelism must be a positive integer, got ${config.parallelism}`);
    }
    if (!Number.isInteger(config.maxBatchSize) || config.maxBatchSize < 1) {
      throw new Error(`maxBatchSize must be a positive integer, got ${config.maxBatchSize}`);
    }
    this.config = config;
  }

  /** An environment; defaults: parallelism 1, 1,000 records per poll, wall clock, in-memory state. */
  static create(config: Partial<EnvironmentConfig> = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment({
      parallelism: config.parallelism ?? 1,
      maxBatchSize: config.maxBatchSize ?? 1000,
      clock: config.clock ?? systemClock,
      stateBackend: config.stateBackend ?? createInMemoryStateBackend(),
      checkpointStorage: config.checkpointStorage,
    });
  }

  /** Adds the job's source; records get timestamps and partitions watermarks from `strategy`. */
  fromSource<T>(source: Source<T>, strategy: WatermarkStrategy<T>, name = 'source'): DataStream<T> {
    if (this.transformations.some((t) => t.kind === 'source')) {
      throw new Error('a job has exactly one source (union of sources is not supported)');
    }
    const t: Transformation = {
      kind: 'source',
      id: this.nextId('source', name),
      source: source as Source<unknown>,
      strategy: strategy as WatermarkStrategy<unknown>,
    };
    this.add(t);
    return new DataStream<T>(this, t);
  }

  /** The job graph built so far. */
  getTransformations(): readonly Transformation[] {
    return this.transformations;
  }

  add(t: Transformation): void {
    this.transformations.push(t);
  }

  nextId(kind: string, uid?: string): string {
    const id = uid ?? `${kind}-${++this.counter}`;
    if (this.usedIds.has(id)) throw new Error(`duplicate operator uid "${id}"`);
    this.usedIds.add(id);
    return id;
  }

  /** Instantiates the job graph as a runnable {@link Job} (step it, checkpoint it, run it). */
  createJob(jobName: string, options: JobOptions = {}): Job {
    return new Job(jobName, this.transformations, this.config, options.restoreFrom);
  }

  /** Runs the job until its (bounded) sources end, or until `options.signal` aborts. */
  execute(jobName: string, options: JobOptions & RunOptions = {}): Promise<JobResult> {
    return this.createJob(jobName, options).run(options);
  }
}
