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
});
