import { setImmediate as nextTick } from 'node:timers/promises';
import type { LogEntry } from '../../adapters/local/file-event-log';
import type { LocalLakeWriter } from '../../adapters/local/local-lake-writer';
import type { Checkpoint, CheckpointStorage } from '../../processors/engine/checkpoint/checkpoint';
import type { Source } from '../../processors/engine/connectors/source';

/** A job the runtime drives round by round (the CDP pipeline, or the events-to-lake job). */
export interface LocalJob {
  /** One round: each shard polled once, what came processed. */
  step(): Promise<void>;
  /** Records read so far. */
  processed(): number;
  /**
   * Makes what was processed visible: writes the serving stores, hands lake rows to the lake writer.
   * `behind`: the job is far behind the log's end (catching up), when nobody waits for one record to
   * become visible, so a publish need not yield to requests between its slices.
   */
  publish(progress?: { readonly behind: boolean }): Promise<void>;
  /**
   * Publishes, then snapshots: the engine's checkpoint (offsets, keyed state) and the job's own state.
   * `mark(step)` records how long `step` took since the previous mark (for `/metrics`).
   */
  checkpoint(mark?: CheckpointMark): Promise<LocalJobSnapshot>;
}

/** Records that a step of a checkpoint's pause ended now (its duration: since the previous mark). */
export type CheckpointMark = (step: string) => void;

/** What a job's checkpoint holds. */
export interface LocalJobSnapshot {
  readonly engine: Checkpoint;
  /** State the job keeps outside the engine (the identity graph), restored with it. */
  readonly state?: unknown;
}

/** What the runtime runs on the log: how to create (or restore) the job, and its serving stores. */
export interface LocalJobSpec {
  readonly jobName: string;
  /** Creates the job reading `source`, resumed from `restoreFrom` when given. */
  createJob(source: Source<LogEntry>, restoreFrom: LocalJobSnapshot | undefined): LocalJob;
  /** The serving stores' content, snapshotted with each checkpoint. */
  snapshotServing?(mark?: CheckpointMark): unknown | Promise<unknown>;
  /** Loads what {@link snapshotServing} returned (into empty stores), before the job restores. */
  restoreServing?(snapshot: unknown): void | Promise<void>;
}

/** A checkpoint file of the embedded runtime: the engine's checkpoint plus the serving stores. */
export interface LocalCheckpoint extends Checkpoint {
  readonly jobState?: unknown;
  readonly serving?: unknown;
}

/**
 * The log as the runner reads it: its source, a signal for new records, where its end is, and the
 * lease table the checkpointed offsets are mirrored to (the embedded file log, or Kinesis + DynamoDB).
 */
export interface LocalLogConsumer {
  readonly source: Source<LogEntry>;
  /** Calls `listener` when new records were appended (so the loop does not sleep past them). */
  onAppended(listener: () => void): void;
  /** True when every shard was read to the log's end (`checkpointed`: offsets of unopened readers). */
  caughtUp(checkpointed: ReadonlyMap<string, string>): boolean;
  /** Records between what was read and the log's end, over all shards, when the log can tell. */
  lag?(checkpointed: ReadonlyMap<string, string>): number;
  /** Writes the engine offsets of a completed checkpoint to the lease table. */
  checkpointLeases(offsets: ReadonlyMap<string, string>): void | Promise<void>;
}

/** What the job runner needs. */
export interface JobRunnerDeps {
  readonly consumer: LocalLogConsumer;
  readonly lake: LocalLakeWriter;
  readonly checkpoints: CheckpointStorage;
  readonly clock?: () => number;
  /** Called when the job fails (the runtime stops: state is only ever restored from a checkpoint). */
  readonly onFatal: (error: unknown) => void;
}

