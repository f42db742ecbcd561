import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { Offset, Source, SourceBatch, SourceReader } from '../../processors/engine/connectors/source';
import { AwsAdapterError } from './aws-adapter-error';
import { describeError, isRetryable } from './retry';

/** One record read from a shard. */
export interface KinesisRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Epoch ms when Kinesis took the record. */
  readonly approximateArrivalTimestamp: number | undefined;
}

/**
 * Where a reader starts when it has no offset: an offset of `""` (or none) means the oldest record
 * (`TRIM_HORIZON`); `"TRIM_HORIZON"` and `"LATEST"` are also accepted, as in the KCL lease table;
 * any other offset is a sequence number to read after.
 */
export const START_OF_SHARD: Offset = '';

/** Which stream to read and how much per call. */
export interface KinesisSourceConfig {
  readonly streamName: string;
  /** GetRecords `Limit` ceiling (Kinesis allows 10,000); the engine's `maxRecords` may ask for fewer. */
  readonly maxRecordsPerCall?: number;
}

/** The client, built by the entry file. */
export interface KinesisSourceDeps {
  readonly kinesis: Pick<KinesisClient, 'send'>;
}

/**
 * The event stream as the engine's `Source`: one partition per shard (listed once, when created;
 * shards added by resharding later are not picked up), readers that poll GetRecords and resume after
 * the last sequence number they returned. A closed shard ends once read to its end. Throttled or
 * failed polls return an empty batch (the engine polls again); an expired iterator is renewed.
 */
export async function createKinesisSource(
  config: KinesisSourceConfig,
  deps: KinesisSourceDeps,
): Promise<Source<KinesisRecord>> {
  const shards: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const res = await deps.kinesis.send(
        new ListShardsCommand(
          nextToken === undefined ? { StreamName: config.streamName } : { NextToken: nextToken },
        ),
      );
      for (const s of res.Shards ?? []) if (s.ShardId !== undefined) shards.push(s.ShardId);
      nextToken = res.NextToken;
    } while (nextToken !== undefined);
  } catch (error) {
    throw new AwsAdapterError(`ListShards of ${config.streamName} failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  shards.sort();
  return {
    partitions: () => shards,
    createReader: (partition, startOffset) => {
      if (!shards.includes(partition))
        throw new AwsAdapterError(`unknown shard ${partition} of ${config.streamName}`);
      return createShardReader(config, deps, partition, startOffset);
    },
  };
}

function createShardReader(
  config: KinesisSourceConfig,
  deps: KinesisSourceDeps,
  shardId: string,
  startOffset: Offset | undefined,
): SourceReader<KinesisRecord> {
  const maxPerCall = Math.min(config.maxRecordsPerCall ?? 10_000, 10_000);
  let position: Offset = startOffset ?? START_OF_SHARD;
  let iterator: string | undefined;
  let ended = false;

  const openIterator = async (): Promise<string | undefined> => {
    const type: ShardIteratorType =
      position === START_OF_SHARD || position === 'TRIM_HORIZON'
        ? 'TRIM_HORIZON'
        : position === 'LATEST'
          ? 'LATEST'
          : 'AFTER_SEQUENCE_NUMBER';
    const res = await deps.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: config.streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position } : {}),
      }),
    );
    return res.ShardIterator;
  };

  return {
    async poll(maxRecords): Promise<SourceBatch<KinesisRecord>> {
      if (ended) return { records: [], nextOffset: position, endOfPartition: true };
      try {
        iterator ??= await openIterator();
        if (iterator === undefined) {
          ended = true;
          return { records: [], nextOffset: position, endOfPartition: true };
        }
        const res = await deps.kinesis.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: Math.max(1, Math.min(maxRecords, maxPerCall)),
          }),
        );
        const records: KinesisRecord[] = (res.Records ?? []).map((r) => ({
          shardId,
          sequenceNumber: r.SequenceNumber!,
          partitionKey: r.PartitionKey ?? '',
          data: r.Data ?? new Uint8Array(),
          approximateArrivalTimestamp: r.ApproximateArrivalTimestamp?.getTime(),
        }));
        if (records.length > 0) position = records[records.length - 1]!.sequenceNumber;
        iterator = res.NextShardIterator;
        if (iterator === undefined) ended = true; // a closed shard, read to its end
        return { records, nextOffset: position, ...(ended ? { endOfPartition: true } : {}) };
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'ExpiredIteratorException') {
          iterator = undefined;
          return { records: [], nextOffset: position };
        }
        if (isRetryable(error)) return { records: [], nextOffset: position };
        throw new AwsAdapterError(
          `GetRecords on ${config.streamName}/${shardId} failed: ${describeError(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
