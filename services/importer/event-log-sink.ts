import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import type { ImportSink } from './import-csv';

/**
 * The default shard key of an imported event: its user id, anonymous id, email, phone or first
 * external id (`type:value`), so all events of one contact land on one shard.
 */
export function importPartitionKey(event: CanonicalEvent): string {
  const { identity } = event;
  const first = identity.externalIds?.[0];
  return (
    identity.userId ??
    identity.anonymousId ??
    identity.email ??
    identity.phone ??
    (first ? `${first.type}:${first.value}` : event.eventId)
  );
}

/**
 * Appends imported events straight to an event log (the embedded log of `cdp dev`, or Kinesis), in
 * batches of `batchSize` (default 500, the Kinesis PutRecords limit); the importer waits for each
 * append, so a failing log stops the import instead of losing events. Rejected rows are not appended.
 */
export function createEventLogSink(
  config: { batchSize?: number; partitionKey?: (event: CanonicalEvent) => string },
  deps: { eventLog: EventLog },
): ImportSink & { close(): Promise<void>; appended(): number } {
  const batchSize = config.batchSize ?? 500;
  const keyOf = config.partitionKey ?? importPartitionKey;
  let batch: EventLogRecord[] = [];
  let appended = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    await deps.eventLog.append(records);
    appended += records.length;
  };
  return {
    event(event) {
      batch.push({ partitionKey: keyOf(event), event });
      if (batch.length >= batchSize) return flush();
    },
    rejected() {},
    close: flush,
    appended: () => appended,
  };
}