/** Where the runner stands, for `/metrics`. */
export interface JobRunnerStats {
  readonly processed: number;
  readonly checkpointId: number;
  readonly checkpointAtMs: number | undefined;
  /** Per shard: the engine offset a restart would replay from (shards absent: not checkpointed yet). */
  readonly checkpointedOffsets: ReadonlyMap<string, string>;
  readonly restoredFrom: number | undefined;
  /** How long the last checkpoint took (ms); the job pauses meanwhile. */
  readonly lastCheckpointDurationMs: number;
  /** How long the last round took (ms). */
  readonly lastRoundMs: number;
  /**
   * The median of the last rounds (ms): how long the job's rounds take now, without the one a GC
   * pause stretched (the checkpoint write takes slices as long, so that it keeps up when catching up).
   */
  readonly typicalRoundMs: number;
  /** How long each step of the last checkpoint took (ms), by step name, in order. */
  readonly lastCheckpointPhasesMs: ReadonlyMap<string, number>;
  /**
   * The longest round and the longest publish (ms) since {@link JobRunner.resetLongest}: what kept
   * requests waiting (a round runs without yielding; a publish yields only between its slices).
   */
  readonly longestRoundMs: number;
  readonly longestPublishMs: number;
}

/** Runs a job over the log with periodic checkpoints; restores the latest checkpoint on creation. */
export interface JobRunner {
  /** Starts the processing loop. */
  start(): void;
  /** Processes every record appended so far, takes a last checkpoint and stops the loop. */
  drainAndStop(): Promise<void>;
  /** Takes a checkpoint now (between rounds). */
  checkpointNow(): Promise<void>;
  /** Processes until every shard's position reached the log's end (for replay and tests). */
  catchUp(): Promise<void>;
  stats(): JobRunnerStats;
  /** Starts the next period of `longestRoundMs` and `longestPublishMs` (as `/metrics` reads them). */
  resetLongest(): void;
}

const IDLE_WAIT_MS = 50;
/**
 * Records behind the log's end from which the job counts as catching up (a replay, a restart after a
 * long stop): a second or two of a busy local CDP. Then its publishes run without yielding to requests:
 * every yield let the background checkpoint write take a turn as long as a round, and a replay of
 * 1,000,000 logged events ran at ~4,400 instead of ~10,000 events/s.
 */
const BEHIND_RECORDS = 10_000;

/** Rounds whose median is the typical round. */
const TYPICAL_ROUNDS = 9;

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The engine's checkpoint without what the runtime added to the file. */
function stripLocal(c: LocalCheckpoint): Checkpoint {
  const { jobState: _state, serving: _serving, ...engine } = c;
  return engine;
}

function offsetsOf(checkpoint: Checkpoint): Map<string, string> {
  const out = new Map<string, string>();
  for (const task of checkpoint.tasks) {
    for (const p of task.partitions) if (p.offset !== undefined) out.set(p.partition, p.offset);
  }
  return out;
}

/**
 * Creates the runner: restores the serving stores and the job from the latest checkpoint (deleting
 * lake files of checkpoints that never completed), so a restart replays only from the checkpoint's
 * offsets. A checkpoint is: the job's snapshot (after every sink write is acknowledged), then the lake
 * files of that checkpoint, then the checkpoint file (atomic), then the lease table.
 */
