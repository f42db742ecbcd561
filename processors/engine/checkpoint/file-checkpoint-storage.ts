import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { type Checkpoint, type CheckpointStorage, drainCapturesNow } from './checkpoint';

/** Where {@link FileCheckpointStorage} writes and how many checkpoints per job it keeps. */
export interface FileCheckpointStorageConfig {
  readonly directory: string;
  /** Completed checkpoints kept per job (older ones are deleted); default 3. */
  readonly retain?: number;
}

const NAME = /^(.+)-(\d{12})\.ckpt$/;

/**
 * Checkpoints as files (V8 structured serialization, so Maps in state survive), one per checkpoint,
 * written to a temporary name and renamed, so a crash never leaves a half-written "latest" checkpoint.
 */
export class FileCheckpointStorage implements CheckpointStorage {
  private readonly retain: number;

  constructor(private readonly config: FileCheckpointStorageConfig) {
    this.retain = config.retain ?? 3;
    if (!Number.isInteger(this.retain) || this.retain < 1)
      throw new Error('retain must be a positive integer');
    mkdirSync(config.directory, { recursive: true });
  }

  store(checkpoint: Checkpoint): void {
    assertJobName(checkpoint.jobName);
    const file = join(
      this.config.directory,
      `${checkpoint.jobName}-${String(checkpoint.checkpointId).padStart(12, '0')}.ckpt`,
    );
    const tmp = `${file}.tmp`;
    drainCapturesNow(checkpoint);
    writeFileSync(tmp, serialize(checkpoint), { flush: true });
    renameSync(tmp, file);
    const old = this.files(checkpoint.jobName).slice(0, -this.retain);
    for (const f of old) rmSync(join(this.config.directory, f), { force: true });
  }

  latest(jobName: string): Checkpoint | undefined {
    assertJobName(jobName);
    const last = this.files(jobName).at(-1);
    if (last === undefined) return undefined;
    return deserialize(readFileSync(join(this.config.directory, last))) as Checkpoint;
  }

  /** The job's checkpoint files, oldest first. */
  private files(jobName: string): string[] {
    return readdirSync(this.config.directory)
      .filter((f) => NAME.exec(f)?.[1] === jobName)
      .sort();
  }
}

function assertJobName(name: string): void {
  if (!/^[\w.-]+$/.test(name)) {
    throw new Error(`job name "${name}" cannot name a checkpoint file (use letters, digits, '.', '_', '-')`);
  }
}
