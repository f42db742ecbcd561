import { compareSequenceNumbers } from '../../../adapters/aws/kinesis-sequence';
import type { Offset, Source, SourceBatch, SourceReader } from '../../../processors/engine';
import type { PipelineCheckpoint, PipelineInput } from '../../../processors/pipeline';

/** The shards a checkpoint knows, and the highest sequence number applied from each. */
export function appliedOffsets(
  checkpoint: PipelineCheckpoint | undefined,
): ReadonlyMap<string, Offset | undefined> {
  const out = new Map<string, Offset | undefined>();
  for (const task of checkpoint?.engine.tasks ?? []) {
    for (const p of task.partitions) out.set(p.partition, p.offset);
  }
  return out;
}

/** The later of two offsets (`''` and `undefined` are "none"). */
function later(a: Offset | undefined, b: string): Offset {
  return a === undefined || a === '' || compareSequenceNumbers(b, a) > 0 ? b : a;
}

/**
 * The event log as one Lambda invocation sees it: the shards the checkpoint knows plus the shards of
 * this batch. Records are pushed in as the batch is walked and read by the job in that order; a
 * shard's offset is the highest sequence number applied from it. Redeliveries are not filtered here:
 * with a parallelization factor above 1 Lambda runs several batches of one shard (by partition key)
 * whose sequence numbers interleave, so "at or below the applied sequence number" does not mean
 * "applied". The job's dedupe by event id (7 days, longer than the mapping's maximum record age) gives
 * a redelivered record no second effect.
 */
export class InvocationSource implements Source<PipelineInput> {
  private readonly queues = new Map<string, PipelineInput[]>();
  private readonly offsets = new Map<string, Offset | undefined>();

  constructor(known: ReadonlyMap<string, Offset | undefined>, batchShards: Iterable<string>) {
    for (const [shard, offset] of known) this.offsets.set(shard, offset);
    for (const shard of batchShards) if (!this.offsets.has(shard)) this.offsets.set(shard, undefined);
    for (const shard of this.offsets.keys()) this.queues.set(shard, []);
  }

  partitions(): readonly string[] {
    return [...this.offsets.keys()].sort();
  }

  /** Queues a record of a shard declared for this invocation. */
  push(record: PipelineInput): void {
    const queue = this.queues.get(record.shardId);
    if (queue === undefined) throw new Error(`shard ${record.shardId} was not declared for this invocation`);
    queue.push(record);
  }

  createReader(partition: string, startOffset: Offset | undefined): SourceReader<PipelineInput> {
    const queue = this.queues.get(partition) ?? [];
    let offset = startOffset;
    return {
      poll: (max): SourceBatch<PipelineInput> => {
        const records = queue.splice(0, max);
        for (const r of records) offset = later(offset, r.sequenceNumber);
        return { records, nextOffset: offset ?? '' };
      },
    };
  }
}