export async function createJobRunner(
  spec: LocalJobSpec,
  config: {
    checkpointIntervalMs: number;
    /** While records keep coming, serving stores are written at most this often (default 20 ms). */
    publishIntervalMs?: number;
  },
  deps: JobRunnerDeps,
): Promise<JobRunner> {
  const clock = deps.clock ?? Date.now;
  const publishIntervalMs = config.publishIntervalMs ?? 20;
  const latest = (await deps.checkpoints.latest(spec.jobName)) as LocalCheckpoint | undefined;
  if (latest !== undefined) await spec.restoreServing?.(latest.serving);
  deps.lake.discardAfter(latest?.checkpointId ?? 0);
  const job = spec.createJob(
    deps.consumer.source,
    latest === undefined ? undefined : { engine: stripLocal(latest), state: latest.jobState },
  );

  let checkpointId = latest?.checkpointId ?? 0;
  let checkpointAtMs = latest?.takenAt;
  let checkpointedOffsets = latest ? offsetsOf(latest) : new Map<string, string>();
  /** When the last checkpoint started (or was found unnecessary). */
  let lastCheckpointMs = clock();
  let lastDurationMs = 0;
  let lastPauseMs = 0;
  let lastRoundMs = 0;
  /** The last rounds' durations (ms), a ring of {@link TYPICAL_ROUNDS}. */
  const recentRoundsMs: number[] = [];
  let nextRound = 0;
  let longestRoundMs = 0;
  let longestPublishMs = 0;
  let lastPhases: ReadonlyMap<string, number> = new Map();
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** Set by a commit of new records, so the loop does not sleep past them. */
  let committed = false;
  /** Checkpoints asked for from outside the loop; the loop takes them between rounds. */
  let requested: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  deps.consumer.onAppended(() => {
    committed = true;
    wake?.();
  });

  const processed = () => job.processed();

  const caughtUp = () => deps.consumer.caughtUp(checkpointedOffsets);
  const behind = () => (deps.consumer.lag?.(checkpointedOffsets) ?? 0) > BEHIND_RECORDS;

  let processedAtCheckpoint = latest === undefined ? -1 : 0;

  /** The second half of the last checkpoint (writing it), while the job goes on; one at a time. */
  let writing: Promise<void> | undefined;
  /** Why the last background write failed (the loop stops on it). */
  let writeError: { error: unknown } | undefined;
  const throwIfWriteFailed = () => {
    if (writeError !== undefined) throw writeError.error;
  };

  /**
   * Takes a checkpoint in two halves (Flink's synchronous and asynchronous parts). The job pauses only
   * for the first: the pipeline publishes and snapshots (keyed state as copy-on-write captures of the
   * keys changed since the last checkpoint), the lake takes the rows staged so far, the serving stores
   * capture their changes. The second half runs while the job goes on: the lake files of the
   * checkpoint, the checkpoint's delta file (serialized a chunk at a time) and its manifest (which
   * completes it), then the lease table. `wait`: resolve only once it completed.
   */
  async function checkpoint(force = false, wait = force): Promise<void> {
    await writing;
    throwIfWriteFailed();
    if (!force && processed() === processedAtCheckpoint) {
      // nothing read since: the last checkpoint still describes the state (timers re-fire on restore)
      checkpointAtMs = clock();
      lastCheckpointMs = checkpointAtMs;
      return;
    }
    processedAtCheckpoint = processed();
    const started = clock();
    lastCheckpointMs = started;
    const phases = new Map<string, number>();
    const pauseStart = performance.now();
    let phaseStart = pauseStart;
    let markStart = pauseStart;
    const phase = (name: string) => {
      const now = performance.now();
      phases.set(name, now - phaseStart);
      phaseStart = now;
      markStart = now;
    };
    // steps inside a phase (`job.flush`, `serving.documents`, ...)
    const mark: CheckpointMark = (step) => {
      const now = performance.now();
      phases.set(step, now - markStart);
      markStart = now;
    };
    const snapshot = await job.checkpoint(mark);
    phase('job');
    const c = snapshot.engine;
    const lakeWritten = deps.lake.commit(c.checkpointId); // takes the staged rows now
    mark('lake.commit');
    const serving = await spec.snapshotServing?.(mark);
    phase('serving');
    lastPauseMs = performance.now() - pauseStart;
    phases.set('pause', lastPauseMs);
    const stored: LocalCheckpoint = { ...c, jobState: snapshot.state, serving };
    const write = async () => {
      await lakeWritten;
      phase('lake');
      await deps.checkpoints.store(stored); // durable once it resolves (files and folder fsynced)
      phase('store');
      const offsets = offsetsOf(c);
      await deps.consumer.checkpointLeases(offsets);
      phase('leases');
      lastPhases = phases;
      checkpointId = c.checkpointId;
      checkpointAtMs = c.takenAt;
      checkpointedOffsets = offsets;
      lastDurationMs = clock() - started;
    };
    const done = write().catch((error: unknown) => {
      writeError = { error };
    });
    writing = done.finally(() => {
      writing = undefined;
    });
    if (wait) {
      await writing;
      throwIfWriteFailed();
    }
  }

  /**
   * A checkpoint is due the configured interval after the previous one started (as Flink triggers
   * them), once that one completed; the interval is stretched to 4× the job's last pause for one when
   * the changes are large (the pauses never take more than ~20% of the time). A slow background write
   * (a busy disk) thus delays the next checkpoint only by what it overran the interval.
   */
  const checkpointDue = () =>
    clock() - lastCheckpointMs >= Math.max(config.checkpointIntervalMs, 4 * lastPauseMs);

  /** One round; true when it read records. */
  let unpublished = false;
  let lastPublishMs = 0;

  /** One round; publishes at most every `publishIntervalMs` while busy, at once when input pauses. */
  async function round(): Promise<boolean> {
    const before = processed();
    const started = performance.now();
    await job.step();
    lastRoundMs = performance.now() - started;
    recentRoundsMs[nextRound] = lastRoundMs;
    nextRound = (nextRound + 1) % TYPICAL_ROUNDS;
    if (lastRoundMs > longestRoundMs) longestRoundMs = lastRoundMs;
    const got = processed() > before;
    unpublished ||= got;
    if (unpublished && (!got || clock() - lastPublishMs >= publishIntervalMs)) {
      unpublished = false;
      lastPublishMs = clock();
      const publishStarted = performance.now();
      await job.publish({ behind: behind() });
      const publishMs = performance.now() - publishStarted;
      if (publishMs > longestPublishMs) longestPublishMs = publishMs;
    }
    return got;
  }

  async function run(): Promise<void> {
    for (;;) {
      committed = false;
      throwIfWriteFailed();
      const got = await round();
      const asked = requested;
      // Due while the previous one is still being written (the lake and disk slower than the job, as
      // when catching up): the job waits for it, so that checkpoints, and the rows staged for the lake,
      // never fall further behind than one interval.
      if (asked.length > 0 || checkpointDue()) {
        requested = [];
        try {
          await checkpoint(asked.length > 0);
          for (const a of asked) a.resolve();
        } catch (error: unknown) {
          for (const a of asked) a.reject(error);
          throw error;
        }
      }
      if (stopping && !got && caughtUp()) {
        await writing;
        throwIfWriteFailed();
        return;
      }
      if (got || committed || stopping) {
        await nextTick(); // let HTTP requests in between rounds
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, IDLE_WAIT_MS);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    }
  }

  async function catchUp(): Promise<void> {
    if (loop) throw new Error('catchUp is for a runner that was not started');
    while (!caughtUp()) {
      await round();
      if (checkpointDue()) await checkpoint();
    }
  }

  return {
    start() {
      loop ??= run().catch((error: unknown) => {
        for (const a of requested) a.reject(error);
        deps.onFatal(error);
      });
    },
    async drainAndStop() {
      stopping = true;
      wake?.();
      if (loop) await loop;
      else await catchUp();
      await checkpoint(true);
    },
    checkpointNow() {
      if (!loop) return checkpoint(true);
      return new Promise<void>((resolve, reject) => {
        requested.push({ resolve, reject });
        wake?.();
      });
    },
    catchUp,
    stats: () => ({
      processed: processed(),
      checkpointId,
      checkpointAtMs,
      checkpointedOffsets,
      restoredFrom: latest?.checkpointId,
      lastCheckpointDurationMs: lastDurationMs,
      lastRoundMs,
      typicalRoundMs: median(recentRoundsMs),
      lastCheckpointPhasesMs: lastPhases,
      longestRoundMs,
      longestPublishMs,
    }),
    resetLongest() {
      longestRoundMs = 0;
      longestPublishMs = 0;
    },
  };
}
