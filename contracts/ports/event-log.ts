import type { CanonicalEvent } from '../canonical-event';

/** One record to append: the canonical event and the key that picks its shard. */
export interface EventLogRecord {
  readonly partitionKey: string;
  readonly event: CanonicalEvent;
}

/** Where an appended record landed. */
export interface AppendedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * The durable event log between the collector and the processors (Kinesis, or the embedded log).
 * `append` resolves only once every record is durable; it rejects (with an `Error` carrying `cause`)
 * when the log cannot take them, and then none of them may be acknowledged to the client.
 */
export interface EventLog {
  append(records: readonly EventLogRecord[]): Promise<readonly AppendedRecord[]>;
}
