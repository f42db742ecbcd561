import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { SegmentMembership } from '../../contracts/profile';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend, serviceError } from './harness/fault-injection';

const member = (
  segmentId: string,
  profileId: string,
  enteredAt = '2024-05-01T12:00:00.000Z',
): SegmentMembership => ({
  segmentId,
  profileId,
  source: 'realtime',
  enteredAt,
});
const add = (m: SegmentMembership): MembershipWrite => ({ kind: 'add', membership: m });
const remove = (segmentId: string, profileId: string): MembershipWrite => ({
  kind: 'remove',
  segmentId,
  profileId,
});

describeWithAws('DynamoDB segment store against moto', ['dynamodb'], (env) => {
  let store: SegmentStore;
  beforeEach(async () => {
    await env().reset();
    const { names } = await env().create({ tables: ['segments'] });
    store = createDynamoDbSegmentStore(
      { tableName: names.tables.segments },
      { dynamodb: env().clients.dynamodb, sleep: async () => {} },
    );
  });

  test('memberships are stored both ways and counted; applying a change twice has no second effect', async () => {
    // Prepare
    await store.defineSegment({ segmentId: 'vip', source: 'sql', description: 'Big spenders' });
    await store.defineSegment({ segmentId: 'empty', source: 'realtime' });

    // Act
    await store.apply([add(member('vip', 'p1')), add(member('vip', 'p2')), add(member('active', 'p1'))]);
    await store.apply([add(member('vip', 'p1', '2030-01-01T00:00:00.000Z')), remove('active', 'p9')]); // redelivered / absent

    // Assess
    expect(await store.listSegments()).toEqual([
      { segmentId: 'active', source: 'realtime', memberCount: 1 },
      { segmentId: 'empty', source: 'realtime', memberCount: 0 },
      { segmentId: 'vip', source: 'sql', description: 'Big spenders', memberCount: 2 },
    ]);
    expect(await store.getMemberships('p1')).toEqual([member('active', 'p1'), member('vip', 'p1')]);
    expect((await store.listMembers('vip', { limit: 10 })).items).toEqual([
      member('vip', 'p1'),
      member('vip', 'p2'),
    ]);
  });

  test('exits remove both items and the count; an add and a remove of one pair in one call apply in order', async () => {
    // Prepare
    await store.apply([add(member('s', 'p1')), add(member('s', 'p2'))]);

    // Act
    await store.apply([remove('s', 'p1'), remove('s', 'p1'), add(member('s', 'p3')), remove('s', 'p3')]);

    // Assess
    expect(await store.getMemberships('p1')).toEqual([]);
    expect((await store.listMembers('s', { limit: 10 })).items.map((m) => m.profileId)).toEqual(['p2']);
    expect((await store.listSegments()).find((s) => s.segmentId === 's')?.memberCount).toBe(1);
  });

  test('a large refresh (120 changes, some already applied) is grouped into transactions with exact counts', async () => {
    // Prepare
    await store.apply(
      Array.from({ length: 10 }, (_, i) => add(member('a', `p${String(i).padStart(3, '0')}`))),
    );
    const changes = [
      ...Array.from({ length: 70 }, (_, i) => add(member('a', `p${String(i).padStart(3, '0')}`))),
      ...Array.from({ length: 50 }, (_, i) => add(member('b', `p${String(i).padStart(3, '0')}`))),
    ];

    // Act
    await store.apply(changes);

    // Assess
    const counts = Object.fromEntries((await store.listSegments()).map((s) => [s.segmentId, s.memberCount]));
    expect(counts).toEqual({ a: 70, b: 50 });
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMembers('a', { limit: 25, cursor });
      pages.push(...page.items.map((m) => m.profileId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual(Array.from({ length: 70 }, (_, i) => `p${String(i).padStart(3, '0')}`));
  });

  test('when the service names no cancellation reasons, changes are applied one by one, still exactly', async () => {
    // Prepare: the real answers, with the reasons of a cancelled transaction removed (as some emulators do).
    const { names } = await env().create({ tables: ['segments'] });
    const vague = interceptSend(env().clients.dynamodb, ['TransactWriteItemsCommand'], async (c) => {
      try {
        return await c.send(c.command.input);
      } catch (error) {
        if ((error as Error).name !== 'TransactionCanceledException') throw error;
        throw Object.assign(serviceError('TransactionCanceledException', 400), {
          CancellationReasons: undefined,
        });
      }
    });
    const vagueStore = createDynamoDbSegmentStore(
      { tableName: names.tables.segments },
      { dynamodb: vague.client },
    );
    await vagueStore.apply([add(member('v', 'p1'))]);

    // Act
    await vagueStore.apply([
      add(member('v', 'p1')),
      add(member('v', 'p2')),
      remove('v', 'p9'),
      add(member('v', 'p3')),
    ]);

    // Assess
    expect((await vagueStore.listMembers('v', { limit: 10 })).items.map((m) => m.profileId)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
    expect((await vagueStore.listSegments()).find((s) => s.segmentId === 'v')?.memberCount).toBe(3);
  });
});
