import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { AwsAdapterError } from '../../adapters/aws/aws-adapter-error';
import {
  createDynamoDbCheckpointStorage,
  type DynamoDbCheckpointStorage,
} from '../../adapters/aws/dynamodb-checkpoint-storage';
import type { Checkpoint } from '../../processors/engine/checkpoint/checkpoint';
import { describeWithAws } from './harness/aws-test-environment';

const checkpoint = (checkpointId: number, state: unknown, jobName = 'profiles'): Checkpoint => ({
  checkpointId,
  jobName,
  takenAt: 1_714_560_000_000 + checkpointId,
  parallelism: 1,
  tasks: [
    {
      taskIndex: 0,
      partitions: [
        {
          partition: 'shardId-000',
          offset: `49${checkpointId}`,
          ended: false,
          watermarkState: null,
          watermark: 5,
          idle: false,
        },
      ],
      combinedWatermark: 5,
      operators: [{ operatorId: 'counter', state }],
    },
  ],
});

describeWithAws('DynamoDB checkpoint storage against moto', ['dynamodb'], (env) => {
  let table: string;
  let storage: DynamoDbCheckpointStorage;
  beforeEach(async () => {
    await env().reset();
    table = (await env().create({ tables: ['state'] })).names.tables.state;
    storage = createDynamoDbCheckpointStorage(
      { tableName: table, retain: 2 },
      { dynamodb: env().clients.dynamodb },
    );
  });

  test('the latest checkpoint comes back whole, Maps and all, also when larger than an item', async () => {
    // Prepare: ~1.2 MB of incompressible state → several part items.
    const state = { counts: new Map([['u1', 3]]), blob: randomBytes(1_200_000).toString('base64') };

    // Act
    await storage.store(checkpoint(1, { small: true }));
    await storage.store(checkpoint(2, state));
    const latest = await storage.latest('profiles');

    // Assess
    expect(latest).toEqual(checkpoint(2, state));
    expect(await storage.latest('other-job')).toBeUndefined();
  });

  test('a stale writer cannot replace a newer checkpoint, and old parts are deleted past retention', async () => {
    // Prepare
    for (const id of [1, 2, 3]) await storage.store(checkpoint(id, { id }));

    // Act
    const stale = await storage.store(checkpoint(2, { zombie: true })).catch((e: unknown) => e);

    // Assess
    expect(stale).toBeInstanceOf(AwsAdapterError);
    expect((await storage.latest('profiles'))?.checkpointId).toBe(3);
    const items = await env().clients.dynamodb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'STATE#checkpoint#profiles' } },
      }),
    );
    expect((items.Items ?? []).map((i) => i.SK?.S).sort()).toEqual([
      'CHECKPOINT#000000000002#00000',
      'CHECKPOINT#000000000003#00000',
      'CHECKPOINT#LATEST',
    ]);
  });
});
