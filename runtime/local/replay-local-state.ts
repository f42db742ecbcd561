import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalRuntimeConfig } from './config';
import {
  dataLayout,
  eventsLakeProcessing,
  type LocalProcessing,
  openRuntimeParts,
  type ProcessingDeps,
} from './create-local-runtime';
import { lockDataDir } from './data-dir-lock';
import { createJobRunner } from './job-runner';

/** The outcome of a replay. */
export type ReplayResult =
  | { readonly ok: true; readonly events: number; readonly seconds: number; readonly checkpointId: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Rebuilds the job's state (keyed state, serving stores) and the lake from the whole event log: the
 * checkpoints and the lake files the job wrote are deleted (the lease table is overwritten), then the log is read from
 * its first record and a checkpoint is taken at its end. Refused (unless `force`) when retention has
 * already deleted the oldest records, because the rebuilt state and lake would then miss them.
 */
export async function replayLocalState(options: {
  readonly config: LocalRuntimeConfig;
  readonly processing?: (deps: ProcessingDeps) => LocalProcessing;
  readonly force?: boolean;
  readonly print: (line: string) => void;
  readonly clock?: () => number;
}): Promise<ReplayResult> {
  const clock = options.clock ?? Date.now;
  const layout = dataLayout(options.config.dataDir);
  mkdirSync(layout.root, { recursive: true });
  const release = lockDataDir(layout.root, process.pid); // before the log is opened (opening repairs it)
  let parts: ReturnType<typeof openRuntimeParts> | undefined;
  try {
    parts = openRuntimeParts(options.config, options.processing ?? eventsLakeProcessing, clock);
    const trimmed = parts.log.positions().filter((p) => p.trimHorizon > 0);
    if (trimmed.length > 0 && options.force !== true) {
      return {
        ok: false,
        reason: `retention already deleted the first records of ${trimmed.map((p) => `${p.shardId} (before ${p.trimHorizon})`).join(', ')}: a replay would lose them from the state and the lake (use --force to replay what is left)`,
      };
    }
    for (const name of readdirSync(parts.layout.checkpoints))
      rmSync(join(parts.layout.checkpoints, name), { force: true });
    const total = parts.log.positions().reduce((n, p) => n + p.end - p.trimHorizon, 0);
    options.print(`Replaying ${total} events from ${parts.layout.log}...`);
    const started = clock();
    const runner = await createJobRunner(
      parts.processing.spec,
      { checkpointIntervalMs: options.config.checkpointIntervalMs },
      {
        consumer: parts.localLog.consumer,
        lake: parts.lake,
        checkpoints: parts.checkpoints,
        clock,
        onFatal: () => undefined,
      },
    );
    parts.attachRunner(runner);
    await runner.catchUp();
    await runner.checkpointNow();
    await parts.closeCheckpoints();
    const seconds = (clock() - started) / 1000;
    return { ok: true, events: runner.stats().processed, seconds, checkpointId: runner.stats().checkpointId };
  } finally {
    await parts?.log.close();
    release();
  }
}
