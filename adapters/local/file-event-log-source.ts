import type { Source, SourceBatch, SourceReader } from '../../processors/engine/connectors/source';
import type { FileEventLog, LogEntry } from './file-event-log';

/** The embedded log as an engine source, with where each shard's reader stands (for lag). */
export interface FileEventLogSource extends Source<LogEntry> {
  /** The next sequence number the reader of `shardId` will read (undefined before it is opened). */
  positionOf(shardId: string): number | undefined;
}

/**
 * Reads the embedded log's shards as the engine's partitions. The offset is the next sequence number to
 * read (a decimal string), so a checkpoint's offsets are the records to replay from. Polls are
 * synchronous: recent records come from the log's memory, older ones from its segment files.
 */
export function createFileEventLogSource(log: FileEventLog): FileEventLogSource {
  const cursors = new Map<string, ReturnType<FileEventLog['cursor']>>();
  return {
    partitions: () => log.shardIds,
    createReader(partition: string, startOffset: string | undefined): SourceReader<LogEntry> {
      const from = startOffset === undefined ? 0 : Number(startOffset);
      if (!Number.isSafeInteger(from) || from < 0) {
        throw new Error(`offset "${startOffset}" of ${partition} is not a sequence number`);
      }
      const cursor = log.cursor(partition, from);
      cursors.set(partition, cursor);
      return {
        poll(maxRecords: number): SourceBatch<LogEntry> {
          const records = cursor.read(maxRecords);
          return { records, nextOffset: String(cursor.position()) };
        },
      };
    },
    positionOf: (shardId) => cursors.get(shardId)?.position(),
  };
}
