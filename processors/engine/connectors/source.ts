/** A position in a partition (a Kinesis sequence number, a file offset, an index); opaque to the engine. */
export type Offset = string;

/**
 * What one poll of a partition returned. `nextOffset` is where to resume after all of `records`;
 * checkpoints are taken between polls, so it is the offset a checkpoint stores. `endOfPartition` is set
 * by bounded partitions once everything was read.
 */
export interface SourceBatch<T> {
  readonly records: readonly T[];
  readonly nextOffset: Offset;
  readonly endOfPartition?: boolean;
}

/** Reads one partition (Flink's split reader). */
export interface SourceReader<T> {
  /**
   * Up to `maxRecords` records from the current position; an empty batch when nothing is available now.
   * May return a promise (network sources); synchronous sources let jobs run without awaiting.
   */
  poll(maxRecords: number): SourceBatch<T> | Promise<SourceBatch<T>>;
  close?(): void | Promise<void>;
}

/**
 * A partitioned, replayable source (Flink's `Source`): partitions (shards) with offsets. Replaying a
 * partition from an offset must yield the same records in the same order; that is what makes restore
 * + replay equal to an uninterrupted run.
 */
export interface Source<T> {
  /** The partition ids, in a stable order. */
  partitions(): readonly string[];
  /** Opens a reader at `startOffset`, or at the beginning when undefined. */
  createReader(partition: string, startOffset: Offset | undefined): SourceReader<T>;
}
