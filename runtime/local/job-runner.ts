import { setImmediate as nextTick } from 'node:timers/promises';
import type { FileEventLog, LogEntry } from '../../adapters/local/file-event-log';
import { fsyncDirectory } from '../../adapters/local/file-event-log';
import type { FileEventLogSource } from '../../adapters/local/file-event-log-source';
import { type FileLeaseTable, TRIM_HORIZON } from '../../adapters/local/file-lease-table';
import type { LocalLakeWriter } from '../../adapters/local/local-lake-writer';
import type { Checkpoint } from '../../processors/engine/checkpoint/checkpoint';
import type { FileCheckpointStorage } from '../../processors/engine/checkpoint/file-checkpoint-storage';
import type { Source } from '../../processors/engine/connectors/source';

/** A job the runtime drives round by round (the CDP pipeline, or the events-to-lake job). */
export interface LocalJob {
  /** One round: each shard polled once, what came processed. */
  step(): Promise<void>;
  /** Records read so far. */
  processed(): number;
  /** Makes what was processed visible: writes the serving stores, hands lake rows to the lake writer. */
  publish(): Promise<void>;
  /** Publishes, then snapshots: the engine's checkpoint (offsets, keyed state) and the job's own state. */
  checkpoint(): Promise<LocalJobSnapshot>;
}

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
  snapshotServing?(): unknown | Promise<unknown>;
  /** Loads what {@link snapshotServing} returned (into empty stores), before the job restores. */
  restoreServing?(snapshot: unknown): void | Promise<void>;
}

/** A checkpoint file of the embedded runtime: the engine's checkpoint plus the serving stores. */
export interface LocalCheckpoint extends Checkpoint {
  readonly jobState?: unknown;
  readonly serving?: unknown;
}

/** What the job runner needs. */
export interface JobRunnerDeps {
  readonly log: FileEventLog;
  readonly source: FileEventLogSource;
  readonly lake: LocalLakeWriter;
  readonly checkpoints: FileCheckpointStorage;
  readonly checkpointDirectory: string;
  readonly leases: FileLeaseTable;
  readonly clock?: () => number;
  /** Called when the job fails (the runtime stops: state is only ever restored from a checkpoint). */
  readonly onFatal: (error: unknown) => void;
}

/** Where the runner stands, for `/metrics`. */
export interface JobRunnerStats {
  readonly processed: number;
  readonly checkpointId: number;
  readonly checkpointAtMs: number | undefined;
  /** Per shard: the next sequence number a restart would replay from. */
  readonly checkpointedOffsets: ReadonlyMap<string, number>;
  readonly restoredFrom: number | undefined;
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
}

const IDLE_WAIT_MS = 50;

/** The engine's checkpoint without what the runtime added to the file. */
function stripLocal(c: LocalCheckpoint): Checkpoint {
  const { jobState: _state, serving: _serving, ...engine } = c;
  return engine;
}

function offsetsOf(checkpoint: Checkpoint): Map<string, number> {
  const out = new Map<string, number>();
  for (const task of checkpoint.tasks) {
    for (const p of task.partitions) out.set(p.partition, p.offset === undefined ? 0 : Number(p.offset));
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
  const latest = deps.checkpoints.latest(spec.jobName) as LocalCheckpoint | undefined;
  if (latest !== undefined) await spec.restoreServing?.(latest.serving);
  deps.lake.discardAfter(latest?.checkpointId ?? 0);
  const job = spec.createJob(
    deps.source,
    latest === undefined ? undefined : { engine: stripLocal(latest), state: latest.jobState },
  );

  let checkpointId = latest?.checkpointId ?? 0;
  let checkpointAtMs = latest?.takenAt;
  let checkpointedOffsets = latest ? offsetsOf(latest) : new Map(deps.log.shardIds.map((s) => [s, 0]));
  let lastCheckpointMs = clock();
  let lastDurationMs = 0;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** Set by a commit of new records, so the loop does not sleep past them. */
  let committed = false;
  /** Checkpoints asked for from outside the loop; the loop takes them between rounds. */
  let requested: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  deps.log.onCommit(() => {
    committed = true;
    wake?.();
  });

  const processed = () => job.processed();

  const caughtUp = () =>
    deps.log
      .positions()
      .every((p) => (deps.source.positionOf(p.shardId) ?? checkpointedOffsets.get(p.shardId) ?? 0) >= p.end);

  let processedAtCheckpoint = latest === undefined ? -1 : 0;

  async function checkpoint(force = false): Promise<void> {
    if (!force && processed() === processedAtCheckpoint) {
      // nothing read since: the last checkpoint still describes the state (timers re-fire on restore)
      checkpointAtMs = clock();
      lastCheckpointMs = checkpointAtMs;
      return;
    }
    processedAtCheckpoint = processed();
    const started = clock();
    const snapshot = await job.checkpoint();
    const c = snapshot.engine;
    await deps.lake.commit(c.checkpointId);
    const stored: LocalCheckpoint = {
      ...c,
      jobState: snapshot.state,
      serving: await spec.snapshotServing?.(),
    };
    await deps.checkpoints.store(stored);
    fsyncDirectory(deps.checkpointDirectory);
    const offsets = offsetsOf(c);
    deps.leases.checkpoint(
      new Map([...offsets].map(([shard, next]) => [shard, next === 0 ? TRIM_HORIZON : String(next - 1)])),
    );
    checkpointId = c.checkpointId;
    checkpointAtMs = c.takenAt;
    checkpointedOffsets = offsets;
    lastCheckpointMs = clock();
    lastDurationMs = lastCheckpointMs - started;
  }

  /**
   * A checkpoint is due after the configured interval, stretched to 4× the last checkpoint's duration
   * when the state is large: checkpoints (which copy the whole state) never take more than ~20% of the time.
   */
  const checkpointDue = () =>
    clock() - lastCheckpointMs >= Math.max(config.checkpointIntervalMs, 4 * lastDurationMs);

  /** One round; true when it read records. */
  let unpublished = false;
  let lastPublishMs = 0;

  /** One round; publishes at most every `publishIntervalMs` while busy, at once when input pauses. */
  async function round(): Promise<boolean> {
    const before = processed();
    await job.step();
    const got = processed() > before;
    unpublished ||= got;
    if (unpublished && (!got || clock() - lastPublishMs >= publishIntervalMs)) {
      unpublished = false;
      lastPublishMs = clock();
      await job.publish();
    }
    return got;
  }

  async function run(): Promise<void> {
    for (;;) {
      committed = false;
      const got = await round();
      const asked = requested;
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
      if (stopping && !got && caughtUp()) return;
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
    }),
  };
}
