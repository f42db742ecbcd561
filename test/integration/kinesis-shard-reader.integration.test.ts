import { createDynamoDbLeaseTable, TRIM_HORIZON } from '../../adapters/aws/dynamodb-lease-table';
import { createKinesisEventLog } from '../../adapters/aws/kinesis-event-log';
import { createKinesisSource, type KinesisRecord } from '../../adapters/aws/kinesis-shard-reader';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { SourceReader } from '../../processors/engine/connectors/source';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend, serviceError } from './harness/fault-injection';
import { testRecords } from './harness/fixtures';

const SERVICES = ['kinesis', 'dynamodb'] as const;

describeWithAws('Kinesis shard reader with KCL-shaped leases in DynamoDB', SERVICES, (env) => {
  afterAll(async () => {});

  const idOf = (r: KinesisRecord) =>
    (JSON.parse(Buffer.from(r.data).toString('utf8')) as CanonicalEvent).eventId;
  async function drain(
    reader: SourceReader<KinesisRecord>,
  ): Promise<{ records: KinesisRecord[]; offset: string }> {
    const records: KinesisRecord[] = [];
    let offset = '';
    for (;;) {
      const batch = await reader.poll(7);
      records.push(...batch.records);
      offset = batch.nextOffset;
      if (batch.records.length === 0) return { records, offset };
    }
  }

  test('readers resume after the checkpointed sequence number: every record once across restarts', async () => {
    // Prepare
    const { names } = await env().create({ streamShards: 2, tables: ['checkpoints'] });
    const log = createKinesisEventLog({ streamName: names.stream }, { kinesis: env().clients.kinesis });
    const leases = createDynamoDbLeaseTable(
      { tableName: names.tables.checkpoints, owner: 'worker-1' },
      { dynamodb: env().clients.dynamodb },
    );
    const first = testRecords(40);
    const second = testRecords(25, 1_000);
    await log.append(first);

    // Act: run 1 reads everything and checkpoints; more events arrive; run 2 starts from the leases.
    const source1 = await createKinesisSource(
      { streamName: names.stream },
      { kinesis: env().clients.kinesis },
    );
    const run1: KinesisRecord[] = [];
    const checkpoints = new Map<string, string>();
    for (const shard of source1.partitions()) {
      expect(await leases.checkpointOf(shard)).toBe(TRIM_HORIZON);
      const { records, offset } = await drain(source1.createReader(shard, await leases.checkpointOf(shard)));
      run1.push(...records);
      checkpoints.set(shard, offset);
    }
    expect(await leases.checkpoint(checkpoints)).toEqual({ ok: true });
    await log.append(second);
    const source2 = await createKinesisSource(
      { streamName: names.stream },
      { kinesis: env().clients.kinesis },
    );
    const run2: KinesisRecord[] = [];
    for (const shard of source2.partitions()) {
      run2.push(...(await drain(source2.createReader(shard, await leases.checkpointOf(shard)))).records);
    }

    // Assess
    expect(source1.partitions()).toHaveLength(2);
    expect(run1.map(idOf).sort()).toEqual(first.map((r) => r.event.eventId).sort());
    expect(run2.map(idOf).sort()).toEqual(second.map((r) => r.event.eventId).sort());
    const stored = await leases.list();
    expect(stored.map((l) => [l.leaseKey, l.leaseOwner, l.checkpoint])).toEqual(
      [...checkpoints].map(([shard, seq]) => [shard, 'worker-1', seq]),
    );
  });

  test('an expired iterator or a throttled poll loses and repeats nothing', async () => {
    // Prepare
    const { names } = await env().create({ streamShards: 1 });
    const log = createKinesisEventLog({ streamName: names.stream }, { kinesis: env().clients.kinesis });
    const records = testRecords(30, 2_000);
    await log.append(records);
    const faulty = interceptSend(env().clients.kinesis, ['GetRecordsCommand'], (c) => {
      if (c.call === 2) throw serviceError('ExpiredIteratorException', 400);
      if (c.call === 4) throw serviceError('ProvisionedThroughputExceededException', 400, true);
      return c.send(c.command.input);
    });
    const source = await createKinesisSource({ streamName: names.stream }, { kinesis: faulty.client });

    // Act
    const reader = source.createReader(source.partitions()[0]!, undefined);
    const read: KinesisRecord[] = [];
    for (let i = 0; i < 12; i++) read.push(...(await reader.poll(5)).records);

    // Assess
    expect(faulty.calls.GetRecordsCommand).toBe(12);
    expect(read.map(idOf)).toEqual(records.map((r) => r.event.eventId));
  });

  test('a lease held by another worker is not checkpointed over until taken over', async () => {
    // Prepare
    const { names } = await env().create({ tables: ['checkpoints'] });
    const deps = { dynamodb: env().clients.dynamodb };
    const a = createDynamoDbLeaseTable({ tableName: names.tables.checkpoints, owner: 'a' }, deps);
    const b = createDynamoDbLeaseTable({ tableName: names.tables.checkpoints, owner: 'b' }, deps);
    expect(await a.take('shardId-000000000000')).toEqual({ ok: true });

    // Act
    const refused = await b.checkpoint(new Map([['shardId-000000000000', '100']]));
    const counter = (await b.list())[0]!.leaseCounter;
    const switchesBefore = (await b.list())[0]!.ownerSwitchesSinceCheckpoint;
    const takenOver = await b.take('shardId-000000000000', counter);
    const switchesAfter = (await b.list())[0]!.ownerSwitchesSinceCheckpoint;
    const lateA = await a.checkpoint(new Map([['shardId-000000000000', '90']]));
    const ownB = await b.checkpoint(new Map([['shardId-000000000000', '120']]));

    // Assess
    expect(refused).toEqual({ ok: false, reason: 'lease-lost', shardId: 'shardId-000000000000' });
    expect(takenOver).toEqual({ ok: true });
    expect([switchesBefore, switchesAfter]).toEqual([0, 1]);
    expect(lateA).toEqual({ ok: false, reason: 'lease-lost', shardId: 'shardId-000000000000' });
    expect(ownB).toEqual({ ok: true });
    const [lease] = await a.list();
    expect(lease).toMatchObject({ leaseOwner: 'b', checkpoint: '120', ownerSwitchesSinceCheckpoint: 0 });
  });

  test('a stream that does not exist is a clear error naming it', async () => {
    await expect(
      createKinesisSource({ streamName: 'it-no-such-stream' }, { kinesis: env().clients.kinesis }),
    ).rejects.toThrow(/ListShards of it-no-such-stream failed: ResourceNotFoundException/);
  });
});
