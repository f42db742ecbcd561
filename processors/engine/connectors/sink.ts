/**
 * Writes a job's results (Flink's `SinkWriter`). The engine calls `write` with batches in order, never
 * more than one at a time, and waits for a returned promise before the next one.
 *
 * Idempotency contract: delivery is at-least-once. After a failure the job restores its last checkpoint
 * and replays, so records emitted after that checkpoint are written again, with the same values in the
 * same order per key. A sink must therefore make each write idempotent (upsert by a deterministic id,
 * or a conditional write guarded by a version such as the window end or the last applied offset).
 * Before a checkpoint completes, the engine waits until every earlier write resolved.
 */
export interface SinkWriter<T> {
  write(records: readonly T[]): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Creates one writer per task (group of partitions). */
export interface Sink<T> {
  createWriter(context: { taskIndex: number; parallelism: number }): SinkWriter<T>;
}
