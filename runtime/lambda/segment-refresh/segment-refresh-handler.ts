import type { DtPartitionsResult } from '../../../adapters/aws/glue-partitions';
import type { LakeWriter } from '../../../contracts/ports/lake-writer';
import type { SegmentStore } from '../../../contracts/ports/segment-store';
import type { Warehouse } from '../../../contracts/ports/warehouse';
import { createLakeSegmentChangeEmitter } from '../../../services/segment-sync/lake-change-emitter';
import { refreshSegments } from '../../../services/segment-sync/segment-refresh';
import type { Project } from '../../../services/warehouse/project';
import type { SqlRunConfig } from '../../../services/warehouse/runner';
import { MetricUnit, type Observability } from '../shared/observability';

/** Settings of the refresh (the SQL run's schema and vars; the lake is read through Spectrum). */
export interface SegmentRefreshHandlerConfig {
  readonly run?: SqlRunConfig;
  readonly batchSize?: number;
  /**
   * The Glue database and the `dt`-partitioned lake tables whose new days are registered before the
   * models run (Spectrum reads catalog partitions only, not Athena's projection).
   */
  readonly dtPartitions?: { readonly database: string; readonly tables: readonly string[] };
}

/** The warehouse (Redshift Data API in the entry file), the SQL project, the stores it syncs into. */
export interface SegmentRefreshHandlerDeps extends Observability {
  readonly warehouse: Warehouse;
  readonly project: () => Promise<Project>;
  readonly store: SegmentStore;
  /** Where enter/exit changes land (`segment_changes` in the lake, `origin: refresh`). */
  readonly lakeWriter: LakeWriter;
  readonly now: () => Date;
  /** Adds the lake's new `dt` partitions to the catalog (`adapters/aws/glue-partitions.ts`). */
  readonly dtPartitions?: {
    sync(database: string, tables: readonly string[]): Promise<DtPartitionsResult>;
  };
}

/** The segment models failed to build: nothing was synced. The scheduler's retry and alarm take over. */
export class SegmentModelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmentModelsError';
  }
}

/**
 * The scheduled segment refresh: registers the lake's new `dt` partitions in the Glue catalog, builds
 * the SQL models on the warehouse (`services/segment-sync`'s
 * `refreshSegments`, the same code `cdp segments refresh` runs), syncs `segment_memberships` into the
 * serving store (resumable, each change once) and writes the enter/exit changes to the lake. A model
 * failure throws `SegmentModelsError` naming the failed models.
 */
export function createSegmentRefreshHandler(
  config: SegmentRefreshHandlerConfig,
  deps: SegmentRefreshHandlerDeps,
): () => Promise<{ entered: number; exited: number; modelsBuilt: number }> {
  return async () => {
    const { logger, metrics } = deps;
    try {
      if (config.dtPartitions && deps.dtPartitions) {
        const { database, tables } = config.dtPartitions;
        const partitions = await deps.dtPartitions.sync(database, tables);
        logger.info(
          `dt partitions: ${partitions.created} added, ${partitions.existing} already in the catalog`,
        );
        metrics.addMetric('LakePartitionsAdded', MetricUnit.Count, partitions.created);
      }
      const result = await refreshSegments(
        {
          ...(config.run ? { run: config.run } : {}),
          ...(config.batchSize ? { batchSize: config.batchSize } : {}),
        },
        {
          warehouse: deps.warehouse,
          project: await deps.project(),
          store: deps.store,
          now: deps.now,
          log: (line) => logger.info(line),
          emit: createLakeSegmentChangeEmitter(deps.lakeWriter),
        },
      );
      if (!result.ok) {
        metrics.addMetric('SegmentRefreshFailed', MetricUnit.Count, 1);
        throw new SegmentModelsError(`segment models failed: ${result.failures.join('; ')}`);
      }
      metrics.addMetric('SegmentsEntered', MetricUnit.Count, result.sync.entered);
      metrics.addMetric('SegmentsExited', MetricUnit.Count, result.sync.exited);
      return { entered: result.sync.entered, exited: result.sync.exited, modelsBuilt: result.modelsBuilt };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
