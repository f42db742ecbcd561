import type { EnvironmentConfig } from '../api/stream-execution-environment';
import type { Transformation } from '../api/transformation';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { batchSize } from '../connectors/deserializing-source';
import type { SourceBatch } from '../connectors/source';
import { type PartitionRuntime, Task } from './task';

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

const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as { then?: unknown } | null)?.then === 'function';

/**
 * A running instance of a job graph: one task per group of partitions (partition i → task i mod
 * parallelism), all in this thread. A round polls every partition once (at most `maxBatchSize` records),
 * pushes the records through the chained operators, updates watermarks, fires processing-time timers
 * and hands buffered output to the sinks. Checkpoints are taken between rounds, so they are consistent.
 */
export class Job {
  readonly tasks: Task[];
  private rounds = 0;
  private checkpoints = 0;
  private nextCheckpointId: number;
  private lastRoundRecords = 0;
  private finished = false;

  constructor(
    readonly name: string,
    readonly transformations: readonly Transformation[],
    readonly config: EnvironmentConfig,
    readonly restoreFrom: Checkpoint | undefined,
  ) {
    const sources = transformations.filter((t) => t.kind === 'source');
    const source = sources[0];
    if (sources.length !== 1 || source === undefined || source.kind !== 'source') {
      throw new Error(`job ${name} needs exactly one source, has ${sources.length}`);
    }
    const n = config.parallelism;
    if (restoreFrom !== undefined && restoreFrom.parallelism !== n) {
      throw new Error(`checkpoint was taken with parallelism ${restoreFrom.parallelism}, the job has ${n}`);
    }
    const groups: string[][] = Array.from({ length: n }, () => []);
    source.source.partitions().forEach((p, i) => {
      (groups[i % n] as string[]).push(p);
    });
    this.tasks = groups.map(
      (ids, i) =>
        new Task(
          i,
          n,
          ids,
          transformations,
          config,
          restoreFrom?.tasks.find((t) => t.taskIndex === i),
        ),
    );
    this.nextCheckpointId = (restoreFrom?.checkpointId ?? 0) + 1;
  }

  /** Polls every partition once and processes what came (sync sources only); false once all ended. */
  step(): boolean {
    if (this.allEnded()) return false;
    const max = this.config.maxBatchSize;
    let records = 0;
    for (const task of this.tasks) {
      for (const p of task.partitions) {
        if (p.ended || p.reader === undefined) continue;
        const b = p.reader.poll(max);
        if (isPromise(b)) {
          throw new Error(
            `partition ${p.id} returned a promise: use run()/stepAsync() for asynchronous sources`,
          );
        }
        records += batchSize(b);
        task.processBatch(p, b);
      }
    }
    this.endRound(records);
    for (const task of this.tasks) for (const s of task.sinks) s.flushSync();
    return !this.allEnded();
  }

  /** Like {@link step}, awaiting asynchronous sources and sinks, and pausing while a sink is full. */
  async stepAsync(): Promise<boolean> {
    if (this.allEnded()) return false;
    const max = this.config.maxBatchSize;
    const polls: Array<[Task, PartitionRuntime, SourceBatch<unknown> | Promise<SourceBatch<unknown>>]> = [];
    for (const task of this.tasks) {
      for (const p of task.partitions) {
        if (p.ended || p.reader === undefined) continue;
        polls.push([task, p, p.reader.poll(max)]);
      }
    }
    // Await all polls together (a failed one rejects the round; no rejection is left unhandled), then
    // process them in partition order, so rounds are deterministic whatever order the polls resolve in.
    const batches = polls.some(([, , b]) => isPromise(b))
      ? await Promise.all(polls.map(([, , b]) => b))
      : polls.map(([, , b]) => b as SourceBatch<unknown>);
    let records = 0;
    for (let i = 0; i < polls.length; i++) {
      const [task, p] = polls[i] as (typeof polls)[number];
      const b = batches[i] as SourceBatch<unknown>;
      records += batchSize(b);
      task.processBatch(p, b);
    }
    this.endRound(records);
    // Backpressure: the source is not polled again while a sink holds `capacity` records or more.
    for (const task of this.tasks) {
      for (const s of task.sinks) {
        s.dispatch();
        while (s.pending() >= s.capacity) await s.waitForWrite();
      }
    }
    return !this.allEnded();
  }

