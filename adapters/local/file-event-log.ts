import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { AppendedRecord, EventLog, EventLogRecord } from '../../contracts/ports/event-log';
import { syncDirectory } from '../../processors/engine/checkpoint/checkpoint-files';
import {
  decodeFrames,
  encodeFrame,
  FRAME_HEADER_BYTES,
  parseSegmentFileName,
  scanSegmentFile,
  segmentFileName,
} from './segment-file';
import { hashPartitionKey, shardIdsFor } from './shard-for-key';

/**
 * Configuration of the embedded event log.
 *
 * On disk (`directory`):
 * ```
 * log.json                                  { "format": 1, "shardCount": N }  (a reopen must agree)
 * shard-000000/00000000000000000000.seg     frames of records 0..k (see segment-file.ts)
 * shard-000000/000000000000000000k+1.seg    the next segment; the last one is the active one
 * ```
 * Segments are append-only and named by the sequence number of their first record; a record carries
 * its own sequence number, so readers never derive it from a position. That is what lets an erasure
 * ({@link FileEventLog.eraseWhere}) rewrite a segment without one person's events (copy the other
 * frames to `<name>.rewrite`, fsync, rename over the original): sequence numbers and consumer
 * checkpoints stay valid, the erased numbers simply become gaps. Retention deletes whole closed
 * segments, oldest first.
 */
export const FileEventLogConfig = z.object({
  directory: z.string().min(1),
  shardCount: z.number().int().min(1).max(1024).default(4),
  /** `fsync`: `append` resolves after fdatasync (survives power loss); `none`: after write(2) (survives kill -9 only). */
  durability: z.enum(['fsync', 'none']).default('fsync'),
  /** A segment is closed and a new one started once it reaches this size. */
  segmentBytes: z
    .number()
    .int()
    .min(4096)
    .default(32 * 1024 * 1024),
  retention: z
    .object({
      /** Closed segments whose last write is older than this are deleted. */
      maxAgeMs: z.number().positive().optional(),
      /** Closed segments are deleted, oldest first, while a shard holds more than this. */
      maxBytesPerShard: z.number().int().positive().optional(),
    })
    .default({}),
  /** Recently committed records kept decoded in memory per shard, so tailing readers skip the disk. */
  cacheRecordsPerShard: z.number().int().nonnegative().default(5_000),
});
export type FileEventLogConfig = z.input<typeof FileEventLogConfig>;

/** A record as read back from the log. */
export interface LogEntry {
  readonly shardId: string;
  readonly sequence: number;
  /**
   * The sequence number as the log spells it, when it is not a safe integer (a Kinesis sequence
   * number; `sequence` is then 0). Absent for the embedded log: `String(sequence)`.
   */
  readonly sequenceNumber?: string;
  readonly partitionKey: string;
  readonly event: CanonicalEvent;
  /** When the log appended it (ms since the epoch), like Kinesis' approximate arrival timestamp. */
  readonly appendedAtMs: number;
}

/** Where a shard stands: records `[trimHorizon, end)` exist (minus erased gaps). */
export interface ShardPosition {
  readonly shardId: string;
  /** The first sequence number still retained. */
  readonly trimHorizon: number;
  /** One past the last durable (acknowledged) record: the next sequence number to be assigned. */
  readonly end: number;
  readonly bytes: number;
  readonly segments: number;
}

/** Reads one shard forward from a sequence number. */
export interface LogCursor {
  /** Up to `max` durable records from the current position; empty when there is nothing new. */
  read(max: number): LogEntry[];
  /** The sequence number the next `read` starts from. */
  position(): number;
}

