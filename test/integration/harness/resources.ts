import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DeleteStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import {
  type BucketRole,
  type KeyAttribute,
  type ResourceNames,
  S3_PREFIXES,
  TABLES,
  type TableRole,
} from '../../../contracts/aws-resources';
import type { AwsClients } from './clients';

/** What a suite wants created, by role (names come from `resourceNames`, keys from `TABLES`). */
export interface ResourceRequest {
  readonly tables?: readonly TableRole[];
  /** Creates the event stream with this many shards. */
  readonly streamShards?: number;
  readonly buckets?: readonly BucketRole[];
  /** Creates a DirectPut delivery stream into the lake bucket (needs `buckets: ['lake']`). */
  readonly firehose?: boolean;
  readonly deadLetterQueue?: boolean;
}

/** What was created, so it can be deleted again (on shared endpoints and real accounts). */
export interface CreatedResources {
  readonly tables: readonly string[];
  readonly stream?: string;
  readonly buckets: readonly string[];
  readonly firehose?: string;
  readonly queueUrl?: string;
}

const WAIT = { minDelay: 1, maxWaitTime: 120 };

/** Creates the requested resources exactly as `contracts/aws-resources.ts` defines them. */
export async function createResources(
  clients: Partial<AwsClients>,
  names: ResourceNames,
  request: ResourceRequest,
  where: { readonly region: string; readonly firehoseRoleArn: string },
): Promise<CreatedResources> {
  const tables: string[] = [];
  for (const role of request.tables ?? []) {
    const dynamodb = need(clients.dynamodb, 'dynamodb');
    const def = TABLES[role];
    const name = names.tables[role];
    const attributes = new Map<string, KeyAttribute>();
    for (const k of [
      def.partitionKey,
      def.sortKey,
      ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
    ]) {
      if (k !== undefined) attributes.set(k.name, k);
    }
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { Enabled: true },
        AttributeDefinitions: [...attributes.values()].map(
          (a): AttributeDefinition => ({ AttributeName: a.name, AttributeType: a.type }),
        ),
        KeySchema: keySchema(def.partitionKey, def.sortKey),
        ...(def.globalSecondaryIndexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
                IndexName: g.name,
                KeySchema: keySchema(g.partitionKey, g.sortKey),
                Projection: { ProjectionType: g.projection },
              })),
            }),
      }),
    );
    tables.push(name);
    await waitUntilTableExists({ client: dynamodb, ...WAIT }, { TableName: name });
    if (def.ttlAttribute !== undefined) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: def.ttlAttribute },
        }),
      );
    }
  }

  let stream: string | undefined;
  if (request.streamShards !== undefined) {
    const kinesis = need(clients.kinesis, 'kinesis');
    stream = names.stream;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: request.streamShards }));
    await waitUntilStreamExists({ client: kinesis, ...WAIT }, { StreamName: stream });
  }

  const buckets: string[] = [];
  for (const role of request.buckets ?? []) {
    const s3 = need(clients.s3, 's3');
    const name = need(names.buckets, 'bucket names (accountId)')[role];
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        // us-east-1 is the one region that refuses a location constraint naming itself.
        ...(where.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: where.region as BucketLocationConstraint } }),
      }),
    );
    buckets.push(name);
  }

  let firehose: string | undefined;
  if (request.firehose === true) {
    const client = need(clients.firehose, 'firehose');
    const lake = need(names.buckets, 'bucket names (accountId)').lake;
    firehose = names.firehose;
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: firehose,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${lake}`,
          RoleARN: where.firehoseRoleArn,
          Prefix: S3_PREFIXES.events,
          CompressionFormat: 'UNCOMPRESSED',
        },
      }),
    );
  }

  let queueUrl: string | undefined;
  if (request.deadLetterQueue === true) {
    const sqs = need(clients.sqs, 'sqs');
    const res = await sqs.send(new CreateQueueCommand({ QueueName: names.deadLetterQueue }));
    queueUrl = res.QueueUrl;
  }
  return { tables, stream, buckets, firehose, queueUrl };
}

/** Deletes what {@link createResources} made (emptying buckets first); errors are collected, not thrown early. */
export async function deleteResources(
  clients: Partial<AwsClients>,
  created: CreatedResources,
): Promise<void> {
  const errors: unknown[] = [];
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      errors.push(error);
    }
  };
  if (created.firehose !== undefined && clients.firehose) {
    const { firehose } = clients;
    await attempt(() =>
      firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: created.firehose })),
    );
  }
  if (created.queueUrl !== undefined && clients.sqs) {
    const { sqs } = clients;
    await attempt(() => sqs.send(new DeleteQueueCommand({ QueueUrl: created.queueUrl })));
  }
  for (const table of created.tables) {
    if (clients.dynamodb) {
      const { dynamodb } = clients;
      await attempt(() => dynamodb.send(new DeleteTableCommand({ TableName: table })));
    }
  }
  if (created.stream !== undefined && clients.kinesis) {
    const { kinesis } = clients;
    await attempt(() =>
      kinesis.send(new DeleteStreamCommand({ StreamName: created.stream, EnforceConsumerDeletion: true })),
    );
  }
  for (const bucket of created.buckets) {
    if (clients.s3) {
      const { s3 } = clients;
      await attempt(async () => {
        for (;;) {
          const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
          const keys = (list.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
          if (keys.length === 0) break;
          await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        }
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      });
    }
  }
  if (errors.length > 0)
    throw new AggregateError(errors, `could not delete ${errors.length} test resource(s)`);
}

function keySchema(pk: KeyAttribute, sk: KeyAttribute | undefined) {
  return [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk === undefined ? [] : [{ AttributeName: sk.name, KeyType: 'RANGE' as const }]),
  ];
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the suite did not ask for ${what}`);
  return value;
}
