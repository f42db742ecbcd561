import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { InMemorySource, ManualClock } from '../../processors/engine';
import { createProfilePipeline, type PipelineInput } from '../../processors/pipeline';
import { createLakeLoader } from './lake-loader';
import {
  compareProfiles,
  type ParityDifference,
  type ProcessorProfile,
  readWarehouseProfiles,
} from './parity';
import type { Project } from './project';
import { createSqlRunner, formatFailure } from './runner';

/** What a parity run compared and found. */
export type ParityResult =
  | {
      readonly ok: true;
      readonly profiles: number;
      readonly warehouseProfiles: number;
      readonly differences: readonly ParityDifference[];
    }
  | { readonly ok: false; readonly reason: 'models'; readonly failures: readonly string[] };

/**
 * Runs the same events through both paths and compares: the profile pipeline (memory stores, the
 * local lake writer into `lakeDir`) and, from the lake it wrote, the warehouse models at `nowMs`.
 */
export async function runParity(
  events: readonly CanonicalEvent[],
  options: { readonly nowMs: number; readonly lakeDir: string },
  deps: { readonly warehouse: Warehouse; readonly project: Project },
): Promise<ParityResult> {
  const clock = new ManualClock(options.nowMs);
  const profiles = createMemoryProfileStore({ now: () => clock.now() });
  const lake = createLocalLakeWriter({ directory: options.lakeDir });
  const records: PipelineInput[] = events.map((e, i) => ({
    shardId: 'shard-0',
    sequenceNumber: String(1000 + i),
    data: JSON.stringify(e),
  }));
  const pipeline = createProfilePipeline(
    {},
    {
      source: new InMemorySource<PipelineInput>([records], { bounded: true }),
      profileStore: profiles,
      segmentStore: createMemorySegmentStore(),
      lakeWriter: lake,
      clock,
    },
  );
  await pipeline.runToEnd();
  await lake.flush();
  const processorProfiles: ProcessorProfile[] = profiles.all().map((document) => ({
    document,
    identifiers: pipeline.identity.getProfile(document.profileId)?.identifiers ?? [],
  }));

  await createLakeLoader({ lakeDir: options.lakeDir }, { warehouse: deps.warehouse }).load();
  const asOf = new Date(options.nowMs).toISOString().replace('T', ' ').replace('Z', '');
  const run = await createSqlRunner({ vars: { as_of: `'${asOf}'` } }, deps).run();
  if (!run.ok) return { ok: false, reason: 'models', failures: run.failures.map(formatFailure) };
  const warehouseProfiles = await readWarehouseProfiles(deps.warehouse);
  return {
    ok: true,
    profiles: processorProfiles.length,
    warehouseProfiles: warehouseProfiles.size,
    differences: compareProfiles(processorProfiles, warehouseProfiles),
  };
}
