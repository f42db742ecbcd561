import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { EVENT_STREAM } from '../../contracts/aws-resources';
import type { AppendedRecord, EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import { AwsAdapterError } from './aws-adapter-error';
import { chunkBySize } from './chunks';
import {
  DEFAULT_RETRY_POLICY,
  type RetryDeps,
  type RetryPolicy,
  sendRetryingFailed,
  validRetryPolicy,
} from './retry';

/** Kinesis's PutRecords limits: 500 records and 5 MiB per request, 1 MiB per record (key included). */
export const PUT_RECORDS_LIMITS = {
  maxRecords: EVENT_STREAM.maxPutRecords,
  maxRequestBytes: 5 * 1024 * 1024,
  maxRecordBytes: EVENT_STREAM.maxRecordBytes,
} as const;

/** Which stream to append to and how hard to retry. */
export interface KinesisEventLogConfig {
  readonly streamName: string;
  readonly retry?: RetryPolicy;
}

/** The Kinesis client (built by the entry file) and the retry loop's clock and dice. */
export interface KinesisEventLogDeps extends RetryDeps {
  readonly kinesis: Pick<KinesisClient, 'send'>;
}

/** The bytes a record puts on the stream: the canonical event as UTF-8 JSON (see `EVENT_STREAM`). */
export function encodeEventRecord(record: EventLogRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record.event), 'utf8');
}

/**
 * The event log on Kinesis Data Streams. `append` sends PutRecords in chunks of ≤ 500 records / 5 MiB,
 * retries only the records Kinesis refused (throttled or failed) with full-jitter backoff, and resolves
 * with every record's shard and sequence number once all are stored. When records are still refused
 * after the last attempt it rejects with an {@link AwsAdapterError} (`throttled` set for throughput
 * errors, the SDK error or error codes as `cause`): nothing may then be acknowledged, although some
 * records may be on the stream (consumers dedupe by event id). A resent record lands after records of
 * the same key that were taken first: order within a key is by event time, not by stream position.
 */
export function createKinesisEventLog(config: KinesisEventLogConfig, deps: KinesisEventLogDeps): EventLog {
  const policy = validRetryPolicy(config.retry ?? DEFAULT_RETRY_POLICY);
  return {
    async append(records) {
      const encoded = records.map((r, index) => {
        const data = encodeEventRecord(r);
        const bytes = data.byteLength + Buffer.byteLength(r.partitionKey, 'utf8');
        if (bytes > PUT_RECORDS_LIMITS.maxRecordBytes) {
          throw new AwsAdapterError(
            `record ${index} is ${bytes} bytes, more than Kinesis's ${PUT_RECORDS_LIMITS.maxRecordBytes}-byte limit`,
          );
        }
        if (r.partitionKey.length < 1 || r.partitionKey.length > 256) {
          throw new AwsAdapterError(`record ${index}: a partition key must be 1 to 256 characters`);
        }
        return { index, data, partitionKey: r.partitionKey, bytes };
      });
      const results: (AppendedRecord | undefined)[] = new Array(records.length);
      const chunks = chunkBySize(
        encoded,
        { maxCount: PUT_RECORDS_LIMITS.maxRecords, maxBytes: PUT_RECORDS_LIMITS.maxRequestBytes },
        (e) => e.bytes,
      );
      for (const chunk of chunks) {
        await sendRetryingFailed(
          `PutRecords to ${config.streamName}`,
          chunk,
          async (pending) => {
            const res = await deps.kinesis.send(
              new PutRecordsCommand({
                StreamName: config.streamName,
                Records: pending.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })),
              }),
            );
            const entries = res.Records ?? [];
            if (entries.length !== pending.length) {
              throw new AwsAdapterError(
                `PutRecords answered ${entries.length} results for ${pending.length} records`,
              );
            }
            const failed: (typeof pending)[number][] = [];
            const errorCodes: string[] = [];
            entries.forEach((entry, i) => {
              const sent = pending[i]!;
              if (
                entry.ErrorCode !== undefined ||
                entry.SequenceNumber === undefined ||
                entry.ShardId === undefined
              ) {
                failed.push(sent);
                errorCodes.push(entry.ErrorCode ?? 'MissingSequenceNumber');
              } else {
                results[sent.index] = { shardId: entry.ShardId, sequenceNumber: entry.SequenceNumber };
              }
            });
            return { failed, errorCodes };
          },
          policy,
          deps,
        );
      }
      return results.map((r, i) => {
        if (r === undefined) throw new AwsAdapterError(`record ${i} has no sequence number after PutRecords`);
        return r;
      });
    },
  };
}
