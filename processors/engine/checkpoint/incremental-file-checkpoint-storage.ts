import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Checkpoint, CheckpointStorage } from './checkpoint';
import {
  type CompactionRequest,
  compactCheckpointFiles,
  readCheckpointFile,
  syncDirectory,
  writeCheckpointFile,
  writeFileDurably,
} from './checkpoint-files';
import { FileCheckpointStorage } from './file-checkpoint-storage';
import { foldCheckpoints } from './keyed-table';

/** Runs a compaction (in a worker thread in the runtime; in process by default). */
export type Compactor = (request: CompactionRequest) => Promise<void>;

/** Configuration of {@link IncrementalFileCheckpointStorage}. */
export interface IncrementalFileCheckpointStorageConfig {
  readonly directory: string;
  /** Compact when the deltas since the base hold more bytes than this share of the base (default 1). */
  readonly compactAtDeltaRatio?: number;
  /** ...or when there are this many deltas (default 30: bounds the restore's work). */
  readonly compactAtDeltas?: number;
  /** ...but never for less than this many bytes of deltas (default 4 MiB). */
  readonly compactMinBytes?: number;
  readonly compactor?: Compactor;
  /**
   * How long (ms) each task of a checkpoint write may serialize before yielding (default 8). A runtime
   * whose job runs long rounds (catching up) gives the write as long, so it is not starved.
   */
  readonly sliceMs?: () => number;
  /** Called when a background compaction failed (the chain stays valid; the next one retries). */
  readonly onCompactionError?: (error: unknown) => void;
}

/** `<job>.manifest`: which files make the latest completed checkpoint, in fold order. */
const Manifest = z.object({
  formatVersion: z.literal(1),
  checkpointId: z.number().int(),
  /** Checkpoint id of the base file (`<job>-<id>.base`), absent while none was compacted yet. */
  base: z.number().int().optional(),
  /** Delta files (`<job>-<id>.delta`) after the base, in order. */
  deltas: z.array(z.number().int()),
});
type Manifest = z.infer<typeof Manifest>;

const FILE = /^(.+)-(\d{12})\.(base|delta)$/;

const id12 = (id: number) => String(id).padStart(12, '0');

/**
 * Incremental checkpoints as files (Flink's incremental checkpoints): each checkpoint is written as a
 * delta file (its keyed tables hold only the changes since the previous one, `keyed-table.ts`), then a
 * small manifest naming the base and the deltas is replaced atomically, which completes it. A base is
 * compacted from the chain in the background when the deltas grow. Restoring folds base + deltas in
 * order. Files the manifest does not name (a crash during a write, older chains) are ignored and
 * deleted. A directory with only whole `.ckpt` files (the older format) is restored from its latest.
 */
export class IncrementalFileCheckpointStorage implements CheckpointStorage {
  private readonly ratio: number;
  private readonly maxDeltas: number;
  private readonly minBytes: number;
  private readonly compactor: Compactor;
  private readonly manifests = new Map<string, Manifest>();
  private readonly bytes = new Map<string, number>();
  private compaction: { job: string; upTo: number; done: Promise<boolean> } | undefined;
  private compacted: { job: string; upTo: number } | undefined;

  constructor(private readonly config: IncrementalFileCheckpointStorageConfig) {
    this.ratio = config.compactAtDeltaRatio ?? 1;
    this.maxDeltas = config.compactAtDeltas ?? 30;
    this.minBytes = config.compactMinBytes ?? 4 * 1024 * 1024;
    this.compactor = config.compactor ?? compactCheckpointFiles;
    mkdirSync(config.directory, { recursive: true });
  }

  /**
   * Writes the checkpoint's delta file a chunk at a time (captures are serialized as they are written,
   * yielding to the event loop between chunks), then the manifest and an fsync of the folder (the
   * checkpoint is complete once this resolves), then deletes what no
   * manifest names any more and starts a compaction when due.
   */
  async store(checkpoint: Checkpoint): Promise<void> {
    assertJobName(checkpoint.jobName);
    const job = checkpoint.jobName;
    const bytes = await writeCheckpointFile(
      this.path(job, checkpoint.checkpointId, 'delta'),
      checkpoint,
      this.config.sliceMs ?? (() => 8),
    );
    this.bytes.set(`${job}:${checkpoint.checkpointId}`, bytes);
    const previous = this.manifest(job);
    let manifest: Manifest = {
      formatVersion: 1,
      checkpointId: checkpoint.checkpointId,
      ...(previous?.base === undefined ? {} : { base: previous.base }),
      deltas: [...(previous?.deltas ?? []), checkpoint.checkpointId],
    };
    const compacted = this.compacted;
    if (compacted?.job === job && manifest.deltas.includes(compacted.upTo)) {
      manifest = {
        ...manifest,
        base: compacted.upTo,
        deltas: manifest.deltas.filter((d) => d > compacted.upTo),
      };
      this.compacted = undefined;
    }
    await writeFileDurably(this.manifestPath(job), Buffer.from(JSON.stringify(manifest)));
    await syncDirectory(this.config.directory); // the renames of the delta and the manifest are durable
    this.manifests.set(job, manifest);
    this.removeUnreferenced(job, manifest);
    this.maybeCompact(job, manifest);
  }

