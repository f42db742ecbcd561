import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { reconcileSqlMemberships } from './sql-segment-refresh';

jest.setTimeout(60_000);

describe('reconcileSqlMemberships', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await createPgliteWarehouse();
  });
  afterAll(async () => {
    await warehouse.close();
  });

  it('does nothing before the first sync (no bookkeeping tables)', async () => {
    // Prepare
    const store = createMemorySegmentStore();

    // Act
    const fixed = await reconcileSqlMemberships(warehouse, store);

    // Assess
    expect(fixed).toBe(0);
    expect(await store.listSegments()).toEqual([]);
  });

  it('makes the SQL memberships equal to the synced record, leaving real-time ones alone', async () => {
    // Prepare: the warehouse synced p1 and p2 into sql-a; the store (from an older checkpoint) has p3
    await warehouse.query('create schema if not exists tributary_sync');
    await warehouse.query(
      'create table tributary_sync.synced_memberships (segment_id varchar(256), profile_id varchar(256), entered_at timestamp)',
    );
    await warehouse.query(
      "insert into tributary_sync.synced_memberships values ('sql-a', 'p1', '2026-01-01 00:00:00'), ('sql-a', 'p2', '2026-01-01 00:00:00')",
    );
    const store = createMemorySegmentStore();
    await store.defineSegment({ segmentId: 'sql-a', source: 'sql', description: 'Segment A.' });
    await store.defineSegment({ segmentId: 'rt', source: 'realtime' });
    await store.apply([
      { kind: 'add', membership: { segmentId: 'sql-a', profileId: 'p3', source: 'sql', enteredAt: 'x' } },
      { kind: 'add', membership: { segmentId: 'rt', profileId: 'p9', source: 'realtime', enteredAt: 'y' } },
    ]);

    // Act
    const fixed = await reconcileSqlMemberships(warehouse, store);
    const again = await reconcileSqlMemberships(warehouse, store);

    // Assess
    expect(fixed).toBe(3);
    expect(again).toBe(0);
    expect(
      (await store.listMembers('sql-a', { limit: 10 })).items.map((m) => [m.profileId, m.source]),
    ).toEqual([
      ['p1', 'sql'],
      ['p2', 'sql'],
    ]);
    expect((await store.listMembers('rt', { limit: 10 })).items.map((m) => m.profileId)).toEqual(['p9']);
    // the description the sync registered survives the reconcile
    expect((await store.listSegments()).find((s) => s.segmentId === 'sql-a')?.description).toBe('Segment A.');
  });
});
