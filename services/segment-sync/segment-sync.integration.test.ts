import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { Warehouse } from '../../contracts/ports/warehouse';
import { canonicalEvent, writeEventsByDay } from '../../test/support/lake-files';
import { JOURNEY_AS_OF, journeyEvents, profileIdOf } from '../../test/support/warehouse-journey';
import { createLakeLoader } from '../warehouse/lake-loader';
import { loadProject } from '../warehouse/project';
import { createSqlRunner } from '../warehouse/runner';
import { createSegmentSync, type IdentifiedSegmentChange, previewSegmentSync } from './segment-sync';

jest.setTimeout(180_000);

const SQL_DIR = join(__dirname, '..', '..', 'sql');

async function membershipSet(warehouse: Warehouse): Promise<Set<string>> {
  const r = await warehouse.query('select segment_id, profile_id from analytics.segment_memberships');
  return new Set(r.rows.map((row) => `${row.segment_id}|${row.profile_id}`));
}

async function storeSet(store: SegmentStore): Promise<Set<string>> {
  const out = new Set<string>();
  for (const s of await store.listSegments()) {
    const page = await store.listMembers(s.segmentId, { limit: 1_000_000 });
    for (const m of page.items) out.add(`${m.segmentId}|${m.profileId}`);
  }
  return out;
}

