import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { foldCheckpoints, type KeyedTableSnapshot, mapTables, TableCapture, tablesIn } from './keyed-table';

/**
 * The files of incremental checkpoints, written as a stream of frames (length, CRC-32, V8 bytes): first
 * the checkpoint's structure with its keyed tables empty, then the tables' entries a chunk per frame,
 * then a trailer with the frame count. Writing one chunk at a time keeps every event-loop task short;
 * the CRCs and the trailer make a torn or damaged file an error instead of state.
 */
const MAGIC = Buffer.from('TCK2');
const FRAME_HEADER = 8;

/** A checkpoint file could not be read: missing, torn or damaged. */
export class CheckpointFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointFileError';
  }
}

function frame(value: unknown): Buffer {
  const body = serialize(value);
  const header = Buffer.alloc(FRAME_HEADER);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

interface EntriesFrame {
  readonly t: number;
  readonly e: ReadonlyArray<readonly [unknown, unknown]>;
}

/**
 * The frames of a checkpoint, produced a chunk at a time: captures are serialized as they are written
 * (`chunk` values per frame), other tables are cut into frames of `chunk * 4` entries.
 */
async function* framesOf(checkpoint: unknown, chunk: number): AsyncGenerator<Buffer> {
  const tables = tablesIn(checkpoint);
  yield frame(
    mapTables(checkpoint, (t, n) => ({
      kind: 'keyed-table',
      delta: t.delta,
      encoding: t.encoding,
      entries: [],
      removed: t.removed,
      frame: n,
    })),
  );
  let count = 1;
  for (const [n, table] of tables.entries()) {
    if (table instanceof TableCapture) {
      for (;;) {
        const done = table.drain(chunk);
        const e = table.takeSerialized();
        if (e.length > 0) {
          yield frame({ t: n, e } satisfies EntriesFrame);
          count++;
        }
        if (done) break;
      }
    } else {
      for (let i = 0; i < table.entries.length; i += chunk * 4) {
        yield frame({ t: n, e: table.entries.slice(i, i + chunk * 4) } satisfies EntriesFrame);
        count++;
      }
    }
  }
  yield frame({ end: count + 1 });
}

/**
 * Writes a checkpoint to `path` atomically and durably (temporary name, fsync, rename), a frame per
 * event-loop turn, serializing captured values as it goes; returns the bytes written.
 */
export async function writeCheckpointFile(path: string, checkpoint: unknown, chunk = 500): Promise<number> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  let bytes = 0;
  try {
    await handle.write(MAGIC);
    bytes += MAGIC.length;
    for await (const f of framesOf(checkpoint, chunk)) {
      await handle.write(f);
      bytes += f.length;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  return bytes;
}

/** Reads a file written with {@link writeCheckpointFile}; throws {@link CheckpointFileError} if torn. */
export function readCheckpointFile(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error: unknown) {
    throw new CheckpointFileError(`checkpoint file ${path} cannot be read`, { cause: error });
  }
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new CheckpointFileError(`checkpoint file ${path} has no valid header`);
  let off = MAGIC.length;
  let frames = 0;
  let skeleton: unknown;
  let tables: KeyedTableSnapshot[] = [];
  for (;;) {
    if (off + FRAME_HEADER > bytes.length)
      throw new CheckpointFileError(`checkpoint file ${path} is torn (no trailer after ${frames} frames)`);
    const length = bytes.readUInt32BE(off);
    const body = bytes.subarray(off + FRAME_HEADER, off + FRAME_HEADER + length);
    if (body.length !== length)
      throw new CheckpointFileError(`checkpoint file ${path} is torn (frame ${frames} cut short)`);
    if (crc32(body) !== bytes.readUInt32BE(off + 4))
      throw new CheckpointFileError(`checkpoint file ${path} is damaged (CRC mismatch in frame ${frames})`);
    off += FRAME_HEADER + length;
    frames++;
    const value = deserialize(body) as { end?: number } & Partial<EntriesFrame>;
    if (frames === 1) {
      skeleton = value;
      tables = tablesIn(skeleton);
      continue;
    }
    if (value.end !== undefined) {
      if (value.end !== frames || off !== bytes.length)
        throw new CheckpointFileError(`checkpoint file ${path} is damaged (frame count)`);
      break;
    }
    const table = tables[value.t as number] as { entries: unknown[] } | undefined;
    if (table === undefined) throw new CheckpointFileError(`checkpoint file ${path} names an unknown table`);
    for (const entry of value.e ?? []) table.entries.push(entry);
  }
  for (const t of tables) delete (t as { frame?: number }).frame;
  return skeleton;
}

/** Writes `bytes` to `path` atomically and durably (temporary name, fsync, rename), off the event loop. */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** The synchronous {@link writeFileDurably} (small files, and the compaction worker). */
export function writeFileDurablySync(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** What a compaction folds: a base file (or none) and delta files, into `target`. */
export interface CompactionRequest {
  readonly base: string | undefined;
  readonly deltas: readonly string[];
  readonly target: string;
}

/** Folds a base and its deltas into one whole checkpoint file (values stay encoded: no decoding). */
export async function compactCheckpointFiles(request: CompactionRequest): Promise<void> {
  const chain: unknown[] = [];
  if (request.base !== undefined) chain.push(readCheckpointFile(request.base));
  for (const d of request.deltas) chain.push(readCheckpointFile(d));
  await writeCheckpointFile(request.target, foldCheckpoints(chain));
}
