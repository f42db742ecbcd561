import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** A Kinesis record as GetRecords returned it. */
export interface ShardRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly arrivedAt: Date;
}

/** How the simulated event source mapping behaves (the settings `stacks/stream-processing.ts` sets). */
export interface EsmSettings {
  readonly batchSize: number;
  /** Retries after the first attempt before the batch goes to the on-failure destination. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
}

/** What the driver did, for assertions. */
export interface EsmLog {
  invocations: number;
  functionErrors: number;
  partialFailures: number;
  sentToDlq: { shardId: string; start: string; end: string; size: number }[];
}

type Handler = (
  event: KinesisStreamEvent,
  context: { awsRequestId: string },
) => Promise<KinesisStreamBatchResponse | undefined>;

/** Reads every record of every shard of a stream (GetRecords from TRIM_HORIZON until caught up). */
export async function readShards(
  kinesis: KinesisClient,
  streamName: string,
): Promise<Map<string, ShardRecord[]>> {
  const shards = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const out = new Map<string, ShardRecord[]>();
  for (const shard of shards.Shards ?? []) {
    const shardId = shard.ShardId as string;
    const records: ShardRecord[] = [];
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? []) {
        records.push({
          shardId,
          sequenceNumber: r.SequenceNumber as string,
          partitionKey: r.PartitionKey as string,
          data: r.Data as Uint8Array,
          arrivedAt: r.ApproximateArrivalTimestamp ?? new Date(),
        });
      }
      if ((res.Records ?? []).length === 0 || res.MillisBehindLatest === 0) break;
      iterator = res.NextShardIterator;
    }
    out.set(shardId, records);
  }
  return out;
}

/** The event Lambda's Kinesis event source mapping hands the function for these records. */
export function kinesisEvent(records: readonly ShardRecord[], streamArn: string): KinesisStreamEvent {
  return {
    Records: records.map(
      (r): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.partitionKey,
          sequenceNumber: r.sequenceNumber,
          data: Buffer.from(r.data).toString('base64'),
          approximateArrivalTimestamp: r.arrivedAt.getTime() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${r.shardId}:${r.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/stream-processor',
        awsRegion: 'us-east-1',
        eventSourceARN: streamArn,
      }),
    ),
  };
}

/**
 * Drives a stream handler the way Lambda's Kinesis event source mapping does, over records read from a
 * real stream: batches of `batchSize` in shard order; a returned `batchItemFailures` restarts from the
 * lowest failed sequence number; a function error splits the batch in two when
 * `bisectBatchOnFunctionError` (each half a new batch) and retries a batch of one as it is; after
 * `maximumRetryAttempts` retries the batch's metadata goes to the
 * on-failure SQS queue (Lambda's `KinesisBatchInfo` shape) and the shard moves on.
 */
export function createEsmDriver(
  settings: EsmSettings,
  deps: { handler: Handler; sqs: SQSClient; queueUrl: string; streamArn: string },
) {
  const log: EsmLog = { invocations: 0, functionErrors: 0, partialFailures: 0, sentToDlq: [] };

  async function toDlq(batch: readonly ShardRecord[], attempts: number): Promise<void> {
    const first = batch[0] as ShardRecord;
    const last = batch.at(-1) as ShardRecord;
    log.sentToDlq.push({
      shardId: first.shardId,
      start: first.sequenceNumber,
      end: last.sequenceNumber,
      size: batch.length,
    });
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: attempts },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          version: '1.0',
          timestamp: new Date().toISOString(),
          KinesisBatchInfo: {
            shardId: first.shardId,
            startSequenceNumber: first.sequenceNumber,
            endSequenceNumber: last.sequenceNumber,
            approximateArrivalOfFirstRecord: first.arrivedAt.toISOString(),
            approximateArrivalOfLastRecord: last.arrivedAt.toISOString(),
            batchSize: batch.length,
            streamArn: deps.streamArn,
          },
        }),
      }),
    );
  }

  /** Delivers one batch until it is done or given up; `attempt` counts invocations so far. */
  async function deliver(batch: readonly ShardRecord[], attempt: number): Promise<void> {
    if (batch.length === 0) return;
    log.invocations++;
    let response: KinesisStreamBatchResponse | undefined;
    try {
      response = await deps.handler(kinesisEvent(batch, deps.streamArn), {
        awsRequestId: `inv-${log.invocations}`,
      });
    } catch {
      log.functionErrors++;
      // A split is not a retry: each half is a new batch with its own retries.
      if (settings.bisectBatchOnFunctionError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await deliver(batch.slice(0, half), 0);
        await deliver(batch.slice(half), 0);
        return;
      }
      if (attempt >= settings.maximumRetryAttempts) return toDlq(batch, attempt + 1);
      return deliver(batch, attempt + 1);
    }
    const failed = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    if (failed.length === 0) return;
    log.partialFailures++;
    const from = batch.findIndex((r) => failed.includes(r.sequenceNumber));
    const rest = batch.slice(Math.max(from, 0));
    if (attempt >= settings.maximumRetryAttempts) return toDlq(rest, attempt + 1);
    return deliver(rest, attempt + 1);
  }

  return {
    log,
    deliver,
    /** Every record of one shard, batch after batch. */
    async drainShard(records: readonly ShardRecord[]): Promise<void> {
      for (let i = 0; i < records.length; i += settings.batchSize) {
        await deliver(records.slice(i, i + settings.batchSize), 0);
      }
    },
  };
}