  /** The latest completed checkpoint: base and deltas folded (values of keyed tables still encoded). */
  latest(jobName: string): Checkpoint | undefined {
    assertJobName(jobName);
    const manifest = this.manifest(jobName);
    if (manifest === undefined) {
      // the older format: whole checkpoints, one file each
      return new FileCheckpointStorage({ directory: this.config.directory }).latest(jobName);
    }
    const chain: unknown[] = [];
    if (manifest.base !== undefined)
      chain.push(readCheckpointFile(this.path(jobName, manifest.base, 'base')));
    for (const d of manifest.deltas) chain.push(readCheckpointFile(this.path(jobName, d, 'delta')));
    return foldCheckpoints(chain) as Checkpoint;
  }

  /** Resolves when no compaction runs (for tests and a clean stop). */
  async idle(): Promise<void> {
    await this.compaction?.done;
  }

  /** Deletes files (and leftovers of writes) that the job's manifest does not name. */
  private removeUnreferenced(job: string, manifest: Manifest): void {
    const keep = new Set([
      ...(manifest.base === undefined ? [] : [`${job}-${id12(manifest.base)}.base`]),
      ...manifest.deltas.map((d) => `${job}-${id12(d)}.delta`),
    ]);
    const running = this.compaction?.job === job ? `${job}-${id12(this.compaction.upTo)}.base` : undefined;
    for (const f of readdirSync(this.config.directory)) {
      const m = FILE.exec(f.replace(/\.tmp$/, ''));
      if (m?.[1] !== job || keep.has(f)) continue;
      if (running !== undefined && f.startsWith(running)) continue;
      if (this.compacted?.job === job && f === `${job}-${id12(this.compacted.upTo)}.base`) continue;
      rmSync(join(this.config.directory, f), { force: true });
    }
    // whole checkpoints of the older format are superseded by the first manifest
    for (const f of readdirSync(this.config.directory))
      if (f.startsWith(`${job}-`) && f.endsWith('.ckpt')) rmSync(join(this.config.directory, f));
  }

  private maybeCompact(job: string, manifest: Manifest): void {
    if (this.compaction !== undefined || manifest.deltas.length < 2) return;
    const deltaBytes = manifest.deltas.reduce((n, d) => n + this.sizeOf(job, d, 'delta'), 0);
    const baseBytes = manifest.base === undefined ? 0 : this.sizeOf(job, manifest.base, 'base');
    const due =
      manifest.deltas.length >= this.maxDeltas ||
      (deltaBytes >= this.minBytes && deltaBytes > this.ratio * baseBytes);
    if (!due) return;
    const upTo = manifest.checkpointId;
    const request: CompactionRequest = {
      base: manifest.base === undefined ? undefined : this.path(job, manifest.base, 'base'),
      deltas: manifest.deltas.map((d) => this.path(job, d, 'delta')),
      target: this.path(job, upTo, 'base'),
    };
    const done = this.compactor(request).then(
      () => {
        this.compacted = { job, upTo };
        this.compaction = undefined;
        return true;
      },
      (error: unknown) => {
        this.compaction = undefined;
        rmSync(`${request.target}.tmp`, { force: true });
        this.config.onCompactionError?.(error);
        return false;
      },
    );
    this.compaction = { job, upTo, done };
  }

  private sizeOf(job: string, id: number, kind: 'base' | 'delta'): number {
    const known = kind === 'delta' ? this.bytes.get(`${job}:${id}`) : undefined;
    if (known !== undefined) return known;
    try {
      return statSync(this.path(job, id, kind)).size;
    } catch {
      return 0;
    }
  }

  private manifest(job: string): Manifest | undefined {
    const cached = this.manifests.get(job);
    if (cached !== undefined) return cached;
    const path = this.manifestPath(job);
    if (!existsSync(path)) return undefined;
    const manifest = Manifest.parse(JSON.parse(readFileSync(path, 'utf8')));
    this.manifests.set(job, manifest);
    return manifest;
  }

  private manifestPath(job: string): string {
    return join(this.config.directory, `${job}.manifest`);
  }

  private path(job: string, id: number, kind: 'base' | 'delta'): string {
    return join(this.config.directory, `${job}-${id12(id)}.${kind}`);
  }
}

function assertJobName(name: string): void {
  if (!/^[\w.-]+$/.test(name)) {
    throw new Error(`job name "${name}" cannot name a checkpoint file (use letters, digits, '.', '_', '-')`);
  }
}
