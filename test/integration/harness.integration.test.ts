import { execFileSync } from 'node:child_process';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { TABLE_ROLES, TABLES } from '../../contracts/aws-resources';
import { describeAws, describeWithAws, startAwsTestEnvironment } from './harness/aws-test-environment';

const SERVICES = ['kinesis', 'dynamodb', 's3', 'firehose', 'sqs'] as const;

describeWithAws('emulator harness', SERVICES, (env) => {
  afterAll(async () => {});

  test('creates every table, the stream, buckets, Firehose and the DLQ from the shared definitions', async () => {
    // Prepare / Act
    const { names, created } = await env().create({
      tables: TABLE_ROLES,
      streamShards: 2,
      buckets: ['lake', 'staging'],
      firehose: true,
      deadLetterQueue: true,
    });

    // Assess
    for (const role of TABLE_ROLES) {
      const def = TABLES[role];
      const table = await env().clients.dynamodb.send(
        new DescribeTableCommand({ TableName: names.tables[role] }),
      );
      expect(table.Table?.KeySchema).toEqual([
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect((table.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName)).toEqual(
        def.globalSecondaryIndexes.map((g) => g.name),
      );
      const ttl = await env().clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: names.tables[role] }),
      );
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe(def.ttlAttribute);
    }
    const stream = await env().clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: names.stream }),
    );
    expect(stream.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    expect(stream.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    for (const bucket of created.buckets)
      await env().clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const delivery = await env().clients.firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: names.firehose }),
    );
    expect(delivery.DeliveryStreamDescription?.DeliveryStreamName).toBe(names.firehose);
    expect(created.queueUrl).toContain(names.deadLetterQueue);
  });

  test('two environments of one suite never share names', () => {
    // Prepare / Act
    const a = env().uniqueNames();
    const b = env().uniqueNames();

    // Assess
    expect(a.tables.profiles).not.toBe(b.tables.profiles);
    expect(a.stream).not.toBe(b.stream);
  });

  test('reset forgets moto resources when emulated', async () => {
    // Prepare
    const { names } = await env().create({ tables: ['state'] });
    if (env().targets.dynamodb?.kind !== 'emulator') return; // nothing is reset on external targets

    // Act
    await env().reset();

    // Assess
    const tables = await env().clients.dynamodb.send(new ListTablesCommand({}));
    expect(tables.TableNames ?? []).not.toContain(names.tables.state);
  });
});

describeAws('emulator harness shutdown', ['kinesis', 'dynamodb'], () => {
  test('stop kills the emulator processes by pid', async () => {
    // Prepare: other suites of this jest worker may still have children of their own; only ours count
    const others = new Set(childPids());
    const env = await startAwsTestEnvironment(['kinesis', 'dynamodb']);
    const ours = childPids().filter((pid) => !others.has(pid));

    // Act
    await env.stop();

    // Assess
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(childPids().filter((pid) => ours.includes(pid))).toEqual([]);
  });
});

/** Live child processes of this Jest worker (the emulators it started). */
function childPids(): number[] {
  return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, comm]) => Number(pid) > 0 && comm !== 'ps')
    .map(([pid]) => Number(pid));
}
