import { compareSequenceNumbers } from '../../../adapters/aws/kinesis-sequence';
import type { Offset, Source, SourceBatch, SourceReader } from '../../../processors/engine';
import type { PipelineCheckpoint, PipelineInput } from '../../../processors/pipeline';

/** The shards a checkpoint knows, and the sequence number each was applied up to. */
export function appliedOffsets(
  checkpoint: PipelineCheckpoint | undefined,
): ReadonlyMap<string, Offset | undefined> {
  const out = new Map<string, Offset | undefined>();
  for (const task of checkpoint?.engine.tasks ?? []) {
    for (const p of task.partitions) out.set(p.partition, p.offset);
  }
  return out;
}

/**
 * The event log as one Lambda invocation sees it: the shards the checkpoint knows plus the shards of
 * this batch, each reader at its last applied sequence number. Records are pushed in as the batch is
 * walked; a record at or below its shard's applied sequence number is a redelivery and is refused by
 * `push` (false), so it has no second effect. Offsets are the last applied sequence number.
 */
export class InvocationSource implements Source<PipelineInput> {
  private readonly queues = new Map<string, PipelineInput[]>();
  private readonly applied = new Map<string, Offset | undefined>();

  constructor(known: ReadonlyMap<string, Offset | undefined>, batchShards: Iterable<string>) {
    for (const [shard, offset] of known) this.applied.set(shard, offset);
    for (const shard of batchShards) if (!this.applied.has(shard)) this.applied.set(shard, undefined);
    for (const shard of this.applied.keys()) this.queues.set(shard, []);
  }

  partitions(): readonly string[] {
    return [...this.applied.keys()].sort();
  }

  /** True when the record is new for its shard (queued); false for a redelivered one (dropped). */
  push(record: PipelineInput): boolean {
    const last = this.applied.get(record.shardId);
    if (last !== undefined && last !== '' && compareSequenceNumbers(record.sequenceNumber, last) <= 0)
      return false;
    const queue = this.queues.get(record.shardId);
    if (queue === undefined) throw new Error(`shard ${record.shardId} was not declared for this invocation`);
    const tail = queue.at(-1);
    if (tail !== undefined && compareSequenceNumbers(record.sequenceNumber, tail.sequenceNumber) <= 0)
      return false;
    queue.push(record);
    this.applied.set(record.shardId, record.sequenceNumber);
    return true;
  }

  createReader(partition: string, startOffset: Offset | undefined): SourceReader<PipelineInput> {
    const queue = this.queues.get(partition) ?? [];
    let offset = startOffset;
    return {
      poll: (max): SourceBatch<PipelineInput> => {
        const records = queue.splice(0, max);
        const last = records.at(-1);
        if (last !== undefined) offset = last.sequenceNumber;
        return { records, nextOffset: offset ?? '' };
      },
    };
  }
}
