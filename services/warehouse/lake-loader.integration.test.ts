import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { canonicalEvent, writeLakeFile } from '../../test/support/lake-files';
import { createLakeLoader } from './lake-loader';

jest.setTimeout(120_000);

describe('local lake loader', () => {
  let warehouse: Warehouse;
  let lakeDir: string;

  beforeAll(async () => {
    warehouse = await createPgliteWarehouse();
    lakeDir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
  });

  afterAll(async () => {
    await warehouse.close();
  });

  test('loads what the local lake writer wrote, once per file; a vanished file takes its rows along', async () => {
    // Prepare
    const writer = createLocalLakeWriter({ directory: lakeDir, commitMode: 'checkpoint' });
    const loader = createLakeLoader({ lakeDir }, { warehouse });
    const event = (id: string, day: string) =>
      canonicalEvent({
        eventId: id,
        eventName: 'page_view',
        timestamp: `2024-05-0${day}T10:00:00.000Z`,
        identity: { userId: 'u1', externalIds: [{ type: 'crm_id', value: 'C-1' }] },
      });
    await writer.write(
      [event('a', '1'), event('b', '2')].map((e) => ({
        table: 'events' as const,
        timestamp: e.timestamp,
        row: e,
      })),
    );
    await writer.write([
      {
        table: 'identity_links',
        timestamp: '2024-05-01T10:00:00.000Z',
        row: {
          from_type: 'user_id',
          from_value: 'u1',
          to_type: 'crm_id',
          to_value: 'C-1',
          event_id: 'a',
          linked_at: '2024-05-01T10:00:00.000Z',
        },
      },
    ]);
    await writer.commit(1);
    await writer.write(
      [event('c', '3')].map((e) => ({ table: 'events' as const, timestamp: e.timestamp, row: e })),
    );
    await writer.commit(2);
    const badFile = await writeLakeFile(lakeDir, 'events', '2024-05-04', 'bad.json.gz', ['not json']);

    // Act
    const first = await loader.load();
    const second = await loader.load();
    writer.discardAfter(1);
    await rm(badFile);
    const third = await loader.load();
    const rows = await warehouse.query(
      'select event_id, identity_user_id, identity_external_ids, dt from lake.events order by event_id',
    );
    const links = await warehouse.query('select from_value, to_value, linked_at from lake.identity_links');

    // Assess
    expect(first).toMatchObject({ files: 5, rows: 4, skippedFiles: 0, removedFiles: 0 });
    expect(first.badLines).toEqual([{ file: 'events/dt=2024-05-04/bad.json.gz', line: 1 }]);
    expect(second).toMatchObject({ files: 0, rows: 0, skippedFiles: 5 });
    expect(third).toMatchObject({ files: 0, removedFiles: 2 });
    expect(rows.rows).toEqual([
      {
        event_id: 'a',
        identity_user_id: 'u1',
        identity_external_ids: '[{"type":"crm_id","value":"C-1"}]',
        dt: '2024-05-01',
      },
      {
        event_id: 'b',
        identity_user_id: 'u1',
        identity_external_ids: '[{"type":"crm_id","value":"C-1"}]',
        dt: '2024-05-02',
      },
    ]);
    expect(links.rows).toEqual([
      { from_value: 'u1', to_value: 'C-1', linked_at: '2024-05-01T10:00:00.000Z' },
    ]);
  });

  test('a warehouse created before segment_changes had change_id gets the column and loads it', async () => {
    // Prepare: the table as older versions created it
    const older = await createPgliteWarehouse();
    const dir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
    try {
      await older.query('create schema lake');
      await older.query(
        'create table lake.segment_changes (segment_id text, profile_id text, change text, changed_at timestamp, origin text, dt text, _file text)',
      );
      await writeLakeFile(dir, 'segment_changes', '2024-05-01', 'part-1.json.gz', [
        {
          segment_id: 'sql-champions',
          profile_id: 'p1',
          change: 'enter',
          changed_at: '2024-05-01T10:00:00.000Z',
          origin: 'refresh',
          change_id: 'run-1:0',
        },
      ]);

      // Act
      const loaded = await createLakeLoader({ lakeDir: dir }, { warehouse: older }).load();
      const rows = await older.query('select profile_id, origin, change_id, dt from lake.segment_changes');

      // Assess
      expect(loaded).toMatchObject({ files: 1, rows: 1, badLines: [] });
      expect(rows.rows).toEqual([
        { profile_id: 'p1', origin: 'refresh', change_id: 'run-1:0', dt: '2024-05-01' },
      ]);
    } finally {
      await older.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
