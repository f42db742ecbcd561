import type { PutItemCommandOutput } from '@aws-sdk/client-dynamodb';
import {
  createDynamoDbStateBackend,
  createDynamoDbStateItems,
  type DynamoDbStateBackend,
} from '../../adapters/aws/dynamodb-state-backend';
import { MapStateDescriptor, ValueStateDescriptor } from '../../processors/engine/state/state-descriptors';
import { ManualClock } from '../../processors/engine/time';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend } from './harness/fault-injection';

const SHARD = 'shardId-000000000001';
const at = (n: number) => ({ shardId: SHARD, sequenceNumber: `4959${String(n).padStart(20, '0')}` });

describeWithAws('DynamoDB state backend against moto', ['dynamodb'], (env) => {
  let table: string;
  beforeEach(async () => {
    await env().reset();
    table = (await env().create({ tables: ['state'] })).names.tables.state;
  });

  const backend = (dynamodb = env().clients.dynamodb) =>
    createDynamoDbStateBackend({ tableName: table, retentionDays: 30 }, { dynamodb, sleep: async () => {} });

  /** A shard's processor on Lambda: counts events and per-name counts per user, skipping what was applied. */
  function counter(state: DynamoDbStateBackend, shardId = SHARD) {
    const keyed = state.createKeyedStateBackend('counter', { clock: new ManualClock(0) });
    const total = keyed.getValueState(new ValueStateDescriptor<number>('total', 0));
    const byName = keyed.getMapState(new MapStateDescriptor<string, number>('byName'));
    type Rec = { user: string; name: string; seq: number };
    const pos = (seq: number) => ({ shardId, sequenceNumber: at(seq).sequenceNumber });
    const loadAndApply = async (records: Rec[]) => {
      await state.load(
        'counter',
        records.map((r) => r.user),
      );
      for (const r of records) {
        if (state.isApplied('counter', r.user, pos(r.seq))) continue;
        keyed.setCurrentKey(r.user);
        total.update(total.value()! + 1);
        byName.put(r.name, (byName.get(r.name) ?? 0) + 1);
      }
    };
    const commit = (records: Rec[]) => state.commit('counter', pos(Math.max(...records.map((r) => r.seq))));
    return {
      loadAndApply,
      commit,
      async process(records: Rec[]) {
        await loadAndApply(records);
        return commit(records);
      },
      read(user: string) {
        keyed.setCurrentKey(user);
        return { total: total.value(), byName: Object.fromEntries(byName.entries()) };
      },
    };
  }

  test('state written after a batch is what the next invocation loads (Maps included)', async () => {
    // Prepare
    const first = counter(backend());
    const batch = [
      { user: 'u1', name: 'view', seq: 1 },
      { user: 'u1', name: 'buy', seq: 2 },
      { user: 'u2', name: 'view', seq: 3 },
    ];

    // Act
    const committed = await first.process(batch);
    const second = counter(backend());
    await second.process([{ user: 'u1', name: 'view', seq: 4 }]);

    // Assess
    expect(committed).toEqual({ ok: true, written: 2 });
    expect(second.read('u1')).toEqual({ total: 3, byName: { view: 2, buy: 1 } });
  });

  test('a redelivered batch has no second effect, also after a crash between two keys', async () => {
    // Prepare: the first delivery crashes after u1 was written, before u2.
    const batch = [
      { user: 'u1', name: 'view', seq: 10 },
      { user: 'u2', name: 'view', seq: 11 },
    ];
    const crashing = interceptSend(env().clients.dynamodb, ['PutItemCommand'], async (c) => {
      const input = c.command.input as { Item: { PK: { S: string } } };
      if (input.Item.PK.S.endsWith('#u2'))
        throw Object.assign(new Error('Lambda timed out'), { name: 'ValidationException' });
      return (await c.send(input)) as PutItemCommandOutput;
    });

    // Act
    const crashed = await counter(backend(crashing.client))
      .process(batch)
      .catch((e: unknown) => e);
    const redelivered = counter(backend());
    const retried = await redelivered.process(batch);
    const again = await counter(backend()).process(batch);

    // Assess
    expect(crashed).toBeInstanceOf(Error);
    expect(retried).toEqual({ ok: true, written: 1 });
    expect(again).toEqual({ ok: true, written: 0 });
    expect(redelivered.read('u1')).toEqual({ total: 1, byName: { view: 1 } });
    expect(redelivered.read('u2')).toEqual({ total: 1, byName: { view: 1 } });
  });

  test('two shards updating one key at once: the loser gets a conflict, reloads, and nothing is lost', async () => {
    // Prepare: both shards' processors read u1 at version 1.
    await counter(backend()).process([{ user: 'u1', name: 'view', seq: 1 }]);
    const a = counter(backend(), 'shardId-A');
    const b = counter(backend(), 'shardId-B');
    const batchA = [{ user: 'u1', name: 'buy', seq: 7 }];
    const batchB = [{ user: 'u1', name: 'view', seq: 3 }];
    await a.loadAndApply(batchA);
    await b.loadAndApply(batchB);

    // Act
    const wonA = await a.commit(batchA);
    const lostB = await b.commit(batchB);
    const retriedB = await b.process(batchB);

    // Assess
    expect(wonA).toEqual({ ok: true, written: 1 });
    expect(lostB).toEqual({ ok: false, reason: 'conflict', written: 0, conflicts: ['u1'] });
    expect(retriedB).toEqual({ ok: true, written: 1 });
    const reader = counter(backend());
    await reader.loadAndApply([{ user: 'u1', name: 'x', seq: 1 }]); // seq 1 of SHARD: already applied, loads only
    expect(reader.read('u1')).toEqual({ total: 3, byName: { view: 2, buy: 1 } });
  });

  test('state items: versioned, conditional, with the applied sequence per shard', async () => {
    // Prepare
    const items = createDynamoDbStateItems({ tableName: table }, { dynamodb: env().clients.dynamodb });

    // Act
    const created = await items.put('job', 'shard/0', 'WATERMARK', 1_000, { version: null }, at(5));
    const duplicate = await items.put('job', 'shard/0', 'WATERMARK', 2_000, { version: null }, at(6));
    const next = await items.put(
      'job',
      'shard/0',
      'WATERMARK',
      3_000,
      { version: 1, appliedSequences: { [SHARD]: at(5).sequenceNumber } },
      at(7),
    );
    const stored = await items.get<number>('job', 'shard/0', 'WATERMARK');

    // Assess
    expect(created).toEqual({ ok: true, version: 1 });
    expect(duplicate).toEqual({ ok: false, reason: 'conflict' });
    expect(next).toEqual({ ok: true, version: 2 });
    expect(stored).toEqual({ value: 3_000, version: 2, appliedSequences: { [SHARD]: at(7).sequenceNumber } });
  });
});