  private endRound(records: number): void {
    const now = this.config.clock.now();
    for (const task of this.tasks) {
      // Idleness is decided on processing time, so re-evaluate partitions that had nothing to poll.
      task.updateWatermark();
      task.advanceProcessingTime(now);
      for (const s of task.sinks) s.dispatch();
    }
    this.rounds++;
    this.lastRoundRecords = records;
  }

  private allEnded(): boolean {
    for (const t of this.tasks) if (!t.allEnded()) return false;
    return true;
  }

  /** Ends the input: emits the final watermark (fires every event-time timer); sync sinks are flushed. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const task of this.tasks) task.finishInput();
    for (const task of this.tasks) for (const s of task.sinks) s.dispatch();
  }

  /**
   * A consistent snapshot at the current round boundary: source offsets, keyed state, timers and
   * watermarks. Needs every sink write acknowledged (sync sinks always are; else use checkpointAsync).
   */
  checkpoint(): Checkpoint {
    for (const task of this.tasks) for (const s of task.sinks) s.flushSync();
    return this.snapshot();
  }

  /** Waits until sinks acknowledged every earlier record, snapshots, and stores it in the checkpoint storage. */
  async checkpointAsync(): Promise<Checkpoint> {
    for (const task of this.tasks) for (const s of task.sinks) await s.flush();
    const c = this.snapshot();
    await this.config.checkpointStorage?.store(c);
    return c;
  }

  private snapshot(): Checkpoint {
    this.checkpoints++;
    return {
      checkpointId: this.nextCheckpointId++,
      jobName: this.name,
      takenAt: this.config.clock.now(),
      parallelism: this.config.parallelism,
      tasks: this.tasks.map((t) => t.snapshot()),
    };
  }

  /** Runs synchronously over synchronous sources and sinks until every partition ends, then finishes. */
  runToCompletion(): JobResult {
    while (this.step()) {
      if (this.lastRoundRecords === 0) {
        // A synchronous runner cannot wait for more input: it would spin forever.
        throw new Error(
          `job ${this.name}: a round read nothing but not every partition ended; runToCompletion needs bounded sources (use run() for unbounded ones)`,
        );
      }
    }
    this.finish();
    for (const task of this.tasks) for (const s of task.sinks) s.flushSync();
    return this.result();
  }

  /** Runs until the sources end (then finishes) or the signal aborts (then flushes and stops). */
  async run(options: RunOptions = {}): Promise<JobResult> {
    const every = options.checkpointEveryRounds;
    const idleWait = options.idleWaitMs ?? 50;
    for (;;) {
      if (options.signal?.aborted === true) break;
      const more = await this.stepAsync();
      if (!more) {
        this.finish();
        break;
      }
      if (every !== undefined && every > 0 && this.rounds % every === 0) await this.checkpointAsync();
      if (this.lastRoundRecords === 0) await new Promise((r) => setTimeout(r, idleWait));
    }
    for (const task of this.tasks) for (const s of task.sinks) await s.flush();
    return this.result();
  }

  /** Records read so far, rounds and checkpoints taken. */
  result(): JobResult {
    let recordsIn = 0;
    for (const t of this.tasks) recordsIn += t.recordsIn;
    return {
      jobName: this.name,
      recordsIn,
      rounds: this.rounds,
      checkpoints: this.checkpoints,
      finished: this.finished,
    };
  }

  /** Stops reading: closes the operators and the sink writers. */
  close(): void {
    for (const task of this.tasks) for (const op of task.operators) op.close();
  }
}
