import {
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createDynamoDbProfileStore } from '../../adapters/aws/dynamodb-profile-store';
import { isAlreadyApplied, withAppliedSequence } from '../../adapters/aws/kinesis-sequence';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { ActivityItem } from '../../contracts/profile';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend, serviceError } from './harness/fault-injection';
import { testActivity, testProfile } from './harness/fixtures';

const FAST = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 };

describeWithAws('DynamoDB profile store against moto', ['dynamodb'], (env) => {
  let table: string;
  const NOW = Date.UTC(2024, 4, 2);
  const store = (dynamodb: DynamoDBClient = env().clients.dynamodb, now = () => NOW): ProfileStore =>
    createDynamoDbProfileStore({ tableName: table, now }, { dynamodb, retry: FAST, sleep: async () => {} });

  beforeEach(async () => {
    await env().reset();
    table = (await env().create({ tables: ['profiles'] })).names.tables.profiles;
  });

  test('writes are conditional on the stored version; get returns what was written', async () => {
    // Prepare
    const profiles = store();
    const v1 = testProfile('p1', { totalEvents: 3, traits: { plan: 'pro', nested: { a: [1, 'x'] } } });

    // Act
    const created = await profiles.write([{ kind: 'put', document: v1, expectedVersion: null }]);
    const again = await profiles.write([{ kind: 'put', document: v1, expectedVersion: null }]);
    const stale = await profiles.write([
      { kind: 'put', document: { ...v1, version: 2 }, expectedVersion: 0 },
    ]);
    const next = await profiles.write([
      { kind: 'put', document: { ...v1, version: 2, totalEvents: 4 }, expectedVersion: 1 },
    ]);

    // Assess
    expect(created).toEqual({ ok: true });
    expect(again).toEqual({ ok: false, reason: 'conflict', profileId: 'p1' });
    expect(stale).toEqual({ ok: false, reason: 'conflict', profileId: 'p1' });
    expect(next).toEqual({ ok: true });
    expect(await profiles.get('p1')).toEqual({ ...v1, version: 2, totalEvents: 4 });
    expect(await profiles.get('nobody')).toBeUndefined();
    const raw = await env().clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { PK: { S: 'PROFILE#p1' }, SK: { S: 'METADATA' } } }),
    );
    expect(raw.Item?.version).toEqual({ N: '2' });
  });

  test('two writers on one profile: one wins, the other re-reads and re-applies; nothing lost or counted twice', async () => {
    // Prepare
    const profiles = store();
    await profiles.write([
      { kind: 'put', document: testProfile('p2', { totalEvents: 10 }), expectedVersion: null },
    ]);
    /** Adds `n` events the way a shard's processor does: read, add, write on the version read. */
    const addEvents = async (n: number, before?: () => Promise<void>) => {
      let attempts = 0;
      for (;;) {
        attempts++;
        const doc = (await profiles.get('p2'))!;
        await before?.();
        const res = await profiles.write([
          {
            kind: 'put',
            document: { ...doc, version: doc.version + 1, totalEvents: doc.totalEvents + n },
            expectedVersion: doc.version,
          },
        ]);
        if (res.ok) return attempts;
      }
    };
    // Writer B reads, then writer A writes in between, so B's first write must fail.
    let gate: () => void = () => {};
    const aDone = new Promise<void>((resolve) => {
      gate = resolve;
    });

    // Act
    const [attemptsA, attemptsB] = await Promise.all([
      aDone.then(() => addEvents(5)),
      addEvents(7, async () => {
        gate();
        await new Promise((r) => setTimeout(r, 300));
      }),
    ]);

    // Assess
    expect(attemptsA).toBe(1);
    expect(attemptsB).toBeGreaterThanOrEqual(2);
    const final = (await profiles.get('p2'))!;
    expect(final.totalEvents).toBe(22);
    expect(final.version).toBe(3);
  });

  test('a merge (put survivor, delete merged) is all or nothing', async () => {
    // Prepare
    const profiles = store();
    await profiles.write([
      { kind: 'put', document: testProfile('keep', { totalEvents: 1 }), expectedVersion: null },
      { kind: 'put', document: testProfile('gone', { totalEvents: 2 }), expectedVersion: null },
    ]);
    const merged = testProfile('keep', { version: 2, totalEvents: 3, mergedFrom: ['gone'] });

    // Act
    const stale = await profiles.write([
      { kind: 'put', document: merged, expectedVersion: 1 },
      { kind: 'delete', profileId: 'gone', expectedVersion: 7 },
    ]);
    const afterStale = await profiles.getMany(['keep', 'gone']);
    const ok = await profiles.write([
      { kind: 'put', document: merged, expectedVersion: 1 },
      { kind: 'delete', profileId: 'gone', expectedVersion: 1 },
    ]);

    // Assess
    expect(stale).toEqual({ ok: false, reason: 'conflict', profileId: 'gone' });
    expect(afterStale.map((d) => d?.totalEvents)).toEqual([1, 2]);
    expect(ok).toEqual({ ok: true });
    expect(await profiles.getMany(['keep', 'gone'])).toEqual([merged, undefined]);
  });

  test('a redelivered batch has no second effect (appliedSequences guard the write)', async () => {
    // Prepare: a processor step that applies one shard's batch to a profile.
    const profiles = store();
    await profiles.write([{ kind: 'put', document: testProfile('p3'), expectedVersion: null }]);
    const batch = [
      {
        shardId: 'shardId-000000000000',
        sequenceNumber: '4959033827149025660855969253836157109592157598913658',
        n: 2,
      },
      {
        shardId: 'shardId-000000000000',
        sequenceNumber: '4959033827149025660855969253836157109592157598913659',
        n: 3,
      },
    ];
    const applyBatch = async () => {
      const doc = (await profiles.get('p3'))!;
      let next = doc;
      for (const r of batch) {
        if (isAlreadyApplied(next.appliedSequences, r.shardId, r.sequenceNumber)) continue;
        next = {
          ...next,
          totalEvents: next.totalEvents + r.n,
          appliedSequences: withAppliedSequence(next.appliedSequences, r.shardId, r.sequenceNumber),
        };
      }
      if (next === doc) return 'skipped';
      const res = await profiles.write([
        { kind: 'put', document: { ...next, version: doc.version + 1 }, expectedVersion: doc.version },
      ]);
      return res.ok ? 'written' : 'conflict';
    };

    // Act
    const first = await applyBatch();
    const second = await applyBatch();

    // Assess
    expect([first, second]).toEqual(['written', 'skipped']);
    const doc = (await profiles.get('p3'))!;
    expect(doc.totalEvents).toBe(5);
    expect(doc.appliedSequences).toEqual({ 'shardId-000000000000': batch[1]!.sequenceNumber });
  });

  test('getMany reads 130 profiles in input order, retrying UnprocessedKeys', async () => {
    // Prepare
    const ids = Array.from({ length: 130 }, (_, i) => `m${i}`);
    for (const id of ids)
      await store().write([{ kind: 'put', document: testProfile(id), expectedVersion: null }]);
    const partial = interceptSend(env().clients.dynamodb, ['BatchGetItemCommand'], async (c) => {
      const input = c.command.input as { RequestItems: Record<string, { Keys: unknown[] }> };
      const keys = input.RequestItems[table]!.Keys;
      if (c.call > 2 || keys.length < 2) return c.send(input);
      const half = Math.ceil(keys.length / 2);
      const real = (await c.send({
        RequestItems: { [table]: { ...input.RequestItems[table], Keys: keys.slice(0, half) } },
      })) as BatchGetItemCommandOutput;
      return { ...real, UnprocessedKeys: { [table]: { Keys: keys.slice(half) } } };
    });
    const asked = ['nobody', ...ids.slice().reverse()];

    // Act
    const docs = await store(partial.client).getMany(asked);

    // Assess
    expect(docs.map((d) => d?.profileId)).toEqual([undefined, ...ids.slice().reverse()]);
    expect(partial.calls.BatchGetItemCommand).toBeGreaterThan(2);
  });

  test('activity: written once per event id, newest first, paged with cursors, expired entries hidden', async () => {
    // Prepare
    const items = Array.from({ length: 23 }, (_, i) => testActivity(i));
    const partial = interceptSend(env().clients.dynamodb, ['BatchWriteItemCommand'], async (c) => {
      const input = c.command.input as { RequestItems: Record<string, unknown[]> };
      const requests = input.RequestItems[table]!;
      if (c.call !== 1) return c.send(input);
      const real = (await c.send({
        RequestItems: { [table]: requests.slice(0, 10) },
      })) as BatchWriteItemCommandOutput;
      return { ...real, UnprocessedItems: { [table]: requests.slice(10) } };
    });
    const profiles = store(partial.client);

    // Act
    await profiles.appendActivity('p4', items, NOW + 86_400_000);
    await profiles.appendActivity('p4', items.slice(0, 5), NOW + 86_400_000); // redelivered
    await profiles.appendActivity('p4', [testActivity(99)], NOW - 1); // already expired: dropped
    const pages: ActivityItem[][] = [];
    let cursor: string | undefined;
    do {
      const page = await profiles.listActivity('p4', { limit: 10, cursor });
      pages.push([...page.items]);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const later = await store(env().clients.dynamodb, () => NOW + 2 * 86_400_000).listActivity('p4', {
      limit: 10,
    });

    // Assess
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat().map((a) => a.eventId)).toEqual(items.map((a) => a.eventId).reverse());
    expect(pages.flat()[22]).toEqual(items[0]);
    expect(later.items).toEqual([]);
  });

  test('moveActivity moves every entry to the surviving profile', async () => {
    // Prepare
    const profiles = store();
    await profiles.appendActivity('from', [testActivity(1), testActivity(2)], NOW + 86_400_000);
    await profiles.appendActivity('into', [testActivity(3)], NOW + 86_400_000);

    // Act
    await profiles.moveActivity('from', 'into');
    await profiles.moveActivity('from', 'into'); // a retry after a crash is harmless

    // Assess
    expect((await profiles.listActivity('from', { limit: 10 })).items).toEqual([]);
    expect((await profiles.listActivity('into', { limit: 10 })).items.map((a) => a.eventId)).toEqual([
      'evt-000003',
      'evt-000002',
      'evt-000001',
    ]);
  });

  test('throttled transactions and batch writes are retried until taken, with nothing written twice', async () => {
    // Prepare: the first two TransactWriteItems and BatchWriteItem calls are throttled (never sent).
    const throttled = interceptSend(
      env().clients.dynamodb,
      ['TransactWriteItemsCommand', 'BatchWriteItemCommand'],
      (c) => {
        if (c.call <= 2) throw serviceError('ProvisionedThroughputExceededException', 400, true);
        return c.send(c.command.input);
      },
    );
    const profiles = store(throttled.client);

    // Act
    const written = await profiles.write([
      { kind: 'put', document: testProfile('t1', { totalEvents: 1 }), expectedVersion: null },
      { kind: 'put', document: testProfile('t2', { totalEvents: 2 }), expectedVersion: null },
    ]);
    await profiles.appendActivity('t1', [testActivity(1), testActivity(2)], NOW + 86_400_000);

    // Assess
    expect(written).toEqual({ ok: true });
    expect(throttled.calls).toEqual({ TransactWriteItemsCommand: 3, BatchWriteItemCommand: 3 });
    expect((await profiles.getMany(['t1', 't2'])).map((d) => d?.totalEvents)).toEqual([1, 2]);
    expect((await profiles.listActivity('t1', { limit: 10 })).items).toHaveLength(2);
  });

  test('client data DynamoDB numbers cannot hold (integers past 2^53, 1e300) is stored and read back as JSON', async () => {
    // Prepare
    const profiles = store();
    // As a client's JSON body arrives: the integer is beyond 2^53.
    const odd = JSON.parse(
      '{"orderId":12345678901234567890,"huge":1.5e300,"tiny":5e-324,"nested":{"list":[null,"",{}]}}',
    );
    const doc = testProfile('odd', { traits: odd });
    const activity = { ...testActivity(1), properties: odd };

    // Act
    const written = await profiles.write([{ kind: 'put', document: doc, expectedVersion: null }]);
    await profiles.appendActivity('odd', [activity], NOW + 86_400_000);

    // Assess
    expect(written).toEqual({ ok: true });
    expect(await profiles.get('odd')).toEqual(doc);
    expect((await profiles.listActivity('odd', { limit: 5 })).items).toEqual([activity]);
  });
});
