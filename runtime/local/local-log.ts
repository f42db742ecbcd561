import type { FileEventLog } from '../../adapters/local/file-event-log';
import type { FileEventLogSource } from '../../adapters/local/file-event-log-source';
import { type FileLeaseTable, TRIM_HORIZON } from '../../adapters/local/file-lease-table';
import type { EventLog } from '../../contracts/ports/event-log';
import type { LocalLogConsumer } from './job-runner';
import type { ShardMetrics } from './metrics';

/**
 * The event log of the embedded runtime: what the collector appends to, how the job reads it (with
 * its lease table), and what `/metrics` shows of it. The embedded file log is the default; `--log
 * kinesis` puts it on a Kinesis stream with the leases in DynamoDB (`kinesis-local-log.ts`).
 */
export interface LocalLog {
  /** For the start banner: `4 shards, durability fsync` or `Kinesis stream s, leases in t`. */
  readonly description: string;
  readonly eventLog: EventLog;
  readonly consumer: LocalLogConsumer;
  /** Records appended through this process. */
  appended(): number;
  /** Per shard numbers for `/metrics` (empty when the log cannot say where its end is). */
  shardMetrics(checkpointed: ReadonlyMap<string, string>): ShardMetrics[];
  /** Records acknowledged after the checkpointed offsets (undefined when unknown). */
  lagAfter(checkpointed: ReadonlyMap<string, string>): number | undefined;
  /** Deletes what retention allows (the file log); a no-op where the service does it. */
  applyRetention(nowMs: number): void;
  close(): Promise<void>;
}

/** The embedded file log, its source and its KCL-shaped lease file as a {@link LocalLog}. */
export function fileLocalLog(
  log: FileEventLog,
  source: FileEventLogSource,
  leases: FileLeaseTable,
  description: string,
): LocalLog {
  const at = (checkpointed: ReadonlyMap<string, string>, shardId: string) =>
    Number(checkpointed.get(shardId) ?? 0);
  /** Where a shard is read: its reader's position, or its checkpointed offset before it is opened. */
  const readTo = (checkpointed: ReadonlyMap<string, string>, shardId: string) =>
    source.positionOf(shardId) ?? at(checkpointed, shardId);
  const lag = (checkpointed: ReadonlyMap<string, string>) =>
    log.positions().reduce((n, p) => n + Math.max(0, p.end - readTo(checkpointed, p.shardId)), 0);
  return {
    description,
    eventLog: log,
    consumer: {
      source,
      onAppended: (listener) => log.onCommit(listener),
      caughtUp: (checkpointed) => lag(checkpointed) === 0,
      lag,
      checkpointLeases(offsets) {
        // an offset is the next sequence number to read; the lease holds the last one processed
        leases.checkpoint(
          new Map(
            [...offsets].map(([shard, next]) => [
              shard,
              next === '0' ? TRIM_HORIZON : String(Number(next) - 1),
            ]),
          ),
        );
      },
    },
    appended: () => log.stats().appended,
    shardMetrics: (checkpointed) =>
      log.positions().map((p) => ({
        shardId: p.shardId,
        end: p.end,
        position: readTo(checkpointed, p.shardId),
        checkpointed: at(checkpointed, p.shardId),
      })),
    lagAfter: (checkpointed) => log.positions().reduce((n, p) => n + p.end - at(checkpointed, p.shardId), 0),
    applyRetention: (nowMs) => void log.applyRetention(nowMs),
    close: () => log.close(),
  };
}