/** The embedded, durable event log. */
export interface FileEventLog extends EventLog {
  readonly shardIds: readonly string[];
  shardOf(partitionKey: string): string;
  /** A cursor on `shardId` at `fromSequence` (the trim horizon when older records were deleted). */
  cursor(shardId: string, fromSequence: number): LogCursor;
  positions(): ShardPosition[];
  /** Calls `listener` after every commit of new records (to wake tailing readers). */
  onCommit(listener: () => void): () => void;
  /** Deletes closed segments beyond the retention limits; returns how many were deleted. */
  applyRetention(nowMs: number): number;
  /**
   * Rewrites every segment without the records `matches` selects (an erasure request). Active
   * segments are closed first, so new appends go to fresh segments. Returns the number removed.
   */
  eraseWhere(matches: (entry: LogEntry) => boolean): Promise<number>;
  /** Records appended since open, and records that a torn tail lost on open (never acknowledged). */
  stats(): { appended: number; truncatedBytesOnOpen: number };
  /** Waits for pending appends, then closes the files; later appends reject. */
  close(): Promise<void>;
}

/** Why the log cannot be opened or written. */
export class FileEventLogError extends Error {
  override name = 'FileEventLogError';
}

interface Segment {
  readonly base: number;
  readonly path: string;
  /** Bytes of durable frames (what readers may read). */
  bytes: number;
}

