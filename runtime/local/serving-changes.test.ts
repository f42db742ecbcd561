import { createMemoryProfileStore } from '../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../adapters/local/memory-segment-store';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { drainCaptures, foldCheckpoints, tableEntries } from '../../processors/engine/checkpoint/keyed-table';
import type { ProfileMerge } from '../../processors/identity';
import { profileDocument } from '../../test/fixtures/profile-document';
import type { MergeLog } from './resolver-identity-view';
import { type ServingChanges, trackServingStores } from './serving-changes';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const doc = (profileId: string, version: number): ProfileDocument =>
  profileDocument(profileId, { version, totalEvents: version }, '2026-06-01T00:00:00.000Z');
const item = (eventId: string, timestamp: string): ActivityItem => ({
  eventId,
  eventName: 'page_view',
  timestamp,
  source: 'web',
  properties: { path: `/${eventId}` },
});
const merge = (into: string, from: string): ProfileMerge =>
  ({ into, from: [from], cause: { rule: 'test' } }) as unknown as ProfileMerge;

function stores(options: { now?: () => number; coldTimelineAfterMs?: number } = {}) {
  const merges: MergeLog = new Map();
  const tracked = trackServingStores(
    createMemoryProfileStore({ now: () => NOW, ...options }),
    createMemorySegmentStore(),
    merges,
  );
  return { merges, ...tracked, tracked };
}

/** Everything the stores serve, as plain data. */
async function contentOf(s: ReturnType<typeof stores>) {
  const profiles = s.profiles.all().sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
  const activity: Record<string, ActivityItem[]> = {};
  const memberships: Record<string, unknown> = {};
  for (const id of ['p1', 'p2', 'p3', 'p4']) {
    activity[id] = [...(await s.profiles.listActivity(id, { limit: 100 })).items];
    memberships[id] = await s.segments.getMemberships(id);
  }
  return {
    profiles,
    activity,
    memberships,
    merges: Object.fromEntries([...s.merges].map(([k, v]) => [k, [...v]])),
  };
}

