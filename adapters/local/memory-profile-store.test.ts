import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { profileDocument } from '../../test/fixtures/profile-document';
import { createMemoryProfileStore } from './memory-profile-store';

function doc(profileId: string, version: number): ProfileDocument {
  return profileDocument(profileId, { version, totalEvents: 1 }, '2026-01-01T00:00:00.000Z');
}

const item = (eventId: string, timestamp: string): ActivityItem => ({
  eventId,
  eventName: 'page_view',
  timestamp,
  source: 'web',
  properties: {},
});

describe('createMemoryProfileStore', () => {
  it('writes under version conditions, all or nothing', async () => {
    // Prepare
    const store = createMemoryProfileStore();
    await store.write([{ kind: 'put', document: doc('p1', 1), expectedVersion: null }]);
    // Act
    const conflict = await store.write([
      { kind: 'put', document: doc('p2', 1), expectedVersion: null },
      { kind: 'put', document: doc('p1', 2), expectedVersion: 5 },
    ]);
    const ok = await store.write([
      { kind: 'put', document: doc('p1', 2), expectedVersion: 1 },
      { kind: 'put', document: doc('p2', 1), expectedVersion: null },
    ]);
    const deleted = await store.write([{ kind: 'delete', profileId: 'p2', expectedVersion: 1 }]);
    // Assess
    expect(conflict).toEqual({ ok: false, reason: 'conflict', profileId: 'p1' });
    expect(ok).toEqual({ ok: true });
    expect(deleted).toEqual({ ok: true });
    expect((await store.get('p1'))?.version).toBe(2);
    expect(await store.getMany(['p2', 'p1'])).toEqual([undefined, expect.objectContaining({ version: 2 })]);
  });

  it('hands out copies, never its own objects', async () => {
    const store = createMemoryProfileStore();
    const d = doc('p1', 1);
    await store.write([{ kind: 'put', document: d, expectedVersion: null }]);
    d.totalEvents = 99;
    const read = await store.get('p1');
    if (read) read.totalEvents = 42;
    expect((await store.get('p1'))?.totalEvents).toBe(1);
  });

  it('keeps activity once per event id, newest first, pages with a cursor, expires and moves it', async () => {
    // Prepare
    let now = 1_000;
    const store = createMemoryProfileStore({ now: () => now, maxActivityPerProfile: 3 });
    await store.appendActivity('p1', [item('a', '2026-01-01T00:00:01.000Z')], 5_000);
    await store.appendActivity(
      'p1',
      [item('a', '2026-01-01T00:00:01.000Z'), item('b', '2026-01-01T00:00:03.000Z')],
      10_000,
    );
    await store.appendActivity('p1', [item('c', '2026-01-01T00:00:02.000Z')], 10_000);
    await store.appendActivity('p1', [item('d', '2026-01-01T00:00:00.500Z')], 500); // already expired
    // Act
    const first = await store.listActivity('p1', { limit: 2 });
    const second = await store.listActivity('p1', { limit: 2, cursor: first.nextCursor });
    now = 6_000;
    const afterExpiry = await store.listActivity('p1', { limit: 10 });
    await store.appendActivity('p2', [item('e', '2026-01-01T00:00:05.000Z')], 10_000);
    await store.moveActivity('p1', 'p2');
    const moved = await store.listActivity('p2', { limit: 10 });
    // Assess
    expect(first.items.map((i) => i.eventId)).toEqual(['b', 'c']);
    expect(second).toEqual({ items: [expect.objectContaining({ eventId: 'a' })] });
    expect(afterExpiry.items.map((i) => i.eventId)).toEqual(['b', 'c']);
    expect(moved.items.map((i) => i.eventId)).toEqual(['e', 'b', 'c']);
    expect((await store.listActivity('p1', { limit: 10 })).items).toEqual([]);
  });

  it('bounds the timeline to the newest entries', async () => {
    const store = createMemoryProfileStore({ now: () => 0, maxActivityPerProfile: 2 });
    await store.appendActivity(
      'p1',
      [item('a', '2026-01-01T00:00:01.000Z'), item('b', '2026-01-01T00:00:02.000Z')],
      10,
    );
    await store.appendActivity('p1', [item('c', '2026-01-01T00:00:03.000Z')], 10);
    expect((await store.listActivity('p1', { limit: 10 })).items.map((i) => i.eventId)).toEqual(['c', 'b']);
  });

  it('serves the newest live timeline entries as JSON text, the same entries listActivity gives', async () => {
    // Prepare
    let now = 1_000;
    const store = createMemoryProfileStore({ now: () => now });
    await store.appendActivity(
      'p1',
      [
        { ...item('a', '2026-01-01T00:00:01.000Z'), properties: { note: 'quote " and \u2028' } },
        item('b', '2026-01-01T00:00:03.000Z'),
      ],
      5_000,
    );
    await store.appendActivity('p1', [item('c', '2026-01-01T00:00:02.000Z')], 10_000);
    // Act
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
    const two = text(store.recentActivityJson('p1', 2));
    const all = text(store.recentActivityJson('p1', 10));
    const listed = (await store.listActivity('p1', { limit: 2 })).items;
    now = 6_000;
    const afterExpiry = text(store.recentActivityJson('p1', 10));
    // Assess
    expect(two).toBe(JSON.stringify(listed));
    expect(JSON.parse(two).map((i: ActivityItem) => i.eventId)).toEqual(['b', 'c']);
    expect(JSON.parse(all)[2]).toEqual({
      ...item('a', '2026-01-01T00:00:01.000Z'),
      properties: { note: 'quote " and \u2028' },
    });
    expect(JSON.parse(afterExpiry).map((i: ActivityItem) => i.eventId)).toEqual(['c']);
    expect(text(store.recentActivityJson('p1', 0))).toBe('[]');
    expect(text(store.recentActivityJson('nobody', 10))).toBe('[]');
  });

  it('peeks at the stored document itself, which a later write replaces instead of changing', async () => {
    const store = createMemoryProfileStore();
    await store.write([{ kind: 'put', document: doc('p1', 1), expectedVersion: null }]);
    const peeked = store.peek('p1');
    await store.write([{ kind: 'put', document: doc('p1', 2), expectedVersion: 1 }]);
    expect(peeked?.version).toBe(1);
    expect(store.peek('p1')?.version).toBe(2);
    expect(store.peek('p2')).toBeUndefined();
  });
});
