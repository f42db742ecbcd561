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
  /** Keys removed, found while serializing (lazy captures); absent in files of older versions. */
  readonly r?: readonly unknown[];
}

/** A slice of a large array of the checkpoint (identity columns, timers), written in its own frame. */
interface ArrayFrame {
  readonly a: number;
  readonly v: readonly unknown[];
}

/** Captured values per frame. */
const CAPTURE_STEP = 64;

/** Entries per frame of a table that needs no serializing of its own values. */
const RAW_CHUNK = 4096;

/** Arrays longer than this are written in frames of this many elements, not inside the structure. */
const LARGE_ARRAY = 16_384;

/** An array of primitives, or of small arrays of primitives (timers, pairs): no table inside. */
function isLeafArray(value: unknown): value is unknown[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value[0];
  if (typeof first !== 'object' || first === null) return true;
  return Array.isArray(first) && (first.length === 0 || typeof first[0] !== 'object' || first[0] === null);
}

/**
 * Replaces, in place, the large leaf arrays of a structure made by `mapTables` (whose objects and
 * arrays are its own copies) with `{ kind: 'large-array', frame }` placeholders; returns the arrays.
 */
function extractLargeArrays(value: unknown, out: unknown[][] = []): unknown[][] {
  if (typeof value !== 'object' || value === null) return out;
  if ((value as { kind?: unknown }).kind === 'keyed-table') return out;
  if (isLeafArray(value)) return out;
  const holder = value as Record<string | number, unknown>;
  for (const key of Object.keys(holder)) {
    const v = holder[key];
    if (isLeafArray(v)) {
      if (v.length > LARGE_ARRAY) {
        holder[key] = { kind: 'large-array', frame: out.length };
        out.push(v);
      }
    } else if (Array.isArray(v) || (typeof v === 'object' && v !== null && isPlain(v))) {
      extractLargeArrays(v, out);
    }
  }
  return out;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Puts the large arrays back where {@link extractLargeArrays} left placeholders. */
function restoreLargeArrays(value: unknown, arrays: readonly unknown[][]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const placeholder = value as { kind?: unknown; frame?: unknown };
  if (placeholder.kind === 'large-array' && typeof placeholder.frame === 'number') {
    const array = arrays[placeholder.frame];
    if (array === undefined) throw new CheckpointFileError('checkpoint file misses a large array');
    return array;
  }
  if (placeholder.kind === 'keyed-table' || isLeafArray(value) || !(Array.isArray(value) || isPlain(value)))
    return value;
  const holder = value as Record<string | number, unknown>;
  for (const key of Object.keys(holder)) holder[key] = restoreLargeArrays(holder[key], arrays);
  return value;
}

/**
 * The frames of a checkpoint, produced a chunk at a time: captures are serialized as they are written
 * ({@link CAPTURE_STEP} values per frame: a profile's state takes tens of µs), other tables are cut into
 * frames of {@link RAW_CHUNK} entries (serialized values, or plain data).
 */
function* framesOf(checkpoint: unknown): Generator<Buffer> {
  const tables = tablesIn(checkpoint);
  const skeleton = mapTables(checkpoint, (t, n) => ({
    kind: 'keyed-table',
    delta: t.delta,
    encoding: t.encoding,
    entries: [],
    removed: t.removed,
    frame: n,
  }));
  const arrays = extractLargeArrays(skeleton);
  yield frame(skeleton);
  let count = 1;
  for (const [a, array] of arrays.entries()) {
    for (let i = 0; i < array.length; i += LARGE_ARRAY) {
      yield frame({ a, v: array.slice(i, i + LARGE_ARRAY) } satisfies ArrayFrame);
      count++;
    }
  }
  for (const [n, table] of tables.entries()) {
    if (table instanceof TableCapture) {
      for (;;) {
        const done = table.drain(CAPTURE_STEP);
        const e = table.takeSerialized();
        const r = table.takeRemoved();
        if (e.length > 0 || r.length > 0) {
          yield frame((r.length > 0 ? { t: n, e, r } : { t: n, e }) satisfies EntriesFrame);
          count++;
        }
        if (done) break;
      }
    } else {
      for (let i = 0; i < table.entries.length; i += RAW_CHUNK) {
        yield frame({ t: n, e: table.entries.slice(i, i + RAW_CHUNK) } satisfies EntriesFrame);
        count++;
      }
    }
  }
  yield frame({ end: count + 1 });
}

/**
 * Writes a checkpoint to `path` atomically and durably (temporary name, fsync, rename), serializing
 * captured values as it goes, for up to `budgetMs()` per event-loop task; returns the bytes written.
 */
export async function writeCheckpointFile(
  path: string,
  checkpoint: unknown,
  budgetMs: () => number = () => 8,
): Promise<number> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  let bytes = 0;
  try {
    await handle.write(MAGIC);
    bytes += MAGIC.length;
    // frames are made for up to `budgetMs()` of one event-loop task, then written together (a task per
    // write, not per frame: a job catching up takes a long round between two tasks of the write)
    const frames = framesOf(checkpoint);
    for (let done = false; !done; ) {
      const batch: Buffer[] = [];
      const deadline = performance.now() + budgetMs();
      do {
        const next = frames.next();
        if (next.done === true) done = true;
        else batch.push(next.value);
      } while (!done && performance.now() < deadline);
      if (batch.length > 0) await handle.writev(batch);
      for (const f of batch) bytes += f.length;
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
  const arrays: unknown[][] = [];
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
    const value = deserialize(body) as { end?: number } & Partial<EntriesFrame> & Partial<ArrayFrame>;
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
    if (value.a !== undefined) {
      const array = arrays[value.a] ?? [];
      arrays[value.a] = array;
      for (const v of value.v ?? []) array.push(v);
      continue;
    }
    const table = tables[value.t as number] as { entries: unknown[]; removed: unknown[] } | undefined;
    if (table === undefined) throw new CheckpointFileError(`checkpoint file ${path} names an unknown table`);
    for (const entry of value.e ?? []) table.entries.push(entry);
    for (const key of value.r ?? []) table.removed.push(key);
  }
  for (const t of tables) delete (t as { frame?: number }).frame;
  return restoreLargeArrays(skeleton, arrays);
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

/** Fsyncs a folder (so that renames in it are durable), off the event loop. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
