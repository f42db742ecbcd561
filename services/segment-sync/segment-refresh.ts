import type { SegmentStore } from '../../contracts/ports/segment-store';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { createLakeLoader } from '../warehouse/lake-loader';
import type { Project } from '../warehouse/project';
import { createSqlRunner, formatFailure, type SqlRunConfig } from '../warehouse/runner';
import {
  createSegmentSync,
  type IdentifiedSegmentChange,
  type SyncProgress,
  type SyncSummary,
} from './segment-sync';
import { sqlSegmentsOfProject } from './sql-segments';

/** Settings of one refresh: the local lake to load first (embedded runtime only), models, sync. */
export interface SegmentRefreshConfig {
  /** `<data>/lake`; loaded incrementally before the models are built. Omit on Redshift (Spectrum). */
  readonly lakeDir?: string;
  readonly run?: SqlRunConfig;
  readonly batchSize?: number;
}

/** What a refresh needs. */
export interface SegmentRefreshDeps {
  readonly warehouse: Warehouse;
  readonly project: Project;
  readonly store: SegmentStore;
  readonly emit: (changes: readonly IdentifiedSegmentChange[]) => Promise<void>;
  readonly now: () => Date;
  readonly log?: (line: string) => void;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** Outcome of a refresh: the sync summary, or the model failures that stopped it before any sync. */
export type SegmentRefreshResult =
  | { readonly ok: true; readonly sync: SyncSummary; readonly modelsBuilt: number; readonly lakeRows: number }
  | { readonly ok: false; readonly reason: 'models'; readonly failures: readonly string[] };

/** Load the lake → build the models → sync `segment_memberships` into the serving store. */
export async function refreshSegments(
  config: SegmentRefreshConfig,
  deps: SegmentRefreshDeps,
): Promise<SegmentRefreshResult> {
  const log = deps.log ?? (() => undefined);
  let lakeRows = 0;
  if (config.lakeDir !== undefined) {
    const loaded = await createLakeLoader({ lakeDir: config.lakeDir }, { warehouse: deps.warehouse }).load();
    lakeRows = loaded.rows;
    log(`lake: ${loaded.files} new files, ${loaded.rows} rows, ${loaded.badLines.length} unreadable lines`);
  }
  const runner = createSqlRunner(config.run ?? {}, { warehouse: deps.warehouse, project: deps.project, log });
  const run = await runner.run();
  if (!run.ok) return { ok: false, reason: 'models', failures: run.failures.map(formatFailure) };
  const sync = await createSegmentSync(
    {
      schema: config.run?.schema ?? 'analytics',
      ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
      // Every SQL segment of the project, with its model's description, listed even with no members.
      segments: sqlSegmentsOfProject(deps.project),
    },
    deps,
  ).sync();
  log(
    `sync ${sync.runId}: ${sync.entered} entered, ${sync.exited} exited${sync.resumed ? ' (resumed)' : ''}`,
  );
  return { ok: true, sync, modelsBuilt: run.built.length, lakeRows };
}

/** A running schedule; `stop` waits for a refresh in progress to finish. */
export interface ScheduledRefresh {
  stop(): Promise<void>;
}

/**
 * In-process schedule for the embedded runtime: runs `refresh` every `intervalMs` (first run after one
 * interval), never two at once; a failed refresh is reported to `onError` and retried next time.
 */
export function scheduleSegmentRefresh(
  config: { readonly intervalMs: number },
  deps: { readonly refresh: () => Promise<unknown>; readonly onError: (error: unknown) => void },
): ScheduledRefresh {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = deps
      .refresh()
      .then(() => undefined, deps.onError)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, config.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
