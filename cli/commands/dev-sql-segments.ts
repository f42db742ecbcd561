import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { createPostgresWarehouse } from '../../adapters/local/postgres-warehouse';
import type { SegmentStore } from '../../contracts/ports/segment-store';
import type { LocalRuntimeConfig } from '../../runtime/local/config';
import { dataLayout } from '../../runtime/local/create-local-runtime';
import { createSqlSegmentRefresh, type SqlSegmentRefresh } from '../../runtime/local/sql-segment-refresh';
import { loadProject } from '../../services/warehouse/project';

/** The SQL project shipped with Tributary (`sql/`), from the sources or from `dist/`. */
export function shippedSqlProject(): string {
  const candidates = [join(__dirname, '..', '..', 'sql'), join(__dirname, '..', '..', '..', 'sql')];
  return candidates.find((p) => existsSync(join(p, 'dbt_project.yml'))) ?? (candidates[0] as string);
}

/**
 * The SQL segment refresh of `cdp dev`: PGlite in `<data>/warehouse` (or the `warehouseUrl` server),
 * the shipped models, the local lake; refresh changes are written to the lake at once (their own files,
 * outside the checkpoint protocol, since no replay of the log could write them again).
 */
export function localSqlSegmentRefresh(
  config: LocalRuntimeConfig,
  segments: SegmentStore,
  print: (line: string) => void,
): SqlSegmentRefresh {
  const layout = dataLayout(config.dataDir);
  const { warehouseUrl } = config;
  return createSqlSegmentRefresh(
    {
      intervalMs: config.segmentRefreshMinutes * 60_000,
      lakeDir: layout.lake,
      reconcileOnStart: warehouseUrl !== undefined || existsSync(join(layout.root, 'warehouse')),
    },
    {
      openWarehouse: async () =>
        warehouseUrl
          ? createPostgresWarehouse({ url: warehouseUrl })
          : createPgliteWarehouse({ dataDir: join(layout.root, 'warehouse') }),
      loadProject: () => loadProject(shippedSqlProject()),
      store: segments,
      lake: createLocalLakeWriter({ directory: layout.lake, commitMode: 'flush' }),
      now: () => new Date(),
      print,
    },
  );
}
