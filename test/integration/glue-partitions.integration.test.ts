import { CreatePartitionCommand, GetPartitionsCommand } from '@aws-sdk/client-glue';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AwsAdapterError } from '../../adapters/aws/aws-adapter-error';
import { createGlueDtPartitions } from '../../adapters/aws/glue-partitions';
import { GLUE_TABLES } from '../../contracts/aws-resources';
import { describeWithAws } from './harness/aws-test-environment';
import { createGlueCatalog } from './harness/glue-catalog';

describeWithAws('Glue dt partitions follow the lake (moto Glue + S3)', ['glue', 's3'], (env) => {
  test("the lake's dt folders the catalog lacks are added with the table's format; a rerun adds none", async () => {
    // Prepare: the events table as the stack defines it, three day folders, one day already registered
    const { names } = await env().create({ buckets: ['lake'] });
    const bucket = names.buckets?.lake as string;
    const { glue, s3 } = env().clients;
    const database = names.glueDatabase;
    const tables = GLUE_TABLES.filter((t) => t.name === 'events');
    const location = (await createGlueCatalog(glue, database, tables, bucket)).events as string;
    for (const key of [
      'events/dt=2024-05-01/part-a.json.gz',
      'events/dt=2024-05-02/part-b.json.gz',
      'events/dt=2024-05-02/part-c.json.gz',
      'events/dt=2023-12-31/backfill.json.gz',
      'events/not-a-day/stray.json',
    ]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{}\n' }));
    }
    await glue.send(
      new CreatePartitionCommand({
        DatabaseName: database,
        TableName: 'events',
        PartitionInput: {
          Values: ['2024-05-01'],
          StorageDescriptor: { Location: `${location}dt=2024-05-01/` },
        },
      }),
    );
    const partitions = createGlueDtPartitions({ glue, s3 });

    // Act
    const first = await partitions.sync(database, ['events']);
    const second = await partitions.sync(database, ['events']);
    const listed = await glue.send(new GetPartitionsCommand({ DatabaseName: database, TableName: 'events' }));

    // Assess
    expect(first).toEqual({ created: 2, existing: 1 });
    expect(second).toEqual({ created: 0, existing: 3 });
    const byDay = new Map((listed.Partitions ?? []).map((p) => [p.Values?.[0], p.StorageDescriptor]));
    expect([...byDay.keys()].sort()).toEqual(['2023-12-31', '2024-05-01', '2024-05-02']);
    expect(byDay.get('2023-12-31')).toMatchObject({
      Location: `${location}dt=2023-12-31/`,
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
      Columns: expect.arrayContaining([{ Name: 'event_id', Type: 'string' }]),
    });
  });

  test('a table that is not partitioned by dt, or not there, is a clear error', async () => {
    // Prepare
    const { names } = await env().create({ buckets: ['lake'] });
    const { glue, s3 } = env().clients;
    const database = names.glueDatabase;
    const crm = GLUE_TABLES.filter((t) => t.name === 'crm_contacts');
    await createGlueCatalog(glue, database, crm, names.buckets?.lake as string);
    const partitions = createGlueDtPartitions({ glue, s3 });

    // Act
    const flat = await partitions.sync(database, ['crm_contacts']).catch((e: unknown) => e);
    const missing = await partitions.sync(database, ['no_such_table']).catch((e: unknown) => e);

    // Assess
    expect(flat).toEqual(new AwsAdapterError(`Glue table ${database}.crm_contacts is not partitioned by dt`));
    expect(missing).toEqual(new AwsAdapterError(`Glue table ${database}.no_such_table does not exist`));
  });
});