describe('segment sync from segment_memberships to the serving store', () => {
  let warehouse: Warehouse;
  let lakeDir: string;
  const build = async (asOf: string) => {
    await createLakeLoader({ lakeDir }, { warehouse }).load();
    const run = await createSqlRunner(
      { vars: { as_of: `'${asOf}'` } },
      { warehouse, project: await loadProject(SQL_DIR) },
    ).run();
    if (!run.ok) throw new Error(JSON.stringify(run.failures));
  };

  beforeAll(async () => {
    warehouse = await createPgliteWarehouse();
    lakeDir = await mkdtemp(join(tmpdir(), 'tributary-lake-'));
    await writeEventsByDay(lakeDir, journeyEvents());
  });

  afterAll(async () => {
    await warehouse.close();
  });

  test('a refresh that changes memberships writes exactly the adds and removes, with one event each', async () => {
    // Prepare: first refresh synced; then Bob buys and time moves on.
    const store = createMemorySegmentStore();
    const events: IdentifiedSegmentChange[] = [];
    const sync = createSegmentSync(
      { segments: [{ segmentId: 'sql-engaged-non-buyers' }] },
      {
        warehouse,
        store,
        emit: async (c) => void events.push(...c),
        now: () => new Date('2024-07-01T00:00:00Z'),
      },
    );
    await build(JOURNEY_AS_OF);
    const first = await sync.sync();
    const before = await membershipSet(warehouse);
    events.length = 0;
    const bobBuys = canonicalEvent({
      eventId: 'bob-buy',
      eventName: 'purchase',
      timestamp: '2024-06-29T10:00:00.000Z',
      identity: { anonymousId: 'bob-laptop' },
      properties: { amount: 30 },
    });
    await writeEventsByDay(lakeDir, [bobBuys]);
    await build('2024-07-01 00:00:00');
    const after = await membershipSet(warehouse);

    // Act
    const preview = await previewSegmentSync({}, { warehouse });
    const second = await sync.sync();
    const third = await sync.sync();

    // Assess
    const expectedEntered = [...after].filter((m) => !before.has(m)).sort();
    const expectedExited = [...before].filter((m) => !after.has(m)).sort();
    expect(first.entered).toBe(before.size);
    expect(expectedExited).toContain(`sql-engaged-non-buyers|${profileIdOf('anonymous_id:bob-laptop')}`);
    const key = (e: IdentifiedSegmentChange) => `${e.change.segmentId}|${e.change.profileId}`;
    expect(
      events
        .filter((e) => e.change.change === 'entered')
        .map(key)
        .sort(),
    ).toEqual(expectedEntered);
    expect(
      events
        .filter((e) => e.change.change === 'exited')
        .map(key)
        .sort(),
    ).toEqual(expectedExited);
    expect(events.every((e) => e.change.source === 'sql')).toBe(true);
    expect(second).toMatchObject({
      entered: expectedEntered.length,
      exited: expectedExited.length,
      resumed: false,
    });
    expect(third).toMatchObject({ entered: 0, exited: 0 });
    expect(preview.reduce((n, p) => n + p.entered, 0)).toBe(expectedEntered.length);
    expect(preview.reduce((n, p) => n + p.exited, 0)).toBe(expectedExited.length);
    expect(events).toHaveLength(expectedEntered.length + expectedExited.length);
    expect(await storeSet(store)).toEqual(after);
  });

  test('a crash mid-sync followed by a rerun converges with no duplicate events', async () => {
    // Prepare: a fresh sync state; the store dies on its third batch.
    await warehouse.query('drop schema if exists tributary_sync cascade');
    const inner = createMemorySegmentStore();
    let calls = 0;
    const crashing: SegmentStore = {
      ...inner,
      apply: async (writes: readonly MembershipWrite[]) => {
        calls++;
        if (calls === 3) {
          await inner.apply(writes.slice(0, 1)); // half a batch reached the store
          throw new Error('store connection lost');
        }
        await inner.apply(writes);
      },
    };
    const events: IdentifiedSegmentChange[] = [];
    const progress: number[] = [];
    const deps = {
      warehouse,
      emit: async (c: readonly IdentifiedSegmentChange[]) => void events.push(...c),
      now: () => new Date('2024-07-01T00:00:00Z'),
      onProgress: (p: { done: number }) => progress.push(p.done),
    };
    const desired = await membershipSet(warehouse);

    // Act
    const crashed = await createSegmentSync({ batchSize: 1 }, { ...deps, store: crashing })
      .sync()
      .catch((e: Error) => e);
    const rerun = await createSegmentSync({ batchSize: 1 }, { ...deps, store: crashing }).sync();

    // Assess
    expect(crashed).toBeInstanceOf(Error);
    expect(rerun.resumed).toBe(true);
    expect(await storeSet(inner)).toEqual(desired);
    const keys = events.map((e) => `${e.change.change}|${e.change.segmentId}|${e.change.profileId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(desired.size);
    expect(new Set(events.map((e) => e.changeId)).size).toBe(events.length);
    expect(progress[progress.length - 1]).toBe(desired.size);
  });

  test('a crash while events go out re-sends only that batch, with the same change ids', async () => {
    // Prepare: a fresh sync state; the emitter fails on its third batch after it went out (a lost ack).
    await warehouse.query('drop schema if exists tributary_sync cascade');
    const store = createMemorySegmentStore();
    const sent: IdentifiedSegmentChange[] = [];
    let calls = 0;
    const deps = { warehouse, store, now: () => new Date('2024-07-01T00:00:00Z') };
    const desired = await membershipSet(warehouse);

    // Act
    const crashed = await createSegmentSync(
      { batchSize: 1 },
      {
        ...deps,
        emit: async (c) => {
          calls++;
          sent.push(...c);
          if (calls === 3) throw new Error('event log unreachable');
        },
      },
    )
      .sync()
      .catch((e: Error) => e);
    const rerun = await createSegmentSync(
      { batchSize: 1 },
      { ...deps, emit: async (c) => void sent.push(...c) },
    ).sync();

    // Assess: every change once, except the third batch's, sent twice with one id.
    expect(crashed).toBeInstanceOf(Error);
    expect(rerun.resumed).toBe(true);
    expect(await storeSet(store)).toEqual(desired);
    const ids = sent.map((e) => e.changeId);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(repeated).toEqual([ids[2]]);
    expect(new Set(ids).size).toBe(desired.size);
  });
});
