import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createDynamoDbLeaseTable, TRIM_HORIZON } from '../../adapters/aws/dynamodb-lease-table';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { createKinesisSource, type KinesisRecord } from '../../adapters/aws/kinesis-shard-reader';
import type { LogEntry } from '../../adapters/local/file-event-log';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { EventLog } from '../../contracts/ports/event-log';
import type { Source } from '../../processors/engine/connectors/source';
import type { LocalLog } from './local-log';

/** The stream the collector appends to and the KCL-shaped lease table the checkpoints go to. */
export interface KinesisLocalLogConfig {
  readonly streamName: string;
  readonly leaseTableName: string;
  /** This worker's `leaseOwner`. */
  readonly owner: string;
}

/** The clients, built by the entry file. */
export interface KinesisLocalLogDeps {
  readonly kinesis: Pick<KinesisClient, 'send'>;
  readonly dynamodb: Pick<DynamoDBClient, 'send'>;
  readonly clock?: () => number;
}

/** How long a shard whose last poll was empty waits before the next GetRecords (≤ 5 per second). */
export const IDLE_POLL_MS = 200;

/** Why the Kinesis log cannot be used: a shard's lease is held by another worker. */
export class KinesisLeaseError extends Error {
  override name = 'KinesisLeaseError';
}

/** A Kinesis record as a log entry: the canonical event the collector put (undecodable data goes on as text, and the pipeline rejects it). */
function entryOf(r: KinesisRecord): LogEntry {
  const text = Buffer.from(r.data).toString('utf8');
  let event: unknown = text;
  try {
    event = JSON.parse(text);
  } catch {
    // the pipeline's decoding reports it as invalid
  }
  return {
    shardId: r.shardId,
    sequence: 0,
    sequenceNumber: r.sequenceNumber,
    partitionKey: r.partitionKey,
    event: event as CanonicalEvent,
    appendedAtMs: r.approximateArrivalTimestamp ?? 0,
  };
}

/**
 * The event log on Kinesis for `cdp dev --log kinesis`: the collector appends with PutRecords (the
 * answer waits for Kinesis to store the records), the job polls every shard with GetRecords, and each
 * completed checkpoint writes the last processed sequence number of each shard to the DynamoDB lease
 * table (KCL shape). Takes every shard's lease on open; a lease another worker holds is refused. The
 * state itself stays in the data folder's checkpoints, so the offsets a restart resumes from are the
 * checkpoint's (the lease table holds the same ones). "Caught up" means every shard's last poll was empty.
 */
export async function openKinesisLocalLog(
  config: KinesisLocalLogConfig,
  deps: KinesisLocalLogDeps,
): Promise<LocalLog> {
  const kinesisSource = await createKinesisSource(
    { streamName: config.streamName },
    { kinesis: deps.kinesis },
  );
  const leases = createDynamoDbLeaseTable(
    { tableName: config.leaseTableName, owner: config.owner },
    { dynamodb: deps.dynamodb },
  );
  for (const shard of kinesisSource.partitions()) {
    const taken = await leases.take(shard);
    if (!taken.ok)
      throw new KinesisLeaseError(
        `the lease of ${shard} in ${config.leaseTableName} is held by another worker (stop it first)`,
      );
  }

  const clock = deps.clock ?? Date.now;
  const producer = createKinesisEventLog({ streamName: config.streamName }, { kinesis: deps.kinesis });
  const listeners: (() => void)[] = [];
  let appended = 0;
  const eventLog: EventLog = {
    async append(records) {
      const stored = await producer.append(records);
      appended += records.length;
      for (const listener of listeners) listener();
      return stored;
    },
  };

  /** Per shard: whether its reader's last poll came back empty. */
  const drained = new Map<string, boolean>();
  /** Bumped by every append of this process: an idle shard is polled again at once. */
  let appendCount = 0;
  listeners.push(() => {
    appendCount += 1;
  });
  const source: Source<LogEntry> = {
    partitions: () => kinesisSource.partitions(),
    createReader(partition, startOffset) {
      const reader = kinesisSource.createReader(partition, startOffset);
      drained.set(partition, false);
      let offset = startOffset ?? '';
      let idleSince = 0;
      let appendsAtIdle = -1;
      return {
        async poll(maxRecords) {
          // Kinesis allows 5 GetRecords per second and shard: an idle shard waits IDLE_POLL_MS
          const now = clock();
          if (
            drained.get(partition) === true &&
            appendsAtIdle === appendCount &&
            now - idleSince < IDLE_POLL_MS
          )
            return { records: [], nextOffset: offset };
          const batch = await reader.poll(maxRecords);
          offset = batch.nextOffset;
          const empty = batch.records.length === 0;
          drained.set(partition, empty);
          if (empty) {
            idleSince = now;
            appendsAtIdle = appendCount;
          }
          return { ...batch, records: batch.records.map(entryOf) };
        },
      };
    },
  };

  return {
    description: `Kinesis stream ${config.streamName}, leases in DynamoDB table ${config.leaseTableName}`,
    eventLog,
    consumer: {
      source,
      onAppended: (listener) => listeners.push(listener),
      caughtUp: () => kinesisSource.partitions().every((shard) => drained.get(shard) === true),
      async checkpointLeases(offsets) {
        // an offset is the last sequence number read ('' = none yet), as a KCL checkpoint
        const written = await leases.checkpoint(
          new Map([...offsets].map(([shard, last]) => [shard, last === '' ? TRIM_HORIZON : last])),
        );
        if (!written.ok)
          throw new KinesisLeaseError(
            `lost the lease of ${written.shardId} in ${config.leaseTableName} to another worker`,
          );
      },
    },
    appended: () => appended,
    shardMetrics: () => [],
    lagAfter: () => undefined,
    applyRetention: () => undefined,
    close: async () => undefined,
  };
}