describe('trackServingStores', () => {
  it('captures only what changed since the previous capture; the folded captures restore the same stores', async () => {
    // Prepare
    const live = stores();
    const chain: ServingChanges[] = [];

    // Act: a first interval writes three profiles, timelines, memberships and a merge record
    await live.profiles.write(
      ['p1', 'p2', 'p3'].map((id) => ({ kind: 'put', document: doc(id, 1), expectedVersion: null })),
    );
    await live.profiles.appendActivity('p1', [item('e1', '2026-05-31T10:00:00.000Z')], NOW + 60_000);
    await live.profiles.appendActivity('p2', [item('e2', '2026-05-31T11:00:00.000Z')], NOW + 60_000);
    await live.segments.apply([
      {
        kind: 'add',
        membership: {
          segmentId: 's1',
          profileId: 'p1',
          source: 'realtime',
          enteredAt: '2026-05-31T10:00:00.000Z',
        },
      },
      {
        kind: 'add',
        membership: {
          segmentId: 's1',
          profileId: 'p2',
          source: 'realtime',
          enteredAt: '2026-05-31T11:00:00.000Z',
        },
      },
    ]);
    live.mergesChanged('p1');
    live.merges.set('p1', [merge('p1', 'p9')]);
    chain.push(await live.capture());
    // a second one: p2 merged into p1 (document deleted, timeline moved), a membership ends, p4 appears
    await live.profiles.write([
      { kind: 'delete', profileId: 'p2', expectedVersion: 1 },
      { kind: 'put', document: doc('p1', 2), expectedVersion: 1 },
      { kind: 'put', document: doc('p4', 1), expectedVersion: null },
    ]);
    await live.profiles.moveActivity('p2', 'p1');
    await live.segments.apply([{ kind: 'remove', segmentId: 's1', profileId: 'p2' }]);
    live.mergesChanged('p1'); // before the change (a pending capture copies first)
    live.merges.get('p1')?.push(merge('p1', 'p2'));
    const second = await live.capture();
    chain.push(second);
    const empty = await live.capture();
    for (const c of chain) await drainCaptures(c);
    const restored = stores();
    await restored.restore(foldCheckpoints(chain) as ServingChanges);
    const afterRestore = await restored.capture();

    // Assess
    expect(await contentOf(restored)).toEqual(await contentOf(live));
    expect(second.profiles.entries.map(([id]) => id).sort()).toEqual(['p1', 'p4']);
    expect(second.profiles.removed).toEqual(['p2']);
    expect(second.memberships.removed).toEqual(['p2']);
    expect([empty, afterRestore].map((c) => c.profiles.entries.length + c.profiles.removed.length)).toEqual([
      0, 0,
    ]);
  });

  it('a capture is written as the stores were at the capture, whatever changes before it is serialized', async () => {
    // Prepare
    const live = stores();
    const member = (profileId: string) => ({
      kind: 'add' as const,
      membership: {
        segmentId: 's1',
        profileId,
        source: 'realtime' as const,
        enteredAt: '2026-05-31T10:00:00.000Z',
      },
    });
    await live.profiles.write([{ kind: 'put', document: doc('p1', 1), expectedVersion: null }]);
    await live.profiles.appendActivity('p1', [item('e1', '2026-05-31T10:00:00.000Z')], NOW + 60_000);
    await live.segments.apply([member('p1')]);
    live.mergesChanged('p1');
    live.merges.set('p1', [merge('p1', 'p9')]);
    const atCapture = await contentOf(live);

    // Act: captured, then every value changes (or goes) before the capture is serialized
    const captured = live.capture();
    await live.profiles.write([{ kind: 'put', document: doc('p1', 2), expectedVersion: 1 }]);
    await live.profiles.appendActivity('p1', [item('e2', '2026-05-31T12:00:00.000Z')], NOW + 60_000);
    await live.profiles.moveActivity('p1', 'p3');
    await live.segments.apply([{ kind: 'remove', segmentId: 's1', profileId: 'p1' }, member('p2')]);
    live.mergesChanged('p1');
    live.merges.get('p1')?.push(merge('p1', 'p8'));
    await drainCaptures(captured);
    const restored = stores();
    await restored.restore(foldCheckpoints([captured]) as ServingChanges);

    // Assess
    expect(await contentOf(restored)).toEqual(atCapture);
    expect(atCapture.profiles.map((p) => p.version)).toEqual([1]);
    expect(captured.memberships.entries.map(([id]) => id)).toEqual(['p1']);
  });

  it('captures timelines packed or not as their entries (the format of before), as they were at the capture', async () => {
    // Prepare: p1 and p2 packed (cold), then p1 written again (hot, its packed part beside)
    let now = NOW;
    const live = stores({ now: () => now, coldTimelineAfterMs: 500 });
    const expiresAtMs = NOW + 60_000;
    await live.profiles.appendActivity(
      'p1',
      [item('e1', '2026-05-31T10:00:00.000Z'), item('e2', '2026-05-31T11:00:00.000Z')],
      expiresAtMs,
    );
    await live.profiles.appendActivity('p2', [item('e3', '2026-05-31T09:00:00.000Z')], expiresAtMs);
    now += 1_000;
    const packed = live.profiles.packColdTimelines(10);
    await live.profiles.appendActivity('p1', [item('e4', '2026-05-31T12:00:00.000Z')], expiresAtMs);
    const p1AtCapture = live.profiles.peekTimeline('p1');

    // Act: captured, then the timelines are written, moved and packed before it is serialized
    const captured = live.capture();
    await live.profiles.appendActivity('p1', [item('e5', '2026-05-31T13:00:00.000Z')], expiresAtMs);
    await live.profiles.appendActivity('p2', [item('e6', '2026-05-31T13:00:00.000Z')], expiresAtMs);
    await live.profiles.moveActivity('p2', 'p3');
    await live.profiles.listActivity('p1', { limit: 10 }); // a read packs it
    now += 1_000;
    live.profiles.packColdTimelines(10);
    await drainCaptures(captured);
    const restored = stores();
    await restored.restore(foldCheckpoints([captured]) as ServingChanges);

    // Assess
    const ids = async (id: string) =>
      (await restored.profiles.listActivity(id, { limit: 10 })).items.map((i) => i.eventId);
    expect(packed).toBe(2);
    expect(p1AtCapture).toEqual({
      base: expect.any(Buffer),
      fresh: [expect.objectContaining({ expiresAtMs })],
    });
    expect([await ids('p1'), await ids('p2'), await ids('p3')]).toEqual([['e4', 'e2', 'e1'], ['e3'], []]);
    const stored = new Map(
      tableEntries<string, { item: ActivityItem; expiresAtMs: number }[]>({
        ...captured.activity,
        delta: false,
      }),
    );
    expect(stored.get('p2')).toEqual([{ item: item('e3', '2026-05-31T09:00:00.000Z'), expiresAtMs }]);
    expect(
      stored
        .get('p1')
        ?.map((e) => e.item.eventId)
        .sort(),
    ).toEqual(['e1', 'e2', 'e4']);
  });
});