interface Shard {
  readonly id: string;
  readonly dir: string;
  readonly segments: Segment[];
  /** The active segment's handle (opened lazily after open or a roll). */
  handle: FileHandle | undefined;
  /** Next sequence number to assign. */
  nextSequence: number;
  /** One past the last durable record. */
  end: number;
  /** Bytes written to the active segment (durable or in flight). */
  writtenBytes: number;
  pending: Buffer[];
  pendingBytes: number;
  pendingEntries: LogEntry[];
  cache: LogEntry[];
  /** Sequence number of cache[0] (the cache is contiguous: only this process's appends go in it). */
  cacheBase: number;
  forceRoll: boolean;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

const META_FILE = 'log.json';

/** Writes `data` to `path` atomically: temp file, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, data: string | Buffer, dir: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { flush: true });
  renameSync(tmp, path);
  fsyncDirectory(dir);
}

/** fsyncs a folder so a created, renamed or deleted entry in it is durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens (or creates) the embedded event log in `config.directory`. On open, the active segment of
 * each shard is scanned and a torn tail (a record half written when the process died) is truncated:
 * such a record was never acknowledged, because `append` resolves only after its bytes are durable.
 */
export function openFileEventLog(input: FileEventLogConfig): FileEventLog {
  const config = FileEventLogConfig.parse(input);
  mkdirSync(config.directory, { recursive: true });
  const metaPath = join(config.directory, META_FILE);
  let meta: { format: number; shardCount: number } | undefined;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { format: number; shardCount: number };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new FileEventLogError(`cannot read ${metaPath}`, { cause: error });
    }
  }
  if (meta === undefined) {
    writeFileAtomic(metaPath, JSON.stringify({ format: 1, shardCount: config.shardCount }), config.directory);
  } else if (meta.shardCount !== config.shardCount) {
    throw new FileEventLogError(
      `the log in ${config.directory} has ${meta.shardCount} shards, the configuration asks for ${config.shardCount} (a log cannot be resharded: use its shard count or a new data folder)`,
    );
  }

  let truncatedBytesOnOpen = 0;
  const shards: Shard[] = shardIdsFor(config.shardCount).map((id) => {
    const dir = join(config.directory, id);
    mkdirSync(dir, { recursive: true });
    const names = readdirSync(dir);
    for (const name of names) if (name.endsWith('.tmp') || name.endsWith('.rewrite')) rmSync(join(dir, name));
    const segments: Segment[] = names
      .map((name) => ({ name, base: parseSegmentFileName(name) }))
      .filter((s): s is { name: string; base: number } => s.base !== undefined)
      .sort((a, b) => a.base - b.base)
      .map((s) => ({ base: s.base, path: join(dir, s.name), bytes: statSync(join(dir, s.name)).size }));
    let nextSequence = 0;
    const last = segments.at(-1);
    if (last !== undefined) {
      const scan = scanSegmentFile(last.path, last.base);
      if (scan.validBytes < scan.fileBytes) {
        const fd = openSync(last.path, 'r+');
        try {
          // ftruncate through the descriptor, then fsync it: the cut is durable before we append again
          ftruncateSync(fd, scan.validBytes);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        truncatedBytesOnOpen += scan.fileBytes - scan.validBytes;
      }
      last.bytes = scan.validBytes;
      nextSequence = scan.lastSequence === undefined ? last.base : scan.lastSequence + 1;
    }
    return {
      id,
      dir,
      segments,
      handle: undefined,
      nextSequence,
      end: nextSequence,
      writtenBytes: last?.bytes ?? 0,
      pending: [],
      pendingBytes: 0,
      pendingEntries: [],
      cache: [],
      cacheBase: nextSequence,
      forceRoll: false,
    };
  });
  const byId = new Map(shards.map((s) => [s.id, s]));
  const shardIds = shards.map((s) => s.id);
  const listeners = new Set<() => void>();

  let waiters: Waiter[] = [];
  let flushing: Promise<void> | undefined;
  let failure: Error | undefined;
  let closed = false;
  let appended = 0;
  /** Bumped when segments are rewritten, so cursors re-find their byte position. */
  let generation = 0;

  const shardIndex = (partitionKey: string) => hashPartitionKey(partitionKey) % shards.length;

  async function activeHandle(shard: Shard, firstSequence: number): Promise<FileHandle> {
    const last = shard.segments.at(-1);
    const full = last !== undefined && shard.writtenBytes > 0 && shard.writtenBytes >= config.segmentBytes;
    if (shard.handle !== undefined && !full && !shard.forceRoll) return shard.handle;
    if (shard.handle !== undefined) {
      await shard.handle.close();
      shard.handle = undefined;
    }
    if (last === undefined || full || shard.forceRoll) {
      if (last !== undefined && last.bytes === 0) {
        // an empty active segment (created, then nothing written): reuse its slot under the new name
        rmSync(last.path, { force: true });
        shard.segments.pop();
      }
      const segment: Segment = {
        base: firstSequence,
        path: join(shard.dir, segmentFileName(firstSequence)),
        bytes: 0,
      };
      const handle = await open(segment.path, 'w');
      if (config.durability === 'fsync') await syncDirectory(shard.dir);
      shard.handle = handle;
      shard.segments.push(segment);
      shard.writtenBytes = 0;
      shard.forceRoll = false;
    } else {
      shard.handle = await open(last.path, 'r+');
    }
    return shard.handle;
  }

  async function flushOnce(): Promise<void> {
    const batchWaiters = waiters;
    waiters = [];
    const work: { shard: Shard; data: Buffer; entries: LogEntry[]; handle: FileHandle }[] = [];
    try {
      if (failure) throw failure;
      for (const shard of shards) {
        if (shard.pending.length === 0) continue;
        const data =
          shard.pending.length === 1 ? shard.pending[0]! : Buffer.concat(shard.pending, shard.pendingBytes);
        const entries = shard.pendingEntries;
        shard.pending = [];
        shard.pendingBytes = 0;
        shard.pendingEntries = [];
        const handle = await activeHandle(shard, entries[0]!.sequence);
        work.push({ shard, data, entries, handle });
      }
      await Promise.all(
        work.map(async (w) => {
          let written = 0;
          while (written < w.data.length) {
            const { bytesWritten } = await w.handle.write(
              w.data,
              written,
              w.data.length - written,
              w.shard.writtenBytes + written,
            );
            written += bytesWritten;
          }
          w.shard.writtenBytes += w.data.length;
          if (config.durability === 'fsync') await w.handle.datasync();
        }),
      );
    } catch (error: unknown) {
      // the files may now hold a partial batch: nothing more can be appended until a reopen truncates it
      failure ??= new FileEventLogError('the event log could not write or fsync a batch', { cause: error });
      for (const w of batchWaiters) w.reject(failure);
      return;
    }
    for (const { shard, entries, data } of work) {
      shard.segments.at(-1)!.bytes += data.length;
      shard.end = entries.at(-1)!.sequence + 1;
      if (config.cacheRecordsPerShard > 0) {
        if (shard.cache.length === 0) shard.cacheBase = entries[0]!.sequence;
        for (const e of entries) shard.cache.push(e);
        if (shard.cache.length > config.cacheRecordsPerShard * 2) {
          const drop = shard.cache.length - config.cacheRecordsPerShard;
          shard.cache.splice(0, drop);
          shard.cacheBase += drop;
        }
      } else {
        shard.cacheBase = shard.end;
      }
    }
    for (const w of batchWaiters) w.resolve();
    for (const listener of listeners) listener();
  }

  function scheduleFlush(): void {
    if (flushing) return;
    flushing = (async () => {
      // group commit: everything appended while a batch is written and fsynced goes in the next batch
      while (waiters.length > 0) await flushOnce();
      flushing = undefined;
    })();
  }

  function cursor(shardId: string, fromSequence: number): LogCursor {
    const shard = byId.get(shardId);
    if (!shard) throw new FileEventLogError(`no shard ${shardId}`);
    let next = fromSequence;
    let seen = generation;
    // disk position: segment index and byte offset of the frame holding `next` (or before it)
    let segIndex = -1;
    let bytePos = 0;
    let fd: number | undefined;
    let fdPath = '';
    let buf = Buffer.allocUnsafe(1024 * 1024);

    const seek = () => {
      segIndex = -1;
      for (let i = 0; i < shard.segments.length; i++) if (shard.segments[i]!.base <= next) segIndex = i;
      if (segIndex === -1 && shard.segments.length > 0) {
        segIndex = 0;
        next = Math.max(next, shard.segments[0]!.base);
      }
      bytePos = 0;
    };
    const closeFd = () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };

    const readDisk = (max: number): LogEntry[] => {
      const out: LogEntry[] = [];
      while (out.length < max && next < shard.end) {
        if (segIndex === -1 || segIndex >= shard.segments.length) seek();
        if (segIndex === -1) return out;
        const segment = shard.segments[segIndex]!;
        if (bytePos >= segment.bytes) {
          if (segIndex + 1 < shard.segments.length) {
            segIndex++;
            bytePos = 0;
            continue;
          }
          return out;
        }
        if (fdPath !== segment.path) {
          closeFd();
          fd = openSync(segment.path, 'r');
          fdPath = segment.path;
        }
        const want = Math.min(segment.bytes - bytePos, Math.max(buf.length, 1024 * 1024));
        if (buf.length < want) buf = Buffer.allocUnsafe(want);
        const n = readSync(fd!, buf, 0, want, bytePos);
        let grow = false;
        const { offset, stop } = decodeFrames(buf, 0, n, 0, (p) => {
          if (p.s >= next) {
            out.push({ shardId, sequence: p.s, partitionKey: p.k, event: p.e, appendedAtMs: p.t });
            next = p.s + 1;
          }
          return out.length < max;
        });
        if (offset === 0 && stop === 'partial') grow = true;
        if (stop === 'corrupt') {
          throw new FileEventLogError(`${segment.path} is corrupt at byte ${bytePos + offset}`);
        }
        bytePos += offset;
        if (grow) buf = Buffer.allocUnsafe(buf.length * 2 + FRAME_HEADER_BYTES);
      }
      return out;
    };

    return {
      read(max: number): LogEntry[] {
        if (seen !== generation) {
          seen = generation;
          closeFd();
          fdPath = '';
          segIndex = -1;
        }
        const trim = shard.segments[0]?.base ?? shard.end;
        if (next < trim) {
          next = trim;
          segIndex = -1;
        }
        if (next >= shard.end || max <= 0) return [];
        if (next >= shard.cacheBase && shard.cache.length > 0) {
          const from = next - shard.cacheBase;
          const slice = shard.cache.slice(from, from + max);
          if (slice.length > 0) {
            next = slice.at(-1)!.sequence + 1;
            segIndex = -1; // the disk position is stale now
            return slice;
          }
          return [];
        }
        const out = readDisk(max);
        if (next >= shard.cacheBase) closeFd();
        return out;
      },
      position: () => next,
    };
  }

  return {
    shardIds,
    shardOf: (partitionKey) => shardIds[shardIndex(partitionKey)]!,

    append(records: readonly EventLogRecord[]): Promise<readonly AppendedRecord[]> {
      if (closed) return Promise.reject(new FileEventLogError('the event log is closed'));
      if (failure) return Promise.reject(failure);
      const out: AppendedRecord[] = new Array(records.length);
      const now = Date.now();
      // serialize every event first: a record that cannot be encoded must not take a sequence number
      const bodies: string[] = new Array(records.length);
      try {
        for (let i = 0; i < records.length; i++) bodies[i] = JSON.stringify(records[i]!.event);
      } catch (error: unknown) {
        return Promise.reject(new FileEventLogError('a record cannot be encoded as JSON', { cause: error }));
      }
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const shard = shards[shardIndex(r.partitionKey)]!;
        const sequence = shard.nextSequence++;
        const frame = encodeFrame(sequence, r.partitionKey, now, bodies[i]!);
        shard.pending.push(frame);
        shard.pendingBytes += frame.length;
        shard.pendingEntries.push({
          shardId: shard.id,
          sequence,
          partitionKey: r.partitionKey,
          event: r.event,
          appendedAtMs: now,
        });
        out[i] = { shardId: shard.id, sequenceNumber: String(sequence) };
      }
      appended += records.length;
      const done = new Promise<readonly AppendedRecord[]>((resolve, reject) => {
        waiters.push({ resolve: () => resolve(out), reject });
      });
      scheduleFlush();
      return done;
    },

    cursor,

    positions: () =>
      shards.map((s) => ({
        shardId: s.id,
        trimHorizon: s.segments[0]?.base ?? s.end,
        end: s.end,
        bytes: s.segments.reduce((sum, seg) => sum + seg.bytes, 0),
        segments: s.segments.length,
      })),

    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    applyRetention(nowMs: number): number {
      let deleted = 0;
      const { maxAgeMs, maxBytesPerShard } = config.retention;
      for (const shard of shards) {
        let total = shard.segments.reduce((sum, s) => sum + s.bytes, 0);
        while (shard.segments.length > 1) {
          const oldest = shard.segments[0]!;
          const tooOld = maxAgeMs !== undefined && statSync(oldest.path).mtimeMs < nowMs - maxAgeMs;
          const tooBig = maxBytesPerShard !== undefined && total > maxBytesPerShard;
          if (!tooOld && !tooBig) break;
          rmSync(oldest.path, { force: true });
          shard.segments.shift();
          total -= oldest.bytes;
          deleted++;
        }
        if (deleted > 0) fsyncDirectory(shard.dir);
      }
      if (deleted > 0) generation++;
      return deleted;
    },

    async eraseWhere(matches): Promise<number> {
      await flushing;
      let removed = 0;
      for (const shard of shards) {
        if (shard.handle !== undefined) {
          await shard.handle.close();
          shard.handle = undefined;
        }
        shard.forceRoll = true;
        for (const segment of shard.segments) {
          if (segment.bytes === 0) continue;
          const data = readFileSync(segment.path).subarray(0, segment.bytes);
          const keep: Buffer[] = [];
          let dropped = 0;
          decodeFrames(data, 0, data.length, 0, (p, start, end) => {
            const entry = {
              shardId: shard.id,
              sequence: p.s,
              partitionKey: p.k,
              event: p.e,
              appendedAtMs: p.t,
            };
            if (matches(entry)) dropped++;
            else keep.push(data.subarray(start, end));
            return true;
          });
          if (dropped === 0) continue;
          const rewritten = Buffer.concat(keep);
          const tmp = `${segment.path}.rewrite`;
          writeFileSync(tmp, rewritten, { flush: true });
          renameSync(tmp, segment.path);
          fsyncDirectory(shard.dir);
          segment.bytes = rewritten.length;
          removed += dropped;
        }
        shard.writtenBytes = shard.segments.at(-1)?.bytes ?? 0;
        shard.cache = shard.cache.filter((e) => !matches(e));
        // the cache must stay contiguous for slicing by sequence: drop it, readers fall back to disk
        shard.cache = [];
        shard.cacheBase = shard.end;
      }
      generation++;
      return removed;
    },

    stats: () => ({ appended, truncatedBytesOnOpen }),

    async close(): Promise<void> {
      closed = true;
      while (flushing) await flushing;
      for (const shard of shards) {
        if (shard.handle !== undefined) await shard.handle.close();
        shard.handle = undefined;
      }
    },
  };
}
