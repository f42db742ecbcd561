import type { LogEntry } from '../../adapters/local/file-event-log';
import { createLakeSink } from '../../adapters/local/lake-sink';
import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { DataStream } from '../../processors/engine/api/data-stream';

/** The lake row of an accepted event: the canonical event as the log carries it, by event date. */
export function eventLakeRecord(entry: LogEntry): LakeRecord {
  return { table: 'events', timestamp: entry.event.timestamp, row: entry.event };
}

/** Adds the `events` lake table branch to a job: every record of the log lands in the lake once. */
export function sinkEventsToLake(stream: DataStream<LogEntry>, lake: LakeWriter): void {
  stream
    .map(eventLakeRecord, 'events-to-lake')
    .sinkTo(createLakeSink(lake), { batchSize: 1000 }, 'lake-events');
}
