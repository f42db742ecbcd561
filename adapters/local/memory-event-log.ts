import type { AppendedRecord, EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import { hashPartitionKey, shardIdsFor } from './shard-for-key';

/** Options of the in-memory event log. */
export interface MemoryEventLogOptions {
  /** Number of shards records are spread over by partition key (default 4). */
  readonly shardCount?: number;
  /** Keep at most this many records per shard, dropping the oldest (default: keep everything). */
  readonly retainPerShard?: number;
}

/** A record as the in-memory log holds it. */
export interface StoredRecord extends EventLogRecord, AppendedRecord {}

/** The in-memory event log: what tests and the temporary `cdp dev` append to. Nothing is durable. */
export interface MemoryEventLog extends EventLog {
  /** The retained records of every shard, shard by shard, oldest first. */
  records(): StoredRecord[];
  /** Records appended since the log was created (including dropped ones). */
  appendedCount(): number;
  /** The shard a partition key maps to. */
  shardOf(partitionKey: string): string;
}

/** Creates an in-memory `EventLog`; `append` resolves at once (there is nothing to wait for). */
export function createMemoryEventLog(options: MemoryEventLogOptions = {}): MemoryEventLog {
  const shardCount = Math.max(1, Math.floor(options.shardCount ?? 4));
  const retain = options.retainPerShard ?? Number.POSITIVE_INFINITY;
  const shardIds = shardIdsFor(shardCount);
  const shards: StoredRecord[][] = shardIds.map(() => []);
  const nextSequence: number[] = shardIds.map(() => 0);
  let appended = 0;

  const shardIndex = (partitionKey: string) => hashPartitionKey(partitionKey) % shardCount;

  return {
    async append(records: readonly EventLogRecord[]): Promise<readonly AppendedRecord[]> {
      const out: AppendedRecord[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const s = shardIndex(record.partitionKey);
        const stored: StoredRecord = {
          partitionKey: record.partitionKey,
          event: record.event,
          shardId: shardIds[s]!,
          sequenceNumber: String(nextSequence[s]!++),
        };
        const shard = shards[s]!;
        shard.push(stored);
        if (shard.length > retain * 2) shard.splice(0, shard.length - retain);
        out[i] = stored;
      }
      appended += records.length;
      return out;
    },
    records(): StoredRecord[] {
      return shards.flatMap((shard) => (shard.length > retain ? shard.slice(shard.length - retain) : shard));
    },
    appendedCount: () => appended,
    shardOf: (partitionKey: string) => shardIds[shardIndex(partitionKey)]!,
  };
}
