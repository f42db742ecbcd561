import type { SegmentMembership } from '../../contracts/profile';
import { createMemorySegmentStore } from './memory-segment-store';

const member = (
  segmentId: string,
  profileId: string,
  enteredAt = '2026-01-01T00:00:00.000Z',
): SegmentMembership => ({
  segmentId,
  profileId,
  source: 'realtime',
  enteredAt,
});

describe('createMemorySegmentStore', () => {
  it('stores memberships both ways, idempotently', async () => {
    // Prepare
    const store = createMemorySegmentStore();
    await store.defineSegment({ segmentId: 'vip', source: 'realtime', description: 'Very important' });
    await store.defineSegment({ segmentId: 'empty', source: 'sql' });
    // Act
    await store.apply([
      { kind: 'add', membership: member('vip', 'p2') },
      { kind: 'add', membership: member('vip', 'p1') },
      { kind: 'add', membership: member('vip', 'p1', '2026-02-02T00:00:00.000Z') },
      { kind: 'add', membership: member('churn', 'p1') },
      { kind: 'remove', segmentId: 'churn', profileId: 'p9' },
    ]);
    await store.apply([{ kind: 'remove', segmentId: 'churn', profileId: 'p1' }]);
    await store.apply([{ kind: 'remove', segmentId: 'churn', profileId: 'p1' }]);
    // Assess
    expect(await store.getMemberships('p1')).toEqual([member('vip', 'p1')]);
    expect(await store.listSegments()).toEqual([
      { segmentId: 'empty', source: 'sql', memberCount: 0 },
      { segmentId: 'vip', source: 'realtime', memberCount: 2, description: 'Very important' },
    ]);
  });

  it('pages members by profile id', async () => {
    const store = createMemorySegmentStore();
    await store.apply(['p3', 'p1', 'p2'].map((p) => ({ kind: 'add' as const, membership: member('s', p) })));
    const first = await store.listMembers('s', { limit: 2 });
    const second = await store.listMembers('s', { limit: 2, cursor: first.nextCursor });
    expect(first.items.map((m) => m.profileId)).toEqual(['p1', 'p2']);
    expect(second).toEqual({ items: [member('s', 'p3')] });
  });

  it('pages see the writes made between pages, and a page never hands out the stored object', async () => {
    // Prepare
    const store = createMemorySegmentStore();
    await store.apply(['p1', 'p2', 'p4'].map((p) => ({ kind: 'add' as const, membership: member('s', p) })));
    const first = await store.listMembers('s', { limit: 1 });

    // Act
    await store.apply([
      { kind: 'add', membership: member('s', 'p3') },
      { kind: 'remove', segmentId: 's', profileId: 'p4' },
      { kind: 'add', membership: member('t', 'p3') },
    ]);
    const rest = await store.listMembers('s', { limit: 10, cursor: first.nextCursor });
    (rest.items[0] as { enteredAt: string }).enteredAt = 'changed by the caller';

    // Assess
    expect(first.items.map((m) => m.profileId)).toEqual(['p1']);
    expect(rest.items.map((m) => m.profileId)).toEqual(['p2', 'p3']);
    expect(rest.nextCursor).toBeUndefined();
    expect((await store.listMembers('s', { limit: 10 })).items.map((m) => m.enteredAt)).toEqual([
      member('s', 'p1').enteredAt,
      member('s', 'p2').enteredAt,
      member('s', 'p3').enteredAt,
    ]);
    expect((await store.getMemberships('p3')).map((m) => m.segmentId)).toEqual(['s', 't']);
    expect(await store.getMemberships('p4')).toEqual([]);
  });

  it('reads memberships and segments synchronously, as the async reads answer, without copying', async () => {
    // Prepare
    const store = createMemorySegmentStore();
    await store.defineSegment({ segmentId: 'vip', source: 'realtime' });
    await store.apply([
      { kind: 'add', membership: member('vip', 'p1') },
      { kind: 'add', membership: member('churn', 'p1') },
      { kind: 'add', membership: member('vip', 'p2') },
    ]);
    // Act
    const peeked = store.peekMemberships('p1');
    const again = store.peekMemberships('p1');
    // Assess
    expect(peeked).toEqual(await store.getMemberships('p1'));
    expect(peeked.map((m) => m.segmentId)).toEqual(['churn', 'vip']);
    expect(again[0]).toBe(peeked[0]);
    expect(store.peekMemberships('nobody')).toEqual([]);
    expect(store.peekSegments()).toEqual(await store.listSegments());
  });
});
