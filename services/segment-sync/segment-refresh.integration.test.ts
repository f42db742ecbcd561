import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { writeEventsByDay } from '../../test/support/lake-files';
import { JOURNEY_AS_OF, journeyEvents, profileIdOf } from '../../test/support/warehouse-journey';
import { loadProject } from '../warehouse/project';
import { createLakeSegmentChangeEmitter, refreshSegments } from '.';

jest.setTimeout(180_000);

describe('refreshSegments (what the embedded schedule and cdp run)', () => {
  test('loads the lake, builds the models, syncs the SQL segments and lands their changes in the lake', async () => {
    // Prepare
    const lakeDir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
    await writeEventsByDay(lakeDir, journeyEvents());
    const warehouse = await createPgliteWarehouse();
    const store = createMemorySegmentStore();
    const progress: number[] = [];

    // Act
    const result = await refreshSegments(
      { lakeDir, run: { vars: { as_of: `'${JOURNEY_AS_OF}'` } }, batchSize: 2 },
      {
        warehouse,
        project: await loadProject(join(__dirname, '..', '..', 'sql')),
        store,
        emit: createLakeSegmentChangeEmitter(createLocalLakeWriter({ directory: lakeDir })),
        now: () => new Date('2024-06-30T00:00:00Z'),
        onProgress: (p) => progress.push(p.done),
      },
    );
    const segments = await store.getMemberships(profileIdOf('user_id:u1'));
    const listed = (await store.listSegments()).filter((s) => s.source === 'sql');
    const changeFiles = await readdir(join(lakeDir, 'segment_changes', 'dt=2024-06-30'));
    await warehouse.close();

    // Assess
    expect(result.ok && result.sync.entered).toBe(progress[progress.length - 1]);
    expect(result).toMatchObject({ ok: true, modelsBuilt: 24, lakeRows: 37 });
    expect(segments.map((m) => [m.segmentId, m.source])).toContainEqual(['sql-high-value-customers', 'sql']);
    expect(changeFiles.length).toBeGreaterThan(0);
    // Every SQL segment is listed with its model's description, members or not
    expect(listed.map((s) => s.segmentId).sort()).toEqual([
      'rfm-champions',
      'rfm-hibernating',
      'sql-at-risk-churners',
      'sql-engaged-non-buyers',
      'sql-high-value-customers',
    ]);
    expect(listed.find((s) => s.segmentId === 'sql-high-value-customers')?.description).toBe(
      'Seed segment: lifetime value > 500 and more than 3 purchases.',
    );
    expect(listed.filter((s) => !s.description)).toEqual([]);
    expect(listed.some((s) => s.memberCount === 0)).toBe(true);
  });
});
